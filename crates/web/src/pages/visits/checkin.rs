//! The check-in page behind a service card `/c/{token}` (login required, at most three taps: open,
//! optionally tick services, 确认探访), the worker's today list `/today`, and a phone contact
//! from that list `/today/{pp}/phone` (no card needed).

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDateTime;
use db::projects::EnrolmentView;
use db::visits::{CheckIn, TodayItem, cards};
use db::{Actor, AppError, FieldError};
use domain::delivery::Channel;
use serde::Deserialize;

use super::{ServiceBox, service_boxes};
use crate::auth::{CsrfForm, Viewer, check_csrf};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::pages::{render, see_other, unprocessable};
use crate::state::AppState;
use crate::view::Ctx;

const MAX_PHOTO: usize = 10 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/c/{token}", get(show).post(save).layer(DefaultBodyLimit::max(MAX_PHOTO + 64 * 1024)))
        .route("/today", get(today))
        .route("/today/{pp}/phone", get(phone_form).post(phone_save))
}

#[derive(Template)]
#[template(path = "visits/checkin.html")]
struct CheckinPage {
    ctx: Ctx,
    /// "" for a phone contact (no card).
    token: String,
    en: EnrolmentView,
    project_title: String,
    resident_id_masked: String,
    revoked: bool,
    services: Vec<ServiceBox>,
    errors: FormErrors,
    sent_services: Vec<String>,
    duration: String,
    notes: String,
}

async fn page_of(
    state: &AppState,
    viewer: &Viewer,
    actor: &Actor,
    pp: &str,
    token: &str,
    revoked: bool,
) -> PageResult<CheckinPage> {
    let en = db::projects::enrolment(&state.db, actor, pp).await?;
    let p = db::projects::get(&state.db, actor, &en.project_id).await?;
    if !db::projects::may_record(actor, &p) {
        return Err(AppError::Forbidden.into());
    }
    let person = db::persons::get(&state.db, actor, &state.keys, &en.person_id).await.ok();
    let t = viewer.tr;
    let title = if token.is_empty() { t.get("visits.phone_title") } else { t.get("visits.checkin_title") };
    let ctx = Ctx::new(viewer, "today", title).crumb("/today", t.get("visits.today"));
    Ok(CheckinPage {
        ctx,
        token: token.to_string(),
        project_title: p.title.clone(),
        resident_id_masked: person.map(|x| x.resident_id_masked).unwrap_or_default(),
        en,
        revoked,
        services: service_boxes(t),
        errors: FormErrors::default(),
        sent_services: Vec::new(),
        duration: if token.is_empty() { "10".into() } else { "30".into() },
        notes: String::new(),
    })
}

async fn show(State(state): State<AppState>, viewer: Viewer, Path(token): Path<String>) -> PageResult<Response> {
    let Some(actor) = viewer.actor() else {
        return Ok(see_other(&format!("/login?next=/c/{token}")));
    };
    let card = cards::resolve(&state.db, &state.keys, &token).await?;
    let page = page_of(&state, &viewer, &actor, &card.project_person_id, &token, card.revoked_ms.is_some()).await?;
    Ok(render(&page))
}

/// The fields of the check-in form, read from multipart or urlencoded pairs.
#[derive(Default)]
struct Sent {
    pairs: Vec<(String, String)>,
    photo: Option<Vec<u8>>,
}

impl Sent {
    fn get(&self, k: &str) -> &str {
        self.pairs.iter().find(|(n, _)| n == k).map_or("", |(_, v)| v.trim())
    }
    fn all(&self, k: &str) -> Vec<String> {
        self.pairs.iter().filter(|(n, _)| n == k).map(|(_, v)| v.clone()).collect()
    }
    fn num(&self, k: &str) -> Option<f64> {
        self.get(k).parse::<f64>().ok().filter(|v| v.is_finite())
    }

