//! The visits of a project (`/projects/{id}/visits`, `?person=` and `?review=flagged`), one
//! visit with its anomalies and the supervisor's confirm / reject, its photo, and the Excel
//! export `/projects/{id}/visits.xlsx`.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use db::visits::{VisitFilter, VisitView};
use db::{AppError, PageRequest};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;

use super::{channel_label, review_label, service_names, when};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::pages::{next_href, render, see_other, unprocessable};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/visits", get(list))
        .route("/projects/{id}/visits.xlsx", get(export))
        .route("/projects/{id}/visits/{vid}", get(show))
        .route("/projects/{id}/visits/{vid}/photo", get(photo))
        .route("/projects/{id}/visits/{vid}/review", post(decide))
}

/// A visit as a row.
struct Row {
    v: VisitView,
    when: String,
    channel: &'static str,
    review: &'static str,
    services: String,
}

fn row(t: crate::i18n::Tr, v: VisitView) -> Row {
    Row {
        when: when(v.occurred_ms),
        channel: channel_label(t, &v),
        review: review_label(t, &v.review),
        services: service_names(t, &v.services),
        v,
    }
}

#[derive(Template)]
#[template(path = "visits/list.html")]
struct ListPage {
    ctx: Ctx,
    project_id: String,
    rows: Vec<Row>,
    review: String,
    person: String,
    next: Option<String>,
    can_supervise: bool,
    filters: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    after: Option<String>,
    person: Option<String>,
    review: Option<String>,
    ok: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = db::projects::get(&state.db, &actor, &id).await?;
    let review = q.review.clone().filter(|r| db::visits::REVIEWS.contains(&r.as_str())).unwrap_or_default();
    let person = q.person.clone().unwrap_or_default();
    let filter = VisitFilter { person: q.person.clone(), review: Some(review.clone()), worker_user_id: None };
    let page =
        db::visits::list(&state.db, &actor, &id, &filter, &PageRequest { after: q.after, limit: Some(50) }).await?;
    let base = format!("/projects/{id}/visits");
    let ctx = Ctx::new(&viewer, "projects", t.get("visits.list_title"))
        .crumb(format!("/projects/{id}"), p.title.clone())
        .crumb(base.clone(), t.get("visits.list_title"))
        .flash_from(q.ok.as_deref());
    let filters = vec![
        ("", t.get("visits.review.all")),
        ("flagged", t.get("visits.review.flagged")),
        ("confirmed", t.get("visits.review.confirmed")),
        ("rejected", t.get("visits.review.rejected")),
        ("ok", t.get("visits.review.ok")),
    ];
    Ok(render(&ListPage {
        ctx,
        project_id: id.clone(),
        rows: page.items.into_iter().map(|v| row(t, v)).collect(),
        next: next_href(&base, &[("person", &person), ("review", &review)], page.next_cursor),
        review,
        person,
        can_supervise: db::projects::may_supervise(&actor, &p),
        filters,
    }))
}

#[derive(Template)]
#[template(path = "visits/show.html")]
struct ShowPage {
    ctx: Ctx,
    r: Row,
    recorded: String,
    can_review: bool,
    errors: FormErrors,
    note: String,
}

async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    vid: &str,
    ok: Option<&str>,
    errors: FormErrors,
    note: String,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = db::projects::get(&state.db, &actor, id).await?;
    let v = db::visits::get(&state.db, &actor, vid).await?;
    if v.project_id != p.id {
        return Err(AppError::NotFound("探访记录".into()).into());
    }
    let can_review = db::projects::may_supervise(&actor, &p) && actor.user_id.as_deref() != Some(&v.worker_user_id);
    let ctx = Ctx::new(viewer, "projects", format!("{} · {}", v.person_name, when(v.occurred_ms)))
        .crumb(format!("/projects/{id}"), p.title.clone())
        .crumb(format!("/projects/{id}/visits"), t.get("visits.list_title"))
        .flash_from(ok);
    let failed = !errors.is_empty();
    let page = ShowPage { ctx, recorded: when(v.recorded_ms), r: row(t, v), can_review, errors, note };
    Ok(if failed { unprocessable(render(&page)) } else { render(&page) })
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, vid)): Path<(String, String)>,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    show_page(&state, &viewer, &id, &vid, q.ok.as_deref(), FormErrors::default(), String::new()).await
}

