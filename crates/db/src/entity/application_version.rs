use sea_orm::entity::prelude::*;

/// A snapshot of an application as it was submitted (one per submit).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub application_id: String,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub snapshot_json: String,
    pub created_ms: i64,
    /// Username of who submitted.
    pub actor: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
