use sea_orm::entity::prelude::*;

/// A panel member assigned to an application. Status: `pending` (conflict of interest not yet
/// declared), `active` (declared no conflict), `conflict` (declared a conflict: removed),
/// `avoided` (removed by an avoidance rule at assignment).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_assignments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub panel_id: String,
    pub application_id: String,
    pub expert_id: String,
    pub user_id: Option<String>,
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    /// "申报单位A" … shown instead of the organization's name on blind panels.
    pub blind_label: String,
    pub declared_ms: Option<i64>,
    pub created_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