#[derive(Deserialize)]
struct ReviewForm {
    decision: String,
    #[serde(default)]
    note: String,
}

async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, vid)): Path<(String, String)>,
    f: CsrfForm<ReviewForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let v = db::visits::get(&state.db, &actor, &vid).await?;
    if v.project_id != id {
        return Err(AppError::NotFound("探访记录".into()).into());
    }
    match db::visits::decide(&state.db, &actor, &vid, &f.data.decision, &f.data.note, state.now_ms()).await {
        Ok(_) => Ok(see_other(&format!("/projects/{id}/visits?review=flagged&ok=visit_reviewed"))),
        Err(e @ AppError::Validation(_)) => {
            show_page(&state, &viewer, &id, &vid, None, FormErrors::from_app(&e), f.data.note.clone()).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn photo(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, vid)): Path<(String, String)>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let v = db::visits::get(&state.db, &actor, &vid).await?;
    let key = v.photo_key.filter(|_| v.project_id == id).ok_or_else(|| AppError::NotFound("照片".into()))?;
    let store = state.file_store()?;
    let bytes = store.get(&key).await?;
    let ctype = db::files::image_kind(&bytes).map_or("application/octet-stream", |(_, ct)| ct);
    Ok((
        [
            (header::CONTENT_TYPE, ctype),
            (header::CACHE_CONTROL, "private, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response())
}

const COLUMNS: [&str; 13] = [
    "探访时间",
    "记录时间",
    "服务对象",
    "社工",
    "方式",
    "时长（分钟）",
    "服务内容",
    "备注",
    "纬度",
    "经度",
    "异常",
    "审核",
    "审核意见",
];

fn workbook(t: crate::i18n::Tr, rows: &[VisitView]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_background_color("D9E2EC");
    let sheet = wb.add_worksheet();
    sheet.set_name("探访记录")?;
    for (c, h) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &head)?;
        sheet.set_column_width(c as u16, if c == 7 || c == 10 { 40 } else { 16 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (i, v) in rows.iter().enumerate() {
        let r = (i + 1) as u32;
        sheet.write_string(r, 0, when(v.occurred_ms))?;
        sheet.write_string(r, 1, when(v.recorded_ms))?;
        sheet.write_string(r, 2, &v.person_name)?;
        sheet.write_string(r, 3, &v.worker_name)?;
        sheet.write_string(r, 4, channel_label(t, v))?;
        sheet.write_number(r, 5, f64::from(v.duration_min))?;
        sheet.write_string(r, 6, service_names(t, &v.services))?;
        sheet.write_string(r, 7, &v.notes)?;
        if let (Some(lat), Some(lng)) = (v.lat, v.lng) {
            sheet.write_number(r, 8, lat)?;
            sheet.write_number(r, 9, lng)?;
        }
        let anomalies: Vec<&str> = v.anomalies.iter().map(|a| a.message.as_str()).collect();
        sheet.write_string(r, 10, anomalies.join("；"))?;
        sheet.write_string(r, 11, review_label(t, &v.review))?;
        sheet.write_string(r, 12, &v.review_note)?;
    }
    wb.save_to_buffer()
}

async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let filter = VisitFilter { person: q.person, review: q.review, worker_user_id: None };
    let mut rows = Vec::new();
    let mut req = PageRequest { after: None, limit: Some(db::pagination::MAX_LIMIT) };
    loop {
        let page = db::visits::list(&state.db, &actor, &id, &filter, &req).await?;
        rows.extend(page.items);
        match page.next_cursor {
            Some(c) => req.after = Some(c),
            None => break,
        }
    }
    let bytes = workbook(viewer.tr, &rows).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"visits.xlsx\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}
