use sea_orm::entity::prelude::*;

/// A call item. Nested parts (outputs, indicators, rules …) are JSON of the domain types.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "call_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub program_id: String,
    pub track_code: String,
    pub code: String,
    pub name: String,
    pub category: String,
    pub lot: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub overview: String,
    #[sea_orm(column_type = "Text")]
    pub beneficiaries: String,
    #[sea_orm(column_type = "Text")]
    pub service_volume: String,
    #[sea_orm(column_type = "Text")]
    pub objectives: String,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    #[sea_orm(column_type = "Text")]
    pub outputs_json: String,
    #[sea_orm(column_type = "Text")]
    pub indicators_json: String,
    pub funding_cap_fen: Option<i64>,
    pub slots: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub places: String,
    #[sea_orm(column_type = "Text")]
    pub place_codes_json: String,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub period_note: String,
    #[sea_orm(column_type = "Text")]
    pub support_units_json: String,
    #[sea_orm(column_type = "Text")]
    pub co_funding_json: String,
    #[sea_orm(column_type = "Text")]
    pub rules_json: String,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    pub position: i32,
    pub created_ms: i64,
    pub updated_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
