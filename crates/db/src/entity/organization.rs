use sea_orm::entity::prelude::*;
use serde::Serialize;

/// An organization of any kind: funder, co_funder, operator, social_org, evaluator, area_office.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub kind: String,
    pub name: String,
    pub uscc: Option<String>,
    pub registered_on: Option<Date>,
    pub registration_authority: String,
    pub legal_representative: String,
    pub rating: Option<i32>,
    pub rated_on: Option<Date>,
    pub area_code: Option<String>,
    pub address: String,
    pub bank_name: String,
    pub bank_account: String,
    pub business_scope: String,
    pub abnormal_list: bool,
    pub abnormal_since: Option<Date>,
    pub blacklisted: bool,
    pub blacklisted_since: Option<Date>,
    pub under_investigation: bool,
    pub last_penalty_on: Option<Date>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
