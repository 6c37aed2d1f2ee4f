use sea_orm::entity::prelude::*;

/// An award (立项): made when a public notice closes, one per application, status `final`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "awards")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub program_id: String,
    pub application_id: String,
    pub organization_id: String,
    pub call_item_id: Option<String>,
    pub track_code: String,
    pub amount_fen: i64,
    pub status: String,
    pub notice_id: String,
    pub awarded_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
