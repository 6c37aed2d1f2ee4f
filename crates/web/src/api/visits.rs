//! Verified visits (探访打卡): list a project's visits (keyset, newest first; filters by person
//! and review), check in by a service card's token (or record a phone contact by enrolment id),
//! and the supervisor's review. Scoped through the project: another project is 404.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use db::AppError;
use db::visits::{CheckIn, VisitFilter, VisitView};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::openapi::{ReadErrors, WriteErrors};
use super::{ApiJson, ApiQuery, PageDto, non_empty};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/visits", get(list).post(create))
        .route("/visits/{id}", get(get_one))
        .route("/visits/{id}/review", post(review))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitQuery {
    /// The project (required).
    pub project_id: String,
    /// An enrolment (project-person) id or a person id.
    pub person: Option<String>,
    /// ok | flagged | confirmed | rejected
    pub review: Option<String>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
    /// Rows per page, 1–200 (default 50).
    pub limit: Option<u64>,
}

/// The visits of a project, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/visits",
    operation_id = "list_visits",
    tag = "visits",
    params(VisitQuery),
    responses((status = 200, description = "A page of visits", body = PageDto<VisitView>), ReadErrors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<VisitQuery>,
) -> ApiResult<Json<PageDto<VisitView>>> {
    let filter = VisitFilter { person: non_empty(q.person), review: non_empty(q.review), worker_user_id: None };
    let page = db::PageRequest { after: non_empty(q.after), limit: q.limit };
    let page = db::visits::list(&state.db, &actor, &q.project_id, &filter, &page).await?;
    Ok(Json(PageDto::of(page, |x| x)))
}

/// One visit with its anomalies and review.
#[utoipa::path(
    get,
    path = "/api/v1/visits/{id}",
    operation_id = "get_visit",
    tag = "visits",
    params(("id" = String, Path, description = "Visit id")),
    responses((status = 200, description = "The visit", body = VisitView), ReadErrors)
)]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<VisitView>> {
    Ok(Json(db::visits::get(&state.db, &actor, &id).await?))
}

/// A check-in: the token of the scanned service card (home visits), or the enrolment id for a
/// phone contact without a card.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckInRequest {
    /// The token of the card's URL `/c/{token}`.
    #[serde(default)]
    pub token: Option<String>,
    /// The enrolment (project-person) id, when there is no card (phone contact).
    #[serde(default)]
    pub project_person_id: Option<String>,
    #[serde(flatten)]
    pub visit: CheckIn,
}

/// Record a visit by the calling worker; the server sets the recorded time and flags anomalies
/// (far from home, too short, repeated, impossible travel, revoked card, recorded late).
#[utoipa::path(
    post,
    path = "/api/v1/visits",
    operation_id = "create_visit",
    tag = "visits",
    request_body = CheckInRequest,
    responses((status = 201, description = "The visit as recorded, with its anomalies", body = VisitView), WriteErrors)
)]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(req): ApiJson<CheckInRequest>,
) -> ApiResult<(StatusCode, Json<VisitView>)> {
    let card = match non_empty(req.token) {
        Some(t) => Some(db::visits::cards::resolve(&state.db, &state.keys, &t).await?),
        None => None,
    };
    let pp = match (&card, non_empty(req.project_person_id)) {
        (Some(c), _) => c.project_person_id.clone(),
        (None, Some(pp)) => pp,
        (None, None) => return Err(AppError::field("token", "服务卡：请提供服务卡令牌或服务对象").into()),
    };
    let v = db::visits::record(&state.db, &actor, &pp, card.as_ref(), &req.visit, state.now_ms()).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// confirmed | rejected
    pub decision: String,
    /// Required to reject.
    #[serde(default)]
    pub note: String,
}

/// A supervisor confirms or rejects a visit (a rejected visit does not count towards outputs).
#[utoipa::path(
    post,
    path = "/api/v1/visits/{id}/review",
    operation_id = "review_visit",
    tag = "visits",
    params(("id" = String, Path, description = "Visit id")),
    request_body = ReviewRequest,
    responses((status = 200, description = "The reviewed visit", body = VisitView), WriteErrors)
)]
pub async fn review(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ReviewRequest>,
) -> ApiResult<Json<VisitView>> {
    Ok(Json(db::visits::decide(&state.db, &actor, &id, &req.decision, &req.note, state.now_ms()).await?))
}
