//! Joint applicants (set by the applicant; confirmed or declined by each joint applicant),
//! attachments (multipart upload with the CSRF token in the query string, download within the
//! application's scope, delete while editable) and the diff between submitted versions.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use db::AppError;
use db::applications::{Change, MAX_ATTACHMENT_BYTES};
use serde::Deserialize;

use super::show::show_page;
use crate::auth::{CsrfForm, Viewer, check_csrf};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::pages::{render, see_other};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/applications/{id}/joint", post(set_joint))
        .route("/applications/{id}/joint/confirm", post(confirm))
        .route("/applications/{id}/joint/decline", post(decline))
        .route(
            "/applications/{id}/attachments",
            // room for a 10 MB file plus the form around it; the repository refuses larger files
            post(upload).layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES + 1024 * 1024)),
        )
        .route("/applications/{id}/attachments/{att}", get(download))
        .route("/applications/{id}/attachments/{att}/delete", post(delete))
        .route("/applications/{id}/versions/{version}/diff", get(diff))
}

/// Validation and conflicts are shown on the application page; others are error pages.
async fn back(state: &AppState, viewer: &Viewer, id: &str, r: Result<(), AppError>, ok: &str) -> PageResult<Response> {
    match r {
        Ok(()) => Ok(see_other(&format!("/applications/{id}?ok={ok}"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            show_page(state, viewer, id, None, FormErrors::from_app(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct JointForm {
    #[serde(default)]
    joint: String,
}

async fn set_joint(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<JointForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let keys: Vec<String> = form.data.joint.lines().map(str::to_string).collect();
    let r = db::applications::set_joint_applicants(&state.db, &actor, &id, &keys, state.now_ms()).await;
    back(&state, &viewer, &id, r, "joint_saved").await
}

async fn answer(state: AppState, viewer: Viewer, id: String, yes: bool) -> PageResult<Response> {
    let actor = viewer.require()?;
    db::applications::answer_joint(&state.db, &actor, &id, yes, state.now_ms()).await?;
    Ok(see_other(&format!("/applications?ok={}", if yes { "joint_confirmed" } else { "joint_declined" })))
}

async fn confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    answer(state, viewer, id, true).await
}

async fn decline(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    answer(state, viewer, id, false).await
}

#[derive(Deserialize, Default)]
struct CsrfQuery {
    #[serde(default, rename = "_csrf")]
    csrf: Option<String>,
}

async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<CsrfQuery>,
    mut multipart: Multipart,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    check_csrf(viewer.session.as_ref(), q.csrf.as_deref())?;
    let too_big = || AppError::field("file", "附件：文件超过 10 MB，请压缩后再上传");
    let (mut kind, mut file) = (String::new(), None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return back(&state, &viewer, &id, Err(too_big()), "").await,
        };
        match field.name() {
            Some("kind") => kind = field.text().await.unwrap_or_default(),
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_string();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(_) => return back(&state, &viewer, &id, Err(too_big()), "").await,
                }
            }
            _ => {}
        }
    }
    let (name, bytes) = file.unwrap_or_default();
    let store = state.file_store()?;
    let r = db::applications::upload_attachment(&state.db, &store, &actor, &id, &kind, &name, bytes, state.now_ms())
        .await
        .map(|_| ());
    back(&state, &viewer, &id, r, "attached").await
}

/// `filename*=` of Content-Disposition (RFC 5987): UTF-8 percent-encoded.
pub fn encoded_filename(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, att)): Path<(String, String)>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let store = state.file_store()?;
    let (v, bytes) = db::applications::attachment(&state.db, &store, &actor, &id, &att).await?;
    let ext = v.file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    Ok((
        [
            (header::CONTENT_TYPE, v.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"attachment.{ext}\"; filename*=UTF-8''{}",
                    encoded_filename(&v.file_name)
                ),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}

async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, att)): Path<(String, String)>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let store = state.file_store()?;
    let r = db::applications::delete_attachment(&state.db, &store, &actor, &id, &att, state.now_ms()).await;
    back(&state, &viewer, &id, r, "detached").await
}

#[derive(Template)]
#[template(path = "applications/diff.html")]
struct DiffPage {
    ctx: Ctx,
    id: String,
    version: i32,
    changes: Vec<Change>,
}

async fn diff(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, version)): Path<(String, i32)>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let a = db::applications::get(&state.db, &actor, &id).await?;
    let changes = db::applications::version_diff(&state.db, &actor, &id, version).await?;
    let tr = viewer.tr;
    let title = format!("{} · {} {version}", tr.get("applications.diff_title"), tr.get("applications.version"));
    let ctx = Ctx::new(&viewer, "applications", title)
        .crumb("/applications", tr.get("applications.title"))
        .crumb(format!("/applications/{id}"), a.input.title.clone())
        .crumb("", tr.get("applications.diff_title"));
    Ok(render(&DiffPage { ctx, id, version, changes }))
}
