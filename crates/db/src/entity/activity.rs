use sea_orm::entity::prelude::*;

/// A community activity (社区活动) with its public sign-in token and head count.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
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
    pub place: String,
    pub head_count: i32,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    pub signin_token: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
