use sea_orm::entity::prelude::*;

/// A project (项目). `targets_json` is JSON of `Vec<domain::program::OutputTarget>`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "projects")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub program_id: Option<String>,
    pub call_item_id: Option<String>,
    pub award_id: Option<String>,
    pub organization_id: String,
    pub title: String,
    pub area_code: String,
    pub start_on: Date,
    pub end_on: Date,
    #[sea_orm(column_type = "Text")]
    pub targets_json: String,
    /// active / closed
    pub status: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
