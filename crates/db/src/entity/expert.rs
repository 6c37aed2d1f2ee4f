use sea_orm::entity::prelude::*;

/// An expert in the pool (专家库). Fields of expertise and declared relations (organization ids
/// the expert must avoid) are JSON string lists.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The reviewer user who signs in as this expert.
    pub user_id: Option<String>,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub fields_json: String,
    pub organization_id: Option<String>,
    pub area_code: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub relations_json: String,
    pub active: bool,
    pub created_ms: i64,
    pub updated_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
