use sea_orm::entity::prelude::*;

/// A drawn review panel (评审专家小组): the request, the seed, the pool snapshot and the draw as
/// recorded, so the draw can be replayed; the rubric and aggregation method as data.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_panels")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub program_id: String,
    /// Empty for the whole program.
    pub track_code: String,
    pub name: String,
    pub panel_size: i32,
    #[sea_orm(column_type = "Text")]
    pub required_fields_json: String,
    pub avoid_same_street: bool,
    /// Reviewers do not see the applicant organization's name.
    pub blind: bool,
    /// The u64 seed in decimal.
    pub seed: String,
    pub algorithm: String,
    #[sea_orm(column_type = "Text")]
    pub request_json: String,
    #[sea_orm(column_type = "Text")]
    pub pool_json: String,
    #[sea_orm(column_type = "Text")]
    pub draw_json: String,
    #[sea_orm(column_type = "Text")]
    pub rubric_json: String,
    #[sea_orm(column_type = "Text")]
    pub method_json: String,
    pub created_by: Option<String>,
    pub created_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
