//! Recording a visit (探访打卡) or phone contact: server time, location, photo key, services,
//! notes and duration; anomalies computed with `domain::delivery::detect` and stored with the
//! visit (never dropped). A flagged visit is shown to the project's supervisors and notified.

use chrono::{NaiveDateTime, TimeZone};
use domain::delivery::{AnomalyKind, Channel, Fix, GeoPoint, VisitContext, VisitEvent, detect};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use serde::{Deserialize, Serialize};

use super::VisitView;
use crate::audit::Event;
use crate::entity::{service_card, visit};
use crate::{Actor, AppError, AppResult, DatabaseConnection, FieldError, db_err, new_id};

/// Look this far around a new visit for repeats and travel.
const WINDOW_MS: i64 = 24 * 3600 * 1000;
/// The longest visit a worker may enter (minutes).
pub const MAX_DURATION_MIN: u32 = 600;

/// What the worker enters (the server adds the time it was recorded).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckIn {
    /// "home" (上门探访) or "phone" (通讯联系).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "home"))]
    pub channel: Channel,
    /// When it happened (ms); absent = now. Much earlier than now is flagged as 事后补录.
    #[serde(default)]
    pub occurred_ms: Option<i64>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lng: Option<f64>,
    #[serde(default)]
    pub accuracy_m: Option<f64>,
    /// Minutes.
    pub duration_min: u32,
    /// Service type codes (`db::services::records::service_types`).
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub notes: String,
    /// A file store key of the photo, already stored.
    #[serde(default)]
    pub photo_key: Option<String>,
}

impl CheckIn {
    fn fix(&self) -> Option<Fix> {
        let (lat, lng) = (self.lat?, self.lng?);
        Some(Fix { point: GeoPoint::new(lat, lng), accuracy_m: self.accuracy_m })
    }
}

/// Local (Asia/Shanghai) time of an instant.
pub fn local_time(ms: i64) -> NaiveDateTime {
    domain::clock::shanghai().timestamp_millis_opt(ms).single().map(|t| t.naive_local()).unwrap_or_default()
}

fn e6(v: f64) -> i64 {
    (v * 1_000_000.0).round() as i64
}

fn channel_of(code: &str) -> Channel {
    if code == "phone" { Channel::Phone } else { Channel::Home }
}

pub(crate) fn channel_code(c: Channel) -> &'static str {
    match c {
        Channel::Home => "home",
        Channel::Phone => "phone",
    }
}

fn event_of(m: &visit::Model, card_revoked: bool) -> VisitEvent {
    let location = match (m.lat_e6, m.lng_e6) {
        (Some(lat), Some(lng)) => Some(Fix {
            point: GeoPoint::new(lat as f64 / 1e6, lng as f64 / 1e6),
            accuracy_m: m.accuracy_m.map(f64::from),
        }),
        _ => None,
    };
    VisitEvent {
        id: m.id.clone(),
        worker_id: m.worker_user_id.clone(),
        person_id: m.person_id.clone(),
        channel: channel_of(&m.channel),
        visited_at: local_time(m.occurred_ms),
        recorded_at: local_time(m.recorded_ms),
        location,
        duration_minutes: u32::try_from(m.duration_min).unwrap_or(0),
        card_revoked,
    }
}

/// Anomalies that are stored and shown but do not by themselves flag a visit: the person has
/// no registered location (a gap in the file, not a doubt about the visit).
pub fn flags(kind: AnomalyKind) -> bool {
    kind != AnomalyKind::NoHomeLocation
}

