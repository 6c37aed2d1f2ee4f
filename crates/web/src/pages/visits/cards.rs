//! Service cards (服务卡/幸福码), as the Hangzhou document describes them: the QR code (only the
//! check-in URL, no personal data), the organization, the paired worker or volunteer and phone,
//! the service list and the complaint phone — one per person or eight per A4 page — and the
//! reissue that revokes the old card (挂失/重新制卡).

use std::sync::LazyLock;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use db::AppError;
use db::projects::{EnrolmentView, ProjectView};
use qrcode::QrCode;
use qrcode::render::svg;
use sea_orm::EntityTrait;

use super::origin;
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::pages::{render, see_other};
use crate::state::AppState;
use crate::view::Ctx;

/// The complaint phone printed on cards: `GONGYI_COMPLAINT_PHONE`, else 12345 (政务服务便民热线).
static COMPLAINT_PHONE: LazyLock<String> = LazyLock::new(|| {
    std::env::var("GONGYI_COMPLAINT_PHONE").ok().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "12345".into())
});

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/cards", get(batch))
        .route("/projects/{id}/people/{pp}/card", get(one))
        .route("/projects/{id}/people/{pp}/card/reissue", post(reissue))
}

/// One printed card.
struct Card {
    project_person_id: String,
    person_name: String,
    worker: String,
    worker_phone: String,
    url: String,
    qr: String,
}

#[derive(Template)]
#[template(path = "visits/cards.html")]
struct CardsPage {
    ctx: Ctx,
    project_id: String,
    organization: String,
    services: String,
    complaint: String,
    cards: Vec<Card>,
    single: bool,
    can_reissue: bool,
}

fn qr_svg(url: &str) -> String {
    match QrCode::new(url.as_bytes()) {
        Ok(code) => code.render::<svg::Color<'_>>().min_dimensions(120, 120).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

async fn complaint_line(state: &AppState, p: &ProjectView) -> String {
    let funder = match &p.program {
        Some(prog) => db::entity::organization::Entity::find_by_id(prog.funder_id.as_str())
            .one(&state.db)
            .await
            .ok()
            .flatten()
            .map(|o| o.name),
        None => None,
    };
    match funder {
        Some(f) => format!("{}（{f}）", COMPLAINT_PHONE.as_str()),
        None => COMPLAINT_PHONE.clone(),
    }
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    p: &ProjectView,
    people: Vec<EnrolmentView>,
    single: bool,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    if !db::projects::may_record(&actor, p) && !db::projects::may_supervise(&actor, p) {
        return Err(AppError::Forbidden.into());
    }
    let t = viewer.tr;
    let ids: Vec<String> = people.iter().map(|e| e.id.clone()).collect();
    let cards = db::visits::cards::current_many(&state.db, &actor, &state.keys, &ids, state.now_ms()).await?;
    let base = origin(state, headers);
    let cards = people
        .iter()
        .zip(cards)
        .map(|(e, c)| {
            let url = format!("{base}/c/{}", c.token);
            Card {
                project_person_id: e.id.clone(),
                person_name: e.person_name.clone(),
                worker: e.worker_name.clone().unwrap_or_default(),
                worker_phone: e.worker_phone.clone().unwrap_or_default(),
                qr: qr_svg(&url),
                url,
            }
        })
        .collect();
    let services =
        db::services::records::service_types().iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join("、");
    let title = if single { t.get("visits.card.title") } else { t.get("visits.card.batch") };
    let ctx = Ctx::new(viewer, "projects", title).crumb(format!("/projects/{}", p.id), p.title.clone());
    Ok(render(&CardsPage {
        ctx,
        project_id: p.id.clone(),
        organization: p.organization_name.clone(),
        services,
        complaint: complaint_line(state, p).await,
        cards,
        single,
        can_reissue: db::projects::may_supervise(&actor, p) || db::projects::may_manage(&actor, p),
    }))
}

async fn one(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, pp)): Path<(String, String)>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let en = db::projects::enrolment(&state.db, &actor, &pp).await?;
    if en.project_id != id {
        return Err(AppError::NotFound("服务对象".into()).into());
    }
    let p = db::projects::get(&state.db, &actor, &id).await?;
    page(&state, &viewer, &headers, &p, vec![en], true).await
}

async fn batch(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let p = db::projects::get(&state.db, &actor, &id).await?;
    let people =
        db::projects::people(&state.db, &actor, &id).await?.into_iter().filter(|e| e.left_on.is_none()).collect();
    page(&state, &viewer, &headers, &p, people, false).await
}

async fn reissue(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, pp)): Path<(String, String)>,
    _f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let en = db::projects::enrolment(&state.db, &actor, &pp).await?;
    let p = db::projects::get(&state.db, &actor, &id).await?;
    if en.project_id != p.id {
        return Err(AppError::NotFound("服务对象".into()).into());
    }
    if !db::projects::may_supervise(&actor, &p) && !db::projects::may_manage(&actor, &p) {
        return Err(AppError::Forbidden.into());
    }
    db::visits::cards::reissue(&state.db, &actor, &state.keys, &pp, state.now_ms()).await?;
    Ok(see_other(&format!("/projects/{id}/people/{pp}/card")))
}
