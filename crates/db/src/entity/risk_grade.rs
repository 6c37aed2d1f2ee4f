use sea_orm::entity::prelude::*;
use serde::Serialize;

/// One child risk grade (儿童风险等级) set for a person, with its inputs; the latest counts.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "risk_grades")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub person_id: String,
    /// `domain::delivery::RiskInputs` as JSON.
    #[sea_orm(column_type = "Text")]
    pub inputs_json: String,
    /// red / yellow / blue / green
    pub grade: String,
    pub reason: String,
    pub set_on: Date,
    pub set_by: Option<String>,
    pub set_by_name: String,
    pub created_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
