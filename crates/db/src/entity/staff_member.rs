use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A staff member of an organization, with social-work certificate (社工证).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "staff_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub position: String,
    /// assistant / social_worker / senior, or empty.
    pub certificate_level: String,
    pub certificate_no: String,
    pub full_time: bool,
    pub created_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
