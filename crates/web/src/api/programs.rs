//! Programs (计划) with their tracks, timeline and rules. Published and closed programs are
//! visible to every caller; drafts only to the managers whose scope covers them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{NaiveDate, NaiveDateTime};
use db::AppError;
use db::programs::{self as repo, PhaseView, ProgramFilter, ProgramInput};
use domain::money::Fen;
use domain::program::{ProgramStatus, TrackKind};
use domain::rules::ProgramRules;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{ReadErrors, WriteErrors};
use super::{ApiJson, ApiQuery, PageDto, PageParams, begin, commit, non_empty, schemas};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs", get(list).post(create))
        .route("/programs/{id}", get(get_one).put(update))
        .route("/programs/{id}/publish", post(publish))
        .route("/programs/{id}/close", post(close))
}

/// A row of the program list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramSummary {
    pub id: String,
    /// Stable short code, e.g. "chongchuan-9".
    pub code: String,
    pub name: String,
    pub year: i32,
    /// Division code of the area the program covers.
    pub area_code: String,
    pub status: ProgramStatus,
    /// Total budget in yuan.
    pub budget: Option<Fen>,
    /// The funder organization (主办单位).
    pub funder_id: String,
}

impl From<repo::ProgramSummary> for ProgramSummary {
    fn from(p: repo::ProgramSummary) -> Self {
        ProgramSummary {
            id: p.id,
            code: p.code,
            name: p.name,
            year: p.year,
            area_code: p.area_code,
            status: p.status,
            budget: p.budget,
            funder_id: p.funder_id,
        }
    }
}

/// A phase of the timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct Phase {
    pub name: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// Deadline in Asia/Shanghai local time.
    #[schema(value_type = Option<schemas::LocalDateTime>)]
    pub deadline: Option<NaiveDateTime>,
    /// The document's own wording.
    pub note: String,
}

impl From<PhaseView> for Phase {
    fn from(p: PhaseView) -> Self {
        Phase { name: p.name, starts_on: p.starts_on, ends_on: p.ends_on, deadline: p.deadline, note: p.note }
    }
}

/// A program with its tracks, timeline and rules. Its call items are at
/// /api/v1/programs/{id}/items.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramDetail {
    pub id: String,
    pub code: String,
    pub name: String,
    pub funder_id: String,
    /// The operator (承办单位), when there is one.
    pub operator_id: Option<String>,
    pub year: i32,
    pub area_code: String,
    pub description: String,
    pub status: ProgramStatus,
    pub budget: Option<Fen>,
    /// Title and number of the source document.
    pub source: String,
    pub rules: ProgramRules,
    pub tracks: Vec<domain::program::Track>,
    pub phases: Vec<Phase>,
}

impl From<repo::ProgramDetail> for ProgramDetail {
    fn from(p: repo::ProgramDetail) -> Self {
        ProgramDetail {
            id: p.id,
            code: p.code,
            name: p.name,
            funder_id: p.funder_id,
            operator_id: p.operator_id,
            year: p.year,
            area_code: p.area_code,
            description: p.description,
            status: p.status,
            budget: p.budget,
            source: p.source,
            rules: p.rules,
            tracks: p.tracks,
            phases: p.phases.into_iter().map(Phase::from).collect(),
        }
    }
}

/// The fields of a program a funder sets. New programs start as drafts.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ProgramBody {
    /// 1–64 letters, digits or hyphens, unique.
    #[schema(example = "chongchuan-10")]
    pub code: String,
    pub name: String,
    #[schema(example = 2026)]
    pub year: i32,
    /// Division code within the caller's jurisdiction.
    #[schema(example = "320613")]
    pub area_code: String,
    pub description: String,
    pub budget: Option<Fen>,
    pub source: String,
    /// The funder organization; defaults to the caller's organization.
    pub funder_id: Option<String>,
    /// Kinds of track the program should have: missing ones are added, none is removed.
    /// Empty on create: the program gets one directed (公益定投) track.
    pub tracks: Vec<TrackKind>,
}

