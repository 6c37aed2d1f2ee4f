use sea_orm::entity::prelude::*;

/// A public notice (公示): `draft` → `published` → `closed`. The period runs from
/// `period_start` to 24:00 of `period_end` (Asia/Shanghai); `ends_ms` is that instant.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub program_id: String,
    pub seq: i32,
    pub title: String,
    pub status: String,
    pub rule_text: String,
    pub published_ms: Option<i64>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub ends_ms: Option<i64>,
    pub closed_ms: Option<i64>,
    pub created_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
