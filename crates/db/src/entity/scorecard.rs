use sea_orm::entity::prelude::*;

/// One reviewer's scorecard for one assignment. Signed cards are locked.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scorecards")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub assignment_id: String,
    pub panel_id: String,
    pub application_id: String,
    pub expert_id: String,
    /// Criterion code → score (hundredths as decimal text).
    #[sea_orm(column_type = "Text")]
    pub scores_json: String,
    #[sea_orm(column_type = "Text")]
    pub knockouts_json: String,
    #[sea_orm(column_type = "Text")]
    pub comment: String,
    pub signed: bool,
    pub signed_ms: Option<i64>,
    pub updated_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
