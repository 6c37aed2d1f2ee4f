use sea_orm::entity::prelude::*;

/// A participant's sign-in at an activity (phone encrypted; not `Serialize`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_signins")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub activity_id: String,
    pub name: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub phone_enc: Option<String>,
    pub created_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
