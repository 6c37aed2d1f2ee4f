//! Applications (申报书) and their screening (初筛). Organization people list, read, create,
//! update, submit and withdraw their own; funders, operators and area officers list and read the
//! submitted applications of the programs they cover; operators and funders record screening.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use db::applications::{self as repo, ApplicationFilter, ScreeningInput, ScreeningView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use super::application_types::{Application, ApplicationBody};
use super::openapi::{ReadErrors, WriteErrors};
use super::{ApiJson, ApiQuery, PageDto, PageParams, begin, commit, non_empty};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/applications", get(list).post(create))
        .route("/applications/{id}", get(get_one).put(update))
        .route("/applications/{id}/submit", post(submit))
        .route("/applications/{id}/withdraw", post(withdraw))
        .route("/applications/{id}/screenings", get(screenings).post(screen))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    /// Program id.
    pub program: Option<String>,
    /// A status, e.g. submitted.
    pub status: Option<String>,
}

/// Applications the caller may see.
#[utoipa::path(
    get,
    path = "/api/v1/applications",
    operation_id = "list_applications",
    tag = "applications",
    params(ApplicationQuery, PageParams),
    responses((status = 200, description = "A page of applications", body = PageDto<Application>), ReadErrors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ApplicationQuery>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<Application>>> {
    let filter = ApplicationFilter { program_id: non_empty(q.program), status: non_empty(q.status) };
    let page = repo::list(&state.db, &actor, &filter, &page.request()).await?;
    Ok(Json(PageDto::of(page, Application::from)))
}

/// One application.
#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}",
    operation_id = "get_application",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    responses((status = 200, description = "The application", body = Application), ReadErrors)
)]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Application>> {
    Ok(Json(repo::get(&state.db, &actor, &id).await?.into()))
}

/// Start a draft for a call item of a published program (organization people).
#[utoipa::path(
    post,
    path = "/api/v1/applications",
    operation_id = "create_application",
    tag = "applications",
    request_body = ApplicationBody,
    responses((status = 201, description = "The new draft", body = Application), WriteErrors)
)]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(body): ApiJson<ApplicationBody>,
) -> ApiResult<(StatusCode, Json<Application>)> {
    let item = body.call_item_id.clone();
    let input = body.input()?;
    let txn = begin(&state).await?;
    let id = repo::create(&txn, &actor, &item, &input, state.now_ms()).await?;
    let a = repo::get(&txn, &actor, &id).await?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// Replace the sections of a draft or returned application.
#[utoipa::path(
    put,
    path = "/api/v1/applications/{id}",
    operation_id = "update_application",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    request_body = ApplicationBody,
    responses((status = 200, description = "The saved application", body = Application), WriteErrors)
)]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ApplicationBody>,
) -> ApiResult<Json<Application>> {
    let input = body.input()?;
    let txn = begin(&state).await?;
    repo::update(&txn, &actor, &id, &input, state.now_ms()).await?;
    let a = repo::get(&txn, &actor, &id).await?;
    commit(txn).await?;
    Ok(Json(a.into()))
}

/// Submit before the deadline (every joint applicant must have confirmed).
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/submit",
    operation_id = "submit_application",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    responses((status = 200, description = "The submitted application", body = Application), WriteErrors)
)]
pub async fn submit(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Application>> {
    let txn = begin(&state).await?;
    repo::submit(&txn, &actor, &id, state.now_ms()).await?;
    let a = repo::get(&txn, &actor, &id).await?;
    commit(txn).await?;
    Ok(Json(a.into()))
}

/// Withdraw before the deadline.
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/withdraw",
    operation_id = "withdraw_application",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    responses((status = 200, description = "The withdrawn application", body = Application), WriteErrors)
)]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Application>> {
    let txn = begin(&state).await?;
    repo::withdraw(&txn, &actor, &id, state.now_ms()).await?;
    let a = repo::get(&txn, &actor, &id).await?;
    commit(txn).await?;
    Ok(Json(a.into()))
}

/// One rule's result as screening saw it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScreeningRule {
    pub rule: String,
    /// pass, needs_check or fail.
    pub outcome: String,
    /// Chinese, naming the fact used.
    pub explanation: String,
}

/// A screening decision with the rule results of that moment.
#[derive(Debug, Serialize, ToSchema)]
pub struct Screening {
    /// pass, fail or return.
    pub outcome: String,
    pub reasons: String,
    pub at_ms: i64,
    pub results: Vec<ScreeningRule>,
}

impl From<ScreeningView> for Screening {
    fn from(s: ScreeningView) -> Self {
        Screening {
            outcome: s.outcome,
            reasons: s.reasons,
            at_ms: s.at_ms,
            results: s
                .results
                .into_iter()
                .map(|r| ScreeningRule {
                    rule: r.rule,
                    outcome: r.outcome.as_str().to_string(),
                    explanation: r.explanation,
                })
                .collect(),
        }
    }
}

/// A screening decision to record.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ScreeningBody {
    /// pass, fail or return (return reopens the application for more information).
    #[schema(example = "pass")]
    pub outcome: String,
    /// Required for fail and return; the applicant reads it.
    pub reasons: String,
}

/// The screening decisions of an application, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}/screenings",
    operation_id = "list_screenings",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    responses((status = 200, description = "Screening decisions", body = Vec<Screening>), ReadErrors)
)]
pub async fn screenings(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Screening>>> {
    Ok(Json(repo::screenings(&state.db, &actor, &id).await?.into_iter().map(Screening::from).collect()))
}

/// Record a screening decision on a submitted application (operators and funders).
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/screenings",
    operation_id = "record_screening",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    request_body = ScreeningBody,
    responses((status = 201, description = "All screening decisions, the new one last", body = Vec<Screening>), WriteErrors)
)]
pub async fn screen(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ScreeningBody>,
) -> ApiResult<(StatusCode, Json<Vec<Screening>>)> {
    let input = ScreeningInput { outcome: body.outcome, reasons: body.reasons };
    let txn = begin(&state).await?;
    repo::record_screening(&txn, &actor, &id, &input, state.clock.today(), state.now_ms()).await?;
    let all = repo::screenings(&txn, &actor, &id).await?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(all.into_iter().map(Screening::from).collect())))
}
