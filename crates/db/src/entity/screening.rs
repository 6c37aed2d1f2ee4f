use sea_orm::entity::prelude::*;

/// A screening (初筛) decision: pass / fail / return, with reasons and the rule results seen.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "screenings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub application_id: String,
    pub outcome: String,
    #[sea_orm(column_type = "Text")]
    pub reasons: String,
    #[sea_orm(column_type = "Text")]
    pub rule_results_json: String,
    pub actor_id: Option<String>,
    pub at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
