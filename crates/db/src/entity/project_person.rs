use sea_orm::entity::prelude::*;

/// A beneficiary enrolled in a project, with the visit rule (JSON of `domain::delivery::VisitPlan`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project_people")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub project_id: String,
    pub person_id: String,
    pub worker_member_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub visit_rule_json: String,
    pub remote: bool,
    pub enrolled_on: Date,
    pub left_on: Option<Date>,
    pub file_built_on: Option<Date>,
    pub created_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
