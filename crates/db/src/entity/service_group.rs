use sea_orm::entity::prelude::*;

/// A group (小组) of a project.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_groups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub project_id: String,
    pub worker_member_id: Option<String>,
    pub worker_name: String,
    pub created_by: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub goal: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
