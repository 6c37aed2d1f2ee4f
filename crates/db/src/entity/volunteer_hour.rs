use sea_orm::entity::prelude::*;

/// Service time of a volunteer on one day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "volunteer_hours")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub project_id: String,
    pub volunteer_id: String,
    pub served_on: Date,
    pub minutes: i32,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    pub created_by: Option<String>,
    pub created_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
