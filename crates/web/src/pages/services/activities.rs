//! Community activities (社区活动): list, new and edit forms, the activity page with the sign-in
//! QR code (SVG) and the sign-ins with masked phones, and the public sign-in page `/s/{token}`
//! where participants write their name and phone without logging in.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use axum::routing::get;
use db::PageRequest;
use db::services::activities::{self, ActivityInput, ActivityView, PublicActivity, SigninView};
use db::services::{WorkerInput, recordable};
use qrcode::QrCode;
use qrcode::render::svg;

use super::{
    Field, FormBox, Header, ListPage, ListQuery, Row, Sent, cell, ctx, form_page, header, saved, web_checked,
    worker_field,
};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::pages::{next_href, render, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/records/activities/new", get(new_form).post(create))
        .route("/projects/{id}/records/activities/{rid}", get(show))
        .route("/projects/{id}/records/activities/{rid}/edit", get(edit_form).post(update))
        .route("/s/{token}", get(signin_page).post(sign_in))
}

pub(super) async fn list(state: &AppState, viewer: &Viewer, id: &str, q: ListQuery) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = db::services::project(&state.db, &actor, id).await?;
    let page =
        activities::list(&state.db, &actor, id, &PageRequest { after: q.after.clone(), limit: Some(50) }).await?;
    let rows = page
        .items
        .iter()
        .map(|a| Row {
            href: format!("/projects/{id}/records/activities/{}", a.id),
            title: a.title.clone(),
            cells: vec![
                cell(t.get("services.date"), a.held_on.to_string()),
                cell(t.get("services.place"), a.place.clone()),
                cell(t.get("services.participants"), a.participants.to_string()),
                cell(t.get("services.worker"), a.worker_name.clone()),
            ],
        })
        .collect();
    let page = ListPage {
        ctx: ctx(viewer, &p, "activities", None).flash_from(q.ok.as_deref()),
        h: header(t, &actor, &p, "activities"),
        kind: "activities",
        title_label: t.get("services.activity_title"),
        columns: vec![
            t.get("services.date"),
            t.get("services.place"),
            t.get("services.participants"),
            t.get("services.worker"),
        ],
        rows,
        next: next_href(&format!("/projects/{id}/records/activities"), &[], page.next_cursor),
        links: Vec::new(),
        extra: None,
    };
    Ok(render(&page))
}

async fn form(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    rid: Option<&str>,
    sent: &Sent<'_>,
    errors: FormErrors,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = recordable(&state.db, &actor, id).await?;
    let fields = vec![
        Field::new("title", t.get("services.activity_title"), "text", sent.get("title")),
        Field::new("held_on", t.get("services.date"), "date", sent.get("held_on")),
        Field::new("place", t.get("services.place"), "text", sent.get("place")),
        worker_field(t, &p, &sent.get("worker_member_id")),
        Field::new("head_count", t.get("services.head_count"), "number", sent.get("head_count"))
            .hint(t.get("services.head_count_hint")),
        Field::new("notes", t.get("services.notes"), "textarea", sent.get("notes")),
    ];
    let (title, action) = match rid {
        Some(r) => (t.get("services.edit"), format!("/projects/{id}/records/activities/{r}/edit")),
        None => (t.get("services.new_activity"), format!("/projects/{id}/records/activities/new")),
    };
    let form = FormBox { title: String::new(), action, fields, errors, submit: t.get("common.save") };
    Ok(form_page(ctx(viewer, &p, "activities", Some(title)), header(t, &actor, &p, "activities"), form))
}

fn input(sent: &Sent<'_>) -> Result<ActivityInput, db::AppError> {
    let mut e = Vec::new();
    let held_on = sent.date("held_on", "活动日期", &mut e);
    let head_count = sent.int("head_count", "现场人数", &mut e);
    web_checked(e)?;
    Ok(ActivityInput {
        title: sent.get("title"),
        held_on,
        place: sent.get("place"),
        worker: WorkerInput { worker_member_id: Some(sent.get("worker_member_id")), worker_name: String::new() },
        head_count,
        notes: sent.get("notes"),
    })
}

