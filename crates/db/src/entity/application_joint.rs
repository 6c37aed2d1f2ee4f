use sea_orm::entity::prelude::*;

/// A joint applicant (联合申报方) of an application and its answer: pending / confirmed / declined.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_joint_applicants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub application_id: String,
    pub organization_id: String,
    pub status: String,
    pub requested_ms: i64,
    pub decided_ms: Option<i64>,
    pub decided_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
