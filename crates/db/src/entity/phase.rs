use sea_orm::entity::prelude::*;

/// A timeline phase; `deadline_ms` is an instant (the document's local time in Asia/Shanghai).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "phases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub program_id: String,
    pub name: String,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub deadline_ms: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