async fn new_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let pairs = vec![("held_on".to_string(), super::today(&state))];
    form(&state, &viewer, &id, None, &Sent(&pairs), FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let sent = Sent(&f.pairs);
    let result = async {
        let i = input(&sent)?;
        activities::create(&state.db, &actor, &id, &i, state.now_ms()).await
    }
    .await;
    saved(
        result,
        |a| format!("/projects/{id}/records/activities/{}?ok=created", a.id),
        async |errors| form(&state, &viewer, &id, None, &sent, errors).await,
    )
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let (a, _) = activities::get(&state.db, &actor, &state.keys, &id, &rid).await?;
    let pairs = vec![
        ("title".to_string(), a.title),
        ("held_on".to_string(), a.held_on.to_string()),
        ("place".to_string(), a.place),
        ("worker_member_id".to_string(), a.worker_member_id.unwrap_or_default()),
        ("head_count".to_string(), a.head_count.to_string()),
        ("notes".to_string(), a.notes),
    ];
    form(&state, &viewer, &id, Some(&rid), &Sent(&pairs), FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let sent = Sent(&f.pairs);
    let result = async {
        let i = input(&sent)?;
        activities::update(&state.db, &actor, &id, &rid, &i, state.now_ms()).await
    }
    .await;
    saved(
        result,
        |_| format!("/projects/{id}/records/activities/{rid}?ok=saved"),
        async |errors| form(&state, &viewer, &id, Some(&rid), &sent, errors).await,
    )
    .await
}

/// The absolute sign-in URL as phones will open it (the request's host).
fn signin_url(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}/s/{token}")
}

/// The QR code of a URL as an SVG element (empty when it cannot be encoded).
pub(super) fn qr_svg(url: &str) -> String {
    match QrCode::new(url.as_bytes()) {
        Ok(code) => {
            let doc = code.render::<svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
            // inline in HTML: drop the XML declaration before <svg
            doc.find("<svg").map(|i| doc[i..].to_string()).unwrap_or_default()
        }
        Err(_) => String::new(),
    }
}

#[derive(Template)]
#[template(path = "services/activity.html")]
struct ActivityPage {
    ctx: Ctx,
    h: Header,
    a: ActivityView,
    url: String,
    qr: String,
    signins: Vec<SigninView>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    ok: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, rid)): Path<(String, String)>,
    Query(q): Query<ShowQuery>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = db::services::project(&state.db, &actor, &id).await?;
    let (a, signins) = activities::get(&state.db, &actor, &state.keys, &id, &rid).await?;
    let url = signin_url(&state, &headers, &a.signin_token);
    let page = ActivityPage {
        ctx: ctx(&viewer, &p, "activities", Some(&a.title)).flash_from(q.ok.as_deref()),
        h: header(t, &actor, &p, "activities"),
        qr: qr_svg(&url),
        url,
        a,
        signins,
    };
    Ok(render(&page))
}

// ---- the public sign-in page ----------------------------------------------------------------

#[derive(Template)]
#[template(path = "services/signin.html")]
struct SigninPage {
    ctx: Ctx,
    a: PublicActivity,
    token: String,
    name: String,
    phone: String,
    errors: FormErrors,
    done: bool,
}

async fn signin_page(State(state): State<AppState>, viewer: Viewer, Path(token): Path<String>) -> PageResult<Response> {
    let a = activities::public(&state.db, &token, state.now_ms()).await?;
    let ctx = Ctx::new(&viewer, "", viewer.tr.get("services.signin_title"));
    let page = SigninPage {
        ctx,
        a,
        token,
        name: String::new(),
        phone: String::new(),
        errors: FormErrors::default(),
        done: false,
    };
    Ok(render(&page))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct SigninForm {
    name: String,
    phone: String,
}

async fn sign_in(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
    f: CsrfForm<SigninForm>,
) -> PageResult<Response> {
    let a = activities::public(&state.db, &token, state.now_ms()).await?;
    let ctx = Ctx::new(&viewer, "", viewer.tr.get("services.signin_title"));
    let result = activities::sign_in(&state.db, &state.keys, &token, &f.data.name, &f.data.phone, state.now_ms()).await;
    let (errors, done) = match result {
        Ok(()) => (FormErrors::default(), true),
        Err(e @ db::AppError::Validation(_)) => (FormErrors::from_app(&e), false),
        Err(e) => return Err(e.into()),
    };
    let failed = !done;
    let page = SigninPage { ctx, a, token, name: f.data.name, phone: f.data.phone, errors, done };
    Ok(unprocessable_if(failed, render(&page)))
}
