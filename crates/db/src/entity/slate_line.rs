use sea_orm::entity::prelude::*;

/// One line of a program's slate (拟立项名单): a ranked application, its recommended amount, the
/// funder's amount (`None` = excluded), status `proposed` → `approved` in batch `batch_no`, and
/// the notice (公示) it was published on.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "slate_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub program_id: String,
    pub application_id: String,
    pub organization_id: String,
    pub call_item_id: Option<String>,
    pub track_code: String,
    pub group_code: String,
    pub rank_no: i32,
    pub score_hundredths: Option<i64>,
    pub requested_fen: i64,
    pub recommended_fen: Option<i64>,
    pub amount_fen: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    #[sea_orm(column_type = "Text")]
    pub change_reason: String,
    pub status: String,
    pub batch_no: Option<i32>,
    pub notice_id: Option<String>,
    pub position: i32,
    pub created_ms: i64,
    pub updated_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
