//! Volunteers and volunteer teams (志愿者、志愿服务队) of a project: the registry with phones
//! masked (the phone is stored encrypted and never returned in full), pairing with people of the
//! project (结对) and service time (服务时长). Scoped through the project: another organization's
//! project is 404. Every change is written to the audit log by the db layer.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use db::services::PersonRef;
use db::services::volunteers::{self, HoursInput, HoursView, TeamView, VolunteerInput, VolunteerView};
use db::{AppError, FieldError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{ReadErrors, WriteErrors};
use super::{ApiJson, ApiQuery, PageDto, PageParams, begin, commit, non_empty};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/volunteers", get(list).post(create))
        .route("/projects/{id}/volunteers/{vid}", get(get_one))
        .route("/projects/{id}/volunteers/{vid}/hours", post(add_hours))
        .route("/projects/{id}/volunteer-teams", get(list_teams).post(create_team))
}

type Created<T> = ApiResult<(StatusCode, Json<T>)>;

/// A new volunteer of the project.
#[derive(Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct VolunteerBody {
    pub name: String,
    /// A mobile number; stored encrypted, shown masked.
    #[schema(example = "13800000000")]
    pub phone: String,
    /// A team of the project (see /volunteer-teams).
    pub team_id: Option<String>,
    /// People enrolled in the project the volunteer is paired with (结对).
    pub person_ids: Vec<String>,
}

impl From<VolunteerBody> for VolunteerInput {
    fn from(b: VolunteerBody) -> Self {
        VolunteerInput { name: b.name, phone: b.phone, team_id: non_empty(b.team_id), person_ids: b.person_ids }
    }
}

/// A volunteer with their service time entries, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct VolunteerDetail {
    pub id: String,
    pub project_id: String,
    pub name: String,
    #[schema(example = "138****5678")]
    pub phone_masked: Option<String>,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub paired: Vec<PersonRef>,
    /// Service time recorded, in minutes.
    pub minutes: i64,
    pub created_ms: i64,
    pub hours: Vec<HoursView>,
}

/// Service time of a volunteer on a day (not before the project start, not after today).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct HoursBody {
    pub served_on: Option<NaiveDate>,
    /// Minutes, 1–1440.
    pub minutes: i64,
    pub notes: String,
}

/// A new team of the project.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct TeamBody {
    #[schema(example = "和平桥青年志愿服务队")]
    pub name: String,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VolunteerQuery {
    /// Only the volunteers of this team.
    pub team_id: Option<String>,
}

/// The project's volunteers, newest first, phones masked.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/volunteers",
    operation_id = "list_volunteers",
    tag = "volunteers",
    params(("id" = String, Path, description = "Project id"), VolunteerQuery, PageParams),
    responses((status = 200, description = "A page of volunteers", body = PageDto<VolunteerView>), ReadErrors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<VolunteerQuery>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<VolunteerView>>> {
    let team = non_empty(q.team_id);
    let page = volunteers::list(&state.db, &actor, &state.keys, &id, team.as_deref(), &page.request()).await?;
    Ok(Json(PageDto::of(page, |x| x)))
}

/// Register a volunteer (the project's organization and team).
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/volunteers",
    operation_id = "create_volunteer",
    tag = "volunteers",
    params(("id" = String, Path, description = "Project id")),
    request_body = VolunteerBody,
    responses((status = 201, description = "The new volunteer, phone masked", body = VolunteerView), WriteErrors)
)]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<VolunteerBody>,
) -> Created<VolunteerView> {
    let txn = begin(&state).await?;
    let v = volunteers::create(&txn, &actor, &state.keys, &id, &body.into(), state.now_ms()).await?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// One volunteer with their service time entries.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/volunteers/{vid}",
    operation_id = "get_volunteer",
    tag = "volunteers",
    params(("id" = String, Path, description = "Project id"), ("vid" = String, Path, description = "Volunteer id")),
    responses((status = 200, description = "The volunteer, phone masked", body = VolunteerDetail), ReadErrors)
)]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path((id, vid)): Path<(String, String)>,
) -> ApiResult<Json<VolunteerDetail>> {
    let (v, hours) = volunteers::get(&state.db, &actor, &state.keys, &id, &vid).await?;
    Ok(Json(VolunteerDetail {
        id: v.id,
        project_id: v.project_id,
        name: v.name,
        phone_masked: v.phone_masked,
        team_id: v.team_id,
        team_name: v.team_name,
        paired: v.paired,
        minutes: v.minutes,
        created_ms: v.created_ms,
        hours,
    }))
}

/// Record a volunteer's service time on a day.
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/volunteers/{vid}/hours",
    operation_id = "add_volunteer_hours",
    tag = "volunteers",
    params(("id" = String, Path, description = "Project id"), ("vid" = String, Path, description = "Volunteer id")),
    request_body = HoursBody,
    responses((status = 201, description = "The time entry", body = HoursView), WriteErrors)
)]
pub async fn add_hours(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path((id, vid)): Path<(String, String)>,
    ApiJson(body): ApiJson<HoursBody>,
) -> Created<HoursView> {
    let input = HoursInput { served_on: body.served_on, minutes: body.minutes, notes: body.notes };
    let txn = begin(&state).await?;
    let h = volunteers::add_hours(&txn, &actor, &id, &vid, &input, state.now_ms()).await?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(h)))
}

/// The project's volunteer teams, in creation order.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/volunteer-teams",
    operation_id = "list_volunteer_teams",
    tag = "volunteers",
    params(("id" = String, Path, description = "Project id")),
    responses((status = 200, description = "The teams", body = Vec<TeamView>), ReadErrors)
)]
pub async fn list_teams(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<TeamView>>> {
    Ok(Json(volunteers::teams(&state.db, &actor, &id).await?))
}

/// Create a volunteer team (志愿服务队).
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/volunteer-teams",
    operation_id = "create_volunteer_team",
    tag = "volunteers",
    params(("id" = String, Path, description = "Project id")),
    request_body = TeamBody,
    responses((status = 201, description = "The new team", body = TeamView), WriteErrors)
)]
pub async fn create_team(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TeamBody>,
) -> Created<TeamView> {
    let txn = begin(&state).await?;
    // the db layer names the form's field "team_name"; here it is `name`
    let t = volunteers::create_team(&txn, &actor, &id, &body.name, state.now_ms()).await.map_err(|e| match e {
        AppError::Validation(list) => AppError::Validation(
            list.into_iter()
                .map(|f| if f.field == "team_name" { FieldError::new("name", f.message) } else { f })
                .collect(),
        ),
        other => other,
    })?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(t)))
}
