use sea_orm::entity::prelude::*;
use serde::Serialize;

/// One filled needs assessment (评估) of a person from a template (`assessments::templates`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "assessments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub person_id: String,
    pub template_code: String,
    /// {item code: option code}
    #[sea_orm(column_type = "Text")]
    pub answers_json: String,
    pub score: i32,
    /// The level or summary the template gives the score.
    pub result: String,
    pub assessed_on: Date,
    /// 复评日期
    pub next_on: Option<Date>,
    pub assessor_user_id: Option<String>,
    pub assessor_name: String,
    pub created_ms: i64,
    /// The level adjustments that applied, one per line (None or empty: the score's band).
    #[sea_orm(column_type = "Text", nullable)]
    pub adjusted_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
