use sea_orm::entity::prelude::*;

/// A volunteer (phone encrypted; `person_ids_json` = the people paired with).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "volunteers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub project_id: String,
    pub team_id: Option<String>,
    pub name: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub phone_enc: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub person_ids_json: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
