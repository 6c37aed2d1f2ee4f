use sea_orm::entity::prelude::*;

/// An objection (异议) to one line of a notice: `pending` → `upheld` / `dismissed` with a reason.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "objections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub notice_id: String,
    pub slate_line_id: String,
    pub filer_name: String,
    /// Encrypted (`db::crypto`): personal data.
    #[sea_orm(column_type = "Text")]
    pub filer_phone: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub filed_ms: i64,
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub disposition_reason: String,
    pub disposed_ms: Option<i64>,
    pub disposed_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