    fn input(&self, channel: Channel) -> Result<CheckIn, AppError> {
        let mut errors = Vec::new();
        let duration_min = match self.get("duration_min").parse::<u32>() {
            Ok(v) => v,
            Err(_) => {
                errors.push(FieldError::new("duration_min", "时长：请填写分钟数"));
                0
            }
        };
        let occurred_ms = match self.get("occurred") {
            "" => None,
            s => match NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M") {
                Ok(local) => Some(domain::clock::shanghai_to_utc(local).timestamp_millis()),
                Err(_) => {
                    errors.push(FieldError::new("occurred", "探访时间：格式应为 2026-11-22 09:30"));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(CheckIn {
            channel,
            occurred_ms,
            lat: self.num("lat"),
            lng: self.num("lng"),
            accuracy_m: self.num("accuracy"),
            duration_min,
            services: self.all("services"),
            notes: self.get("notes").to_string(),
            photo_key: None,
        })
    }
}

async fn read_multipart(mut m: Multipart) -> Result<Sent, AppError> {
    let too_big = || AppError::field("photo", "照片：文件超过 10 MB，请重新拍摄");
    let mut sent = Sent::default();
    while let Some(field) = m.next_field().await.map_err(|_| too_big())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "photo" {
            let bytes = field.bytes().await.map_err(|_| too_big())?;
            if !bytes.is_empty() {
                sent.photo = Some(bytes.to_vec());
            }
        } else {
            sent.pairs.push((name, field.text().await.unwrap_or_default()));
        }
    }
    Ok(sent)
}

/// Store a photo in the file store, returning its key. The type is read from the file's first
/// bytes, not from what the phone says it is.
async fn store_photo(state: &AppState, project_id: &str, bytes: Vec<u8>) -> Result<String, AppError> {
    let Some((ext, _)) = db::files::image_kind(&bytes) else {
        return Err(AppError::field("photo", "照片：请上传 JPG、PNG 或 WebP 格式的图片"));
    };
    if bytes.len() > MAX_PHOTO {
        return Err(AppError::field("photo", "照片：文件超过 10 MB，请重新拍摄"));
    }
    let store = state.file_store()?;
    let key = format!("visits/{project_id}/{}.{ext}", db::new_id());
    store.put(&key, bytes).await?;
    Ok(key)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CsrfQuery {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
    Query(q): Query<CsrfQuery>,
    multipart: Multipart,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    check_csrf(viewer.session.as_ref(), q.csrf.as_deref())?;
    let card = cards::resolve(&state.db, &state.keys, &token).await?;
    let sent = read_multipart(multipart).await;
    let result = async {
        let sent = sent.as_ref().map_err(Clone::clone)?;
        let mut input = sent.input(Channel::Home)?;
        if let Some(bytes) = &sent.photo {
            let en = db::projects::enrolment(&state.db, &actor, &card.project_person_id).await?;
            input.photo_key = Some(store_photo(&state, &en.project_id, bytes.clone()).await?);
        }
        db::visits::record(&state.db, &actor, &card.project_person_id, Some(&card), &input, state.now_ms()).await
    }
    .await;
    match result {
        Ok(v) => Ok(see_other(&format!("/projects/{}/visits/{}?ok=visit_saved", v.project_id, v.id))),
        Err(e @ AppError::Validation(_)) => {
            let mut page =
                page_of(&state, &viewer, &actor, &card.project_person_id, &token, card.revoked_ms.is_some()).await?;
            refill(&mut page, sent.as_ref().ok(), &e);
            Ok(unprocessable(render(&page)))
        }
        Err(e) => Err(e.into()),
    }
}

fn refill(page: &mut CheckinPage, sent: Option<&Sent>, e: &AppError) {
    page.errors = FormErrors::from_app(e);
    if let Some(s) = sent {
        page.sent_services = s.all("services");
        page.duration = s.get("duration_min").to_string();
        page.notes = s.get("notes").to_string();
    }
}

#[derive(Template)]
#[template(path = "visits/today.html")]
struct TodayPage {
    ctx: Ctx,
    items: Vec<TodayItem>,
    day: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OkQuery {
    ok: Option<String>,
}

async fn today(State(state): State<AppState>, viewer: Viewer, Query(q): Query<OkQuery>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let day = state.clock.now().with_timezone(&domain::clock::shanghai()).date_naive();
    let items = db::visits::today(&state.db, &actor, day).await?;
    let ctx = Ctx::new(&viewer, "today", viewer.tr.get("visits.today")).flash_from(q.ok.as_deref());
    Ok(render(&TodayPage { ctx, items, day: day.to_string() }))
}

async fn phone_form(State(state): State<AppState>, viewer: Viewer, Path(pp): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    Ok(render(&page_of(&state, &viewer, &actor, &pp, "", false).await?))
}

async fn phone_save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(pp): Path<String>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let sent = Sent { pairs: f.pairs, photo: None };
    let result = match sent.input(Channel::Phone) {
        Ok(input) => db::visits::record(&state.db, &actor, &pp, None, &input, state.now_ms()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other("/today?ok=visit_saved")),
        Err(e @ AppError::Validation(_)) => {
            let mut page = page_of(&state, &viewer, &actor, &pp, "", false).await?;
            refill(&mut page, Some(&sent), &e);
            Ok(unprocessable(render(&page)))
        }
        Err(e) => Err(e.into()),
    }
}
