//! The caller's notifications.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use db::notifications::NotificationView;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{ReadErrors, WriteErrors};
use super::{ApiQuery, PageDto, PageParams};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/{id}/read", post(mark_read))
        .route("/notifications/read-all", post(mark_all_read))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// `true`: unread only.
    pub unread: Option<bool>,
}

/// The caller's notifications, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/notifications",
    operation_id = "list_notifications",
    tag = "notifications",
    params(NotificationQuery, PageParams),
    responses((status = 200, description = "A page of notifications", body = PageDto<NotificationView>), ReadErrors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<NotificationQuery>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<NotificationView>>> {
    let page = db::notifications::list(&state.db, &actor, q.unread.unwrap_or(false), &page.request()).await?;
    Ok(Json(PageDto::of(page, |n| n)))
}

/// Where a read notification leads.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadResult {
    pub link: String,
}

/// Mark one of the caller's notifications read.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/{id}/read",
    operation_id = "read_notification",
    tag = "notifications",
    params(("id" = String, Path, description = "Notification id")),
    responses((status = 200, description = "Marked read", body = ReadResult), WriteErrors)
)]
pub async fn mark_read(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ReadResult>> {
    let link = db::notifications::mark_read(&state.db, &actor, &id, state.now_ms()).await?;
    Ok(Json(ReadResult { link }))
}

/// How many notifications were marked read.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadAllResult {
    pub marked: u64,
}

/// Mark all the caller's notifications read.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/read-all",
    operation_id = "read_all_notifications",
    tag = "notifications",
    responses((status = 200, description = "Marked read", body = ReadAllResult), WriteErrors)
)]
pub async fn mark_all_read(State(state): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<ReadAllResult>> {
    let marked = db::notifications::mark_all_read(&state.db, &actor, state.now_ms()).await?;
    Ok(Json(ReadAllResult { marked }))
}
