//! A person's optional photo: upload (multipart with the CSRF token; a phone may take it with
//! the camera) and the scoped, uncached download.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use db::AppError;
use db::persons::photo::{self, MAX_PHOTO_BYTES};

use crate::auth::{Viewer, check_csrf};
use crate::error::PageResult;
use crate::pages::see_other;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/photo", get(show))
        .route("/persons/{id}/photo", post(upload).layer(DefaultBodyLimit::max(MAX_PHOTO_BYTES + 256 * 1024)))
}

async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let mut csrf = None;
    let mut file = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.ok(),
            Some("photo") => file = field.bytes().await.ok(),
            _ => {}
        }
    }
    check_csrf(viewer.session.as_ref(), csrf.as_deref())?;
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return Err(AppError::field("photo", "照片：请选择图片").into());
    };
    photo::set_photo(&state.db, &actor, &state.file_store()?, &id, bytes.to_vec(), state.now_ms()).await?;
    Ok(see_other(&format!("/persons/{id}?ok=photo_saved#photo")))
}

async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    match photo::photo(&state.db, &actor, &state.file_store()?, &id).await? {
        Some((bytes, ct)) => {
            Ok(([(header::CONTENT_TYPE, ct), (header::CACHE_CONTROL, "private, no-store")], bytes).into_response())
        }
        None => Err(AppError::NotFound("照片".into()).into()),
    }
}
