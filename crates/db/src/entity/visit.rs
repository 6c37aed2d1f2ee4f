use sea_orm::entity::prelude::*;

/// A home visit or phone contact (探访/通讯联系) as recorded, with its anomalies and review.
/// `review`: "ok" (no anomaly), "flagged", "confirmed" or "rejected" (does not count).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "visits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub project_id: String,
    pub project_person_id: String,
    pub person_id: String,
    pub worker_user_id: String,
    pub card_id: Option<String>,
    /// "home" | "phone"
    pub channel: String,
    /// Server time of saving.
    pub recorded_ms: i64,
    /// When the worker says it happened.
    pub occurred_ms: i64,
    pub lat_e6: Option<i64>,
    pub lng_e6: Option<i64>,
    pub accuracy_m: Option<i32>,
    pub photo_key: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub services_json: String,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    pub duration_min: i32,
    #[sea_orm(column_type = "Text")]
    pub anomalies_json: String,
    pub review: String,
    pub reviewed_by: Option<String>,
    pub reviewed_ms: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub review_note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