impl From<ProgramBody> for ProgramInput {
    fn from(b: ProgramBody) -> Self {
        ProgramInput {
            code: b.code,
            name: b.name,
            year: b.year,
            area_code: b.area_code,
            description: b.description,
            budget: b.budget,
            source: b.source,
            funder_id: b.funder_id,
            tracks: b.tracks,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgramQuery {
    /// draft, published or closed.
    pub status: Option<String>,
    pub year: Option<i32>,
    /// Part of the name.
    pub q: Option<String>,
}

/// Programs the caller may see.
#[utoipa::path(
    get,
    path = "/api/v1/programs",
    operation_id = "list_programs",
    tag = "programs",
    params(ProgramQuery, PageParams),
    responses((status = 200, description = "A page of programs", body = PageDto<ProgramSummary>), ReadErrors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ProgramQuery>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<ProgramSummary>>> {
    let status = non_empty(q.status);
    if let Some(s) = &status
        && ProgramStatus::parse(s).is_none()
    {
        return Err(AppError::field("status", "状态：应为 draft、published 或 closed").into());
    }
    let filter = ProgramFilter { status, year: q.year, q: non_empty(q.q) };
    let page = repo::list(&state.db, Some(&actor), &filter, &page.request()).await?;
    Ok(Json(PageDto::of(page, ProgramSummary::from)))
}

/// One program by id or code, with tracks, phases and rules.
#[utoipa::path(
    get,
    path = "/api/v1/programs/{id}",
    operation_id = "get_program",
    tag = "programs",
    params(("id" = String, Path, description = "Program id or code, e.g. chongchuan-9")),
    responses((status = 200, description = "The program", body = ProgramDetail), ReadErrors)
)]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ProgramDetail>> {
    Ok(Json(repo::get(&state.db, Some(&actor), &id).await?.into()))
}

/// Create a draft program (funders).
#[utoipa::path(
    post,
    path = "/api/v1/programs",
    operation_id = "create_program",
    tag = "programs",
    request_body = ProgramBody,
    responses((status = 201, description = "The new draft", body = ProgramDetail), WriteErrors)
)]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(body): ApiJson<ProgramBody>,
) -> ApiResult<(StatusCode, Json<ProgramDetail>)> {
    let txn = begin(&state).await?;
    let id = repo::create(&txn, &actor, &body.into(), state.now_ms()).await?;
    let detail = repo::get(&txn, Some(&actor), &id).await?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(detail.into())))
}

/// Update a program's fields (its managers).
#[utoipa::path(
    put,
    path = "/api/v1/programs/{id}",
    operation_id = "update_program",
    tag = "programs",
    params(("id" = String, Path, description = "Program id or code")),
    request_body = ProgramBody,
    responses((status = 200, description = "The updated program", body = ProgramDetail), WriteErrors)
)]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ProgramBody>,
) -> ApiResult<Json<ProgramDetail>> {
    let txn = begin(&state).await?;
    let current = repo::get(&txn, Some(&actor), &id).await?;
    repo::update(&txn, &actor, &current.id, &body.into(), state.now_ms()).await?;
    let detail = repo::get(&txn, Some(&actor), &current.id).await?;
    commit(txn).await?;
    Ok(Json(detail.into()))
}

async fn set_status(
    state: &AppState,
    actor: &db::Actor,
    id: &str,
    status: ProgramStatus,
) -> ApiResult<Json<ProgramDetail>> {
    let txn = begin(state).await?;
    let current = repo::get(&txn, Some(actor), id).await?;
    repo::set_status(&txn, actor, &current.id, status, state.now_ms()).await?;
    let detail = repo::get(&txn, Some(actor), &current.id).await?;
    commit(txn).await?;
    Ok(Json(detail.into()))
}

/// Publish a program: it becomes visible to everyone.
#[utoipa::path(
    post,
    path = "/api/v1/programs/{id}/publish",
    operation_id = "publish_program",
    tag = "programs",
    params(("id" = String, Path, description = "Program id or code")),
    responses((status = 200, description = "The published program", body = ProgramDetail), WriteErrors)
)]
pub async fn publish(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ProgramDetail>> {
    set_status(&state, &actor, &id, ProgramStatus::Published).await
}

/// Close a program: it stays public, read only.
#[utoipa::path(
    post,
    path = "/api/v1/programs/{id}/close",
    operation_id = "close_program",
    tag = "programs",
    params(("id" = String, Path, description = "Program id or code")),
    responses((status = 200, description = "The closed program", body = ProgramDetail), WriteErrors)
)]
pub async fn close(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ProgramDetail>> {
    set_status(&state, &actor, &id, ProgramStatus::Closed).await
}
