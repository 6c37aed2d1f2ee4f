use sea_orm::entity::prelude::*;

/// A printed service card (服务卡/幸福码) of one person in a project. Only the SHA-256 of the
/// token in the card's URL is stored; a revoked card stays for the record.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_cards")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub project_person_id: String,
    pub token_hash: String,
    pub issued_ms: i64,
    pub revoked_ms: Option<i64>,
    pub revoked_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
