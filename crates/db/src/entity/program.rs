use sea_orm::entity::prelude::*;

/// A program (计划/届). Rules are stored as JSON of `domain::rules::ProgramRules`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub funder_id: String,
    pub operator_id: Option<String>,
    pub year: i32,
    pub area_code: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub status: String,
    pub budget_fen: Option<i64>,
    pub source: String,
    #[sea_orm(column_type = "Text")]
    pub rules_json: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub published_ms: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
