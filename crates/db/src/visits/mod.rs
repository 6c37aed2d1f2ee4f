//! Verified visits (探访打卡) and service cards (服务卡/幸福码).
//!
//! * [`cards`] — the signed, revocable token in a card's URL; only its hash is stored.
//! * [`record`] — a check-in or phone contact with its anomalies.
//! * [`review`] — the visits list (keyset paged) and the supervisor's confirm / reject.
//! * [`facts`] — counted visits for output progress (rejected visits do not count), read from
//!   [`tally`], one row per person kept with every write.
//!
//! Scope: through the project (`db::projects::get`): out of scope is "not found".

pub mod cards;
pub mod demo;
mod facts;
pub mod record;
mod review;
pub mod tally;
mod today;

use domain::delivery::Anomaly;
use serde::Serialize;

use crate::entity::visit;

pub use facts::{add_facts, local_date};
pub use record::{CheckIn, record};
pub use review::{VisitFilter, decide, get, list, worker_names};
pub use today::{TodayItem, today};

/// review: no anomaly / flagged for the supervisor / confirmed / rejected (does not count).
pub const REVIEWS: [&str; 4] = ["ok", "flagged", "confirmed", "rejected"];

/// A visit as lists, pages, the API and the audit log show it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitView {
    pub id: String,
    pub project_id: String,
    pub project_person_id: String,
    pub person_id: String,
    pub person_name: String,
    pub worker_user_id: String,
    pub worker_name: String,
    pub card_id: Option<String>,
    /// "home" | "phone"
    pub channel: String,
    pub recorded_ms: i64,
    pub occurred_ms: i64,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub accuracy_m: Option<i32>,
    pub photo_key: Option<String>,
    pub services: Vec<String>,
    pub notes: String,
    pub duration_min: i32,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub anomalies: Vec<Anomaly>,
    /// ok | flagged | confirmed | rejected
    pub review: String,
    pub reviewed_by: Option<String>,
    pub reviewed_ms: Option<i64>,
    pub review_note: String,
}

impl VisitView {
    /// Whether the visit counts towards outputs.
    pub fn counts(&self) -> bool {
        self.review != "rejected"
    }
}

pub(crate) fn view(m: &visit::Model, person_name: &str, worker_name: &str) -> VisitView {
    VisitView {
        id: m.id.clone(),
        project_id: m.project_id.clone(),
        project_person_id: m.project_person_id.clone(),
        person_id: m.person_id.clone(),
        person_name: person_name.to_string(),
        worker_user_id: m.worker_user_id.clone(),
        worker_name: worker_name.to_string(),
        card_id: m.card_id.clone(),
        channel: m.channel.clone(),
        recorded_ms: m.recorded_ms,
        occurred_ms: m.occurred_ms,
        lat: m.lat_e6.map(|v| v as f64 / 1e6),
        lng: m.lng_e6.map(|v| v as f64 / 1e6),
        accuracy_m: m.accuracy_m,
        photo_key: m.photo_key.clone(),
        services: serde_json::from_str(&m.services_json).unwrap_or_default(),
        notes: m.notes.clone(),
        duration_min: m.duration_min,
        anomalies: serde_json::from_str(&m.anomalies_json).unwrap_or_default(),
        review: m.review.clone(),
        reviewed_by: m.reviewed_by.clone(),
        reviewed_ms: m.reviewed_ms,
        review_note: m.review_note.clone(),
    }
}
