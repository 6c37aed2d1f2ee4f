//! Verified visits (探访打卡): the service card and its batch print (`cards.rs`), the check-in
//! page behind a card's QR code `/c/{token}`, the worker's today list and phone contacts
//! (`checkin.rs`), the project's visits list with the supervisor's review, one visit, its photo
//! and the Excel export (`review.rs`).

mod cards;
mod checkin;
mod review;

use axum::Router;
use db::visits::VisitView;

use crate::i18n::Tr;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().merge(cards::routes()).merge(checkin::routes()).merge(review::routes())
}

/// "2026-11-22 10:00" (Asia/Shanghai).
pub(super) fn when(ms: i64) -> String {
    db::visits::record::local_time(ms).format("%Y-%m-%d %H:%M").to_string()
}

/// 上门探访 / 通讯联系
pub(super) fn channel_label(t: Tr, v: &VisitView) -> &'static str {
    if v.channel == "phone" { t.get("visits.channel.phone") } else { t.get("visits.channel.home") }
}

pub(super) fn review_label(t: Tr, review: &str) -> &'static str {
    match review {
        "flagged" => t.get("visits.review.flagged"),
        "confirmed" => t.get("visits.review.confirmed"),
        "rejected" => t.get("visits.review.rejected"),
        _ => t.get("visits.review.ok"),
    }
}

/// Service names of codes, in the viewer's language.
pub(super) fn service_names(t: Tr, codes: &[String]) -> String {
    let types = db::services::records::service_types();
    codes
        .iter()
        .map(|c| match types.iter().find(|s| &s.code == c) {
            Some(s) if t.is_en() => s.en.clone(),
            Some(s) => s.name.clone(),
            None => c.clone(),
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// One service type as a checkbox.
pub(super) struct ServiceBox {
    pub code: String,
    pub name: String,
}

pub(super) fn service_boxes(t: Tr) -> Vec<ServiceBox> {
    db::services::records::service_types()
        .iter()
        .map(|s| ServiceBox { code: s.code.clone(), name: if t.is_en() { s.en.clone() } else { s.name.clone() } })
        .collect()
}

/// The site's own origin for absolute URLs in QR codes (from the Host header).
pub(super) fn origin(state: &AppState, headers: &axum::http::HeaderMap) -> String {
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}
