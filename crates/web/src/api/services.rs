//! Services and professional work of a project: service records, cases, groups, activities,
//! trainings and supervision, listed (keyset, newest first) and created. Scoped through the
//! project: another organization's project is 404.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use db::services::activities::{self, ActivityInput, ActivityView};
use db::services::cases::{self, CaseInput, CaseView};
use db::services::groups::{self, GroupInput, GroupView};
use db::services::records::{self, RecordFilter, ServiceRecordInput, ServiceRecordView};
use db::services::supervision::{self, SupervisionInput, SupervisionView};
use db::services::trainings::{self, TrainingInput, TrainingView};

use super::openapi::{ReadErrors, WriteErrors};
use super::{ApiJson, ApiQuery, PageDto, PageParams, begin, commit};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/services", get(list_services).post(create_service))
        .route("/projects/{id}/cases", get(list_cases).post(create_case))
        .route("/projects/{id}/groups", get(list_groups).post(create_group))
        .route("/projects/{id}/activities", get(list_activities).post(create_activity))
        .route("/projects/{id}/trainings", get(list_trainings).post(create_training))
        .route("/projects/{id}/supervision", get(list_supervision).post(create_supervision))
}

type Created<T> = ApiResult<(StatusCode, Json<T>)>;

/// Service records (服务记录) of a project, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/services",
    operation_id = "list_service_records",
    tag = "services",
    params(("id" = String, Path, description = "Project id"), PageParams),
    responses((status = 200, description = "A page of service records", body = PageDto<ServiceRecordView>), ReadErrors)
)]
pub async fn list_services(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<ServiceRecordView>>> {
    let page = records::list(&state.db, &actor, &id, &RecordFilter::default(), &page.request()).await?;
    Ok(Json(PageDto::of(page, |x| x)))
}

/// Record a service (type from the service type list; people must be enrolled in the project).
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/services",
    operation_id = "create_service_record",
    tag = "services",
    params(("id" = String, Path, description = "Project id")),
    request_body = ServiceRecordInput,
    responses((status = 201, description = "The new record", body = ServiceRecordView), WriteErrors)
)]
pub async fn create_service(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ServiceRecordInput>,
) -> Created<ServiceRecordView> {
    let txn = begin(&state).await?;
    let v = records::create(&txn, &actor, &id, &input, state.now_ms()).await?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Cases (个案) of a project, newest first, with whole months of service.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/cases",
    operation_id = "list_cases",
    tag = "services",
    params(("id" = String, Path, description = "Project id"), PageParams),
    responses((status = 200, description = "A page of cases", body = PageDto<CaseView>), ReadErrors)
)]
pub async fn list_cases(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<CaseView>>> {
    let page = cases::list(&state.db, &actor, &id, None, &page.request(), state.now_ms()).await?;
    Ok(Json(PageDto::of(page, |x| x)))
}

/// Open a case: the case and its intake entry.
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/cases",
    operation_id = "create_case",
    tag = "services",
    params(("id" = String, Path, description = "Project id")),
    request_body = CaseInput,
    responses((status = 201, description = "The new case", body = CaseView), WriteErrors)
)]
pub async fn create_case(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CaseInput>,
) -> Created<CaseView> {
    Ok((StatusCode::CREATED, Json(cases::create(&state.db, &actor, &id, &input, state.now_ms()).await?)))
}

/// Groups (小组) of a project, newest first, with member and session counts.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/groups",
    operation_id = "list_groups",
    tag = "services",
    params(("id" = String, Path, description = "Project id"), PageParams),
    responses((status = 200, description = "A page of groups", body = PageDto<GroupView>), ReadErrors)
)]
pub async fn list_groups(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<GroupView>>> {
    let page = groups::list(&state.db, &actor, &id, &page.request()).await?;
    Ok(Json(PageDto::of(page, |x| x)))
}

/// Create a group with its members.
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/groups",
    operation_id = "create_group",
    tag = "services",
    params(("id" = String, Path, description = "Project id")),
    request_body = GroupInput,
    responses((status = 201, description = "The new group", body = GroupView), WriteErrors)
)]
pub async fn create_group(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<GroupInput>,
) -> Created<GroupView> {
    Ok((StatusCode::CREATED, Json(groups::create(&state.db, &actor, &id, &input, state.now_ms()).await?)))
}

/// Community activities (社区活动) of a project, newest first, with participants.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/activities",
    operation_id = "list_activities",
    tag = "services",
    params(("id" = String, Path, description = "Project id"), PageParams),
    responses((status = 200, description = "A page of activities", body = PageDto<ActivityView>), ReadErrors)
)]
pub async fn list_activities(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<ActivityView>>> {
    let page = activities::list(&state.db, &actor, &id, &page.request()).await?;
    Ok(Json(PageDto::of(page, |x| x)))
}

/// Create an activity; its `signin_token` opens the public sign-in page `/s/{token}`.
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/activities",
    operation_id = "create_activity",
    tag = "services",
    params(("id" = String, Path, description = "Project id")),
    request_body = ActivityInput,
    responses((status = 201, description = "The new activity", body = ActivityView), WriteErrors)
)]
pub async fn create_activity(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ActivityInput>,
) -> Created<ActivityView> {
    let txn = begin(&state).await?;
    let v = activities::create(&txn, &actor, &id, &input, state.now_ms()).await?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Trainings (培训) of a project, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/trainings",
    operation_id = "list_trainings",
    tag = "services",
    params(("id" = String, Path, description = "Project id"), PageParams),
    responses((status = 200, description = "A page of trainings", body = PageDto<TrainingView>), ReadErrors)
)]
pub async fn list_trainings(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<TrainingView>>> {
    let page = trainings::list(&state.db, &actor, &id, &page.request()).await?;
    Ok(Json(PageDto::of(page, |x| x)))
}

/// Record a training session with trainees and assessment results.
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/trainings",
    operation_id = "create_training",
    tag = "services",
    params(("id" = String, Path, description = "Project id")),
    request_body = TrainingInput,
    responses((status = 201, description = "The new training", body = TrainingView), WriteErrors)
)]
pub async fn create_training(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TrainingInput>,
) -> Created<TrainingView> {
    let txn = begin(&state).await?;
    let v = trainings::create(&txn, &actor, &id, &input, state.now_ms()).await?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Supervision sessions (督导) of a project, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/supervision",
    operation_id = "list_supervision",
    tag = "services",
    params(("id" = String, Path, description = "Project id"), PageParams),
    responses((status = 200, description = "A page of supervision sessions", body = PageDto<SupervisionView>), ReadErrors)
)]
pub async fn list_supervision(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<SupervisionView>>> {
    let page = supervision::list(&state.db, &actor, &id, &page.request()).await?;
    Ok(Json(PageDto::of(page, |x| x)))
}

/// Record a supervision session.
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/supervision",
    operation_id = "create_supervision",
    tag = "services",
    params(("id" = String, Path, description = "Project id")),
    request_body = SupervisionInput,
    responses((status = 201, description = "The new session", body = SupervisionView), WriteErrors)
)]
pub async fn create_supervision(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SupervisionInput>,
) -> Created<SupervisionView> {
    let txn = begin(&state).await?;
    let v = supervision::create(&txn, &actor, &id, &input, state.now_ms()).await?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(v)))
}
