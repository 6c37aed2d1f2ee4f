use sea_orm::entity::prelude::*;

/// A member of a project team: a user of the organization or a named volunteer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub project_id: String,
    pub user_id: Option<String>,
    pub name: String,
    /// lead / social_worker / volunteer / supervisor
    pub role: String,
    /// Staff work phone (plain).
    pub phone: String,
    pub created_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
