use sea_orm::entity::prelude::*;

/// A beneficiary (服务对象), registered once per deployment. `resident_id_enc` and `phone_enc`
/// are AES-256-GCM ciphertexts (`crate::crypto`); `resident_id_hash` is the keyed hash for
/// lookup. Not `Serialize` on purpose: use `persons::PersonView` (masked) for output and audit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "persons")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organization_id: String,
    pub household_id: Option<String>,
    pub name: String,
    pub gender: String,
    pub birth_date: Date,
    #[sea_orm(column_type = "Text")]
    pub resident_id_enc: String,
    pub resident_id_hash: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub phone_enc: Option<String>,
    pub address: String,
    pub area_code: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub categories_json: String,
    pub care_level: String,
    pub consent_on: Option<Date>,
    /// Home map point, WGS-84 degrees × 1,000,000 (m0009).
    pub lat_e6: Option<i64>,
    pub lng_e6: Option<i64>,
    /// The photo's key in the file store (m0009).
    pub photo_key: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
