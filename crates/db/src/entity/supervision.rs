use sea_orm::entity::prelude::*;

/// A supervision session (督导) with its supervisees (人次).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supervisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub project_id: String,
    pub worker_member_id: Option<String>,
    pub worker_name: String,
    pub created_by: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub topic: String,
    pub held_on: Date,
    pub minutes: i32,
    pub supervisees: i32,
    #[sea_orm(column_type = "Text")]
    pub supervisee_names: String,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
