use sea_orm::entity::prelude::*;

/// An application (申报书). Sections with structure (plan, outputs, team, budget) are JSON of
/// the types in `crate::applications`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub program_id: String,
    pub track_code: String,
    pub call_item_id: Option<String>,
    pub organization_id: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    #[sea_orm(column_type = "Text")]
    pub needs_analysis: String,
    #[sea_orm(column_type = "Text")]
    pub objectives: String,
    #[sea_orm(column_type = "Text")]
    pub plan_json: String,
    #[sea_orm(column_type = "Text")]
    pub outputs_json: String,
    #[sea_orm(column_type = "Text")]
    pub team_json: String,
    #[sea_orm(column_type = "Text")]
    pub budget_json: String,
    pub requested_fen: i64,
    /// draft / submitted / returned / withdrawn / screened_pass / screened_fail.
    pub status: String,
    pub submitted_ms: Option<i64>,
    pub created_ms: i64,
    pub updated_ms: i64,
    /// Number of submitted versions.
    pub version: i32,
    /// Co-funding lines (配套资金), JSON of `crate::applications::CoFunding`; null when none.
    #[sea_orm(column_type = "Text", nullable)]
    pub cofunding_json: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