fn validate(input: &CheckIn, now_ms: i64) -> AppResult<()> {
    let mut errors = Vec::new();
    if input.duration_min > MAX_DURATION_MIN {
        errors.push(FieldError::new("duration_min", "时长：不能超过600分钟"));
    }
    if input.occurred_ms.is_some_and(|t| t < now_ms - 366 * WINDOW_MS) {
        errors.push(FieldError::new("occurred_ms", "探访时间：不能早于一年前"));
    }
    let codes = crate::services::records::service_types();
    if input.services.iter().any(|s| !codes.iter().any(|t| &t.code == s)) {
        errors.push(FieldError::new("services", "服务内容：请从列表中选择"));
    }
    if input.notes.chars().count() > 2000 {
        errors.push(FieldError::new("notes", "备注：不能超过2000字"));
    }
    if input.lat.is_some_and(|v| !(-90.0..=90.0).contains(&v))
        || input.lng.is_some_and(|v| !(-180.0..=180.0).contains(&v))
    {
        errors.push(FieldError::new("location", "定位：坐标无效"));
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

async fn recent<C: ConnectionTrait>(db: &C, col: visit::Column, key: &str, at_ms: i64) -> AppResult<Vec<VisitEvent>> {
    Ok(visit::Entity::find()
        .filter(col.eq(key))
        .filter(visit::Column::OccurredMs.between(at_ms - WINDOW_MS, at_ms + WINDOW_MS))
        .order_by_desc(visit::Column::OccurredMs)
        .limit(200)
        .all(db)
        .await
        .map_err(db_err)?
        .iter()
        .map(|m| event_of(m, false))
        .collect())
}

/// Record a visit to an enrolled person by the acting worker. `card` is the card scanned (a
/// revoked card is flagged), `None` for phone contacts or entries without a card. The checks use
/// the thresholds of the project's program (`programs::visit_checks`).
pub async fn record(
    db: &DatabaseConnection,
    actor: &Actor,
    project_person_id: &str,
    card: Option<&service_card::Model>,
    input: &CheckIn,
    now_ms: i64,
) -> AppResult<VisitView> {
    let en = crate::projects::enrolment(db, actor, project_person_id).await?;
    let project = crate::projects::get(db, actor, &en.project_id).await?;
    if !crate::projects::may_record(actor, &project) {
        return Err(AppError::Forbidden);
    }
    let Some(worker) = actor.user_id.clone() else { return Err(AppError::Forbidden) };
    validate(input, now_ms)?;
    let occurred_ms = input.occurred_ms.unwrap_or(now_ms);
    let id = new_id();
    let fix = input.fix();
    let mut row = visit::Model {
        id: id.clone(),
        project_id: en.project_id.clone(),
        project_person_id: en.id.clone(),
        person_id: en.person_id.clone(),
        worker_user_id: worker.clone(),
        card_id: card.map(|c| c.id.clone()),
        channel: channel_code(input.channel).to_string(),
        recorded_ms: now_ms,
        occurred_ms,
        lat_e6: fix.map(|f| e6(f.point.lat)),
        lng_e6: fix.map(|f| e6(f.point.lon)),
        accuracy_m: fix.and_then(|f| f.accuracy_m).filter(|a| a.is_finite()).map(|a| a.round().clamp(0.0, 1e9) as i32),
        photo_key: input.photo_key.clone().filter(|k| !k.is_empty()),
        services_json: serde_json::to_string(&input.services).unwrap_or_else(|_| "[]".into()),
        notes: input.notes.trim().to_string(),
        duration_min: i32::try_from(input.duration_min).unwrap_or(0),
        anomalies_json: "[]".into(),
        review: "ok".into(),
        reviewed_by: None,
        reviewed_ms: None,
        review_note: String::new(),
    };
    let ev = event_of(&row, card.is_some_and(|c| c.revoked_ms.is_some()));
    let home = crate::persons::location(db, &en.person_id).await?;
    let worker_recent = recent(db, visit::Column::WorkerUserId, &worker, occurred_ms).await?;
    let person_recent = recent(db, visit::Column::PersonId, &en.person_id, occurred_ms).await?;
    let ctx = VisitContext { home, worker_recent: &worker_recent, person_recent: &person_recent };
    let rules = crate::programs::visit_checks(db, project.program_id.as_deref()).await?;
    let anomalies = detect(&rules, &ev, &ctx);
    if anomalies.iter().any(|a| flags(a.kind)) {
        row.review = "flagged".into();
    }
    row.anomalies_json = serde_json::to_string(&anomalies).unwrap_or_else(|_| "[]".into());

    let names = super::worker_names(db, std::slice::from_ref(&worker)).await?;
    let txn = db.begin().await.map_err(db_err)?;
    let am: visit::ActiveModel = row.clone().into();
    visit::Entity::insert(am).exec_without_returning(&txn).await.map_err(db_err)?;
    super::tally::rebuild(&txn, &en.id, now_ms).await?;
    let view = super::view(&row, &en.person_name, names.get(&worker).map_or(actor.username.as_str(), String::as_str));
    Event::new(actor, now_ms, "visit.record", "visit", &id).after(&view).write(&txn).await?;
    if row.review == "flagged" {
        let mut to: Vec<String> = project
            .members
            .iter()
            .filter(|m| m.role == "supervisor" || m.role == "lead")
            .filter_map(|m| m.user_id.clone())
            .filter(|u| u != &worker)
            .collect();
        to.dedup();
        if !to.is_empty() {
            let kinds: Vec<&str> = anomalies.iter().filter(|a| flags(a.kind)).map(|a| a.kind.label()).collect();
            let text = format!("{}的探访记录有异常（{}），请审核", en.person_name, kinds.join("、"));
            let link = format!("/projects/{}/visits?review=flagged", en.project_id);
            crate::notifications::notify(&txn, &to, "visit.flagged", &text, &link, now_ms).await?;
        }
    }
    txn.commit().await.map_err(db_err)?;
    Ok(view)
}
