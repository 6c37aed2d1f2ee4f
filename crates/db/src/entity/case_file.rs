use sea_orm::entity::prelude::*;

/// A case (个案) of one person, with its current stage; stages are `case_entry` rows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_files")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub project_id: String,
    pub worker_member_id: Option<String>,
    pub worker_name: String,
    pub created_by: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub person_id: String,
    pub title: String,
    pub stage: String,
    pub opened_on: Date,
    pub closed_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
