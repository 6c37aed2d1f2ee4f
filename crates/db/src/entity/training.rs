use sea_orm::entity::prelude::*;

/// A training session (培训) with its trainees and assessment results.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trainings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub project_id: String,
    pub worker_member_id: Option<String>,
    pub worker_name: String,
    pub created_by: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub title: String,
    pub held_on: Date,
    pub minutes: i32,
    pub trainees: i32,
    pub examined: i32,
    pub passed: i32,
    #[sea_orm(column_type = "Text")]
    pub participants: String,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
