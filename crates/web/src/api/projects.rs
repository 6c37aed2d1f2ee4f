//! Projects (项目): the list, one project with its team, its enrolled people and its live output
//! progress. Scoped like the pages: a project outside the caller's scope is 404.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use db::projects::{self as repo, EnrolmentView, MemberView, ProjectFilter, ProjectView};
use domain::program::{Metric, OutputTarget};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::ReadErrors;
use super::{ApiQuery, PageDto, PageParams, non_empty};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects", get(list))
        .route("/projects/{id}", get(get_one))
        .route("/projects/{id}/people", get(people))
        .route("/projects/{id}/progress", get(progress))
}

/// A project.
#[derive(Debug, Serialize, ToSchema)]
pub struct Project {
    pub id: String,
    pub title: String,
    pub organization_id: String,
    pub organization_name: String,
    pub program_id: Option<String>,
    /// The program's code, e.g. "hangzhou-2021".
    pub program_code: Option<String>,
    pub call_item_id: Option<String>,
    /// Set when the project was built from a final award.
    pub award_id: Option<String>,
    pub area_code: String,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    /// "active" or "closed".
    pub status: String,
    pub targets: Vec<OutputTarget>,
}

impl From<ProjectView> for Project {
    fn from(p: ProjectView) -> Self {
        Project {
            program_code: p.program.as_ref().map(|x| x.code.clone()),
            id: p.id,
            title: p.title,
            organization_id: p.organization_id,
            organization_name: p.organization_name,
            program_id: p.program_id,
            call_item_id: p.call_item_id,
            award_id: p.award_id,
            area_code: p.area_code,
            start_on: p.start_on,
            end_on: p.end_on,
            status: p.status,
            targets: p.targets,
        }
    }
}

/// A member of the project team.
#[derive(Debug, Serialize, ToSchema)]
pub struct Member {
    pub id: String,
    /// The user account, absent for a volunteer without one.
    pub user_id: Option<String>,
    pub name: String,
    /// lead / social_worker / volunteer / supervisor
    pub role: String,
    pub phone: String,
}

impl From<MemberView> for Member {
    fn from(m: MemberView) -> Self {
        Member { id: m.id, user_id: m.user_id, name: m.name, role: m.role, phone: m.phone }
    }
}

/// A project with its team.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectDetail {
    #[serde(flatten)]
    pub project: Project,
    pub members: Vec<Member>,
}

/// A person enrolled in the project (name only; identifiers are in /persons, scoped).
#[derive(Debug, Serialize, ToSchema)]
pub struct Enrolment {
    pub id: String,
    pub person_id: String,
    pub person_name: String,
    /// weekly / monthly / quarterly / by_risk / remote_weekly (the rule that applies)
    pub visit_rule: String,
    pub remote: bool,
    pub worker_member_id: Option<String>,
    pub enrolled_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub file_built_on: Option<NaiveDate>,
}

impl From<EnrolmentView> for Enrolment {
    fn from(e: EnrolmentView) -> Self {
        Enrolment {
            visit_rule: repo::rule_code(&e.effective_rule()).to_string(),
            id: e.id,
            person_id: e.person_id,
            person_name: e.person_name,
            remote: e.remote,
            worker_member_id: e.worker_member_id,
            enrolled_on: e.enrolled_on,
            left_on: e.left_on,
            file_built_on: e.file_built_on,
        }
    }
}

/// One output target computed from the records.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetProgress {
    /// Position of the target in the project's targets.
    pub index: usize,
    pub metric: Metric,
    pub description: String,
    pub value: u64,
    pub target: u64,
    pub unit: String,
    /// Whole percent, at most 100.
    pub percent: u32,
    pub met: bool,
    /// Null before the start and where pace does not apply (rates).
    pub on_pace: Option<bool>,
    /// What an even pace would have reached by `as_of`.
    pub expected: Option<u64>,
    /// Chinese explanation naming the numbers.
    pub explanation: String,
    /// The page listing the records behind the number.
    pub link: Option<String>,
}

/// Live output progress of a project.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectProgress {
    pub project_id: String,
    pub as_of: NaiveDate,
    /// People enrolled.
    pub people: usize,
    pub targets: Vec<TargetProgress>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// Only projects of this program (id).
    pub program_id: Option<String>,
    /// "active" or "closed".
    pub status: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// The day to compute for (default: today in Asia/Shanghai).
    pub as_of: Option<NaiveDate>,
}

#[utoipa::path(
    get,
    path = "/api/v1/projects",
    operation_id = "list_projects",
    tag = "projects",
    params(ProjectQuery, PageParams),
    responses((status = 200, description = "A page of projects in the caller's scope", body = PageDto<Project>), ReadErrors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ProjectQuery>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<Project>>> {
    let filter = ProjectFilter { program_id: non_empty(q.program_id), status: non_empty(q.status) };
    let page = repo::list(&state.db, &actor, &filter, &page.request()).await?;
    Ok(Json(PageDto::of(page, Project::from)))
}

#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}",
    operation_id = "get_project",
    tag = "projects",
    params(("id" = String, Path, description = "Project id")),
    responses((status = 200, description = "The project with its team", body = ProjectDetail), ReadErrors)
)]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ProjectDetail>> {
    let mut p = repo::get(&state.db, &actor, &id).await?;
    let members = std::mem::take(&mut p.members).into_iter().map(Member::from).collect();
    Ok(Json(ProjectDetail { project: Project::from(p), members }))
}

#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/people",
    operation_id = "list_project_people",
    tag = "projects",
    params(("id" = String, Path, description = "Project id")),
    responses((status = 200, description = "The people enrolled", body = Vec<Enrolment>), ReadErrors)
)]
pub async fn people(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Enrolment>>> {
    let list = repo::people(&state.db, &actor, &id).await?;
    Ok(Json(list.into_iter().map(Enrolment::from).collect()))
}

#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/progress",
    operation_id = "get_project_progress",
    tag = "projects",
    params(("id" = String, Path, description = "Project id"), ProgressQuery),
    responses((status = 200, description = "Each output target computed from the records", body = ProjectProgress), ReadErrors)
)]
pub async fn progress(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ProgressQuery>,
) -> ApiResult<Json<ProjectProgress>> {
    let as_of = q.as_of.unwrap_or_else(|| state.clock.today());
    let pr = db::progress::project_progress(&state.db, &actor, &id, as_of).await?;
    Ok(Json(ProjectProgress {
        project_id: pr.project.id.clone(),
        as_of: pr.as_of,
        people: pr.people,
        targets: pr
            .targets
            .into_iter()
            .map(|t| TargetProgress {
                index: t.index,
                metric: t.progress.metric,
                description: t.target.description,
                value: t.progress.value,
                target: t.progress.target,
                unit: t.progress.unit,
                percent: t.progress.percent,
                met: t.progress.met,
                on_pace: t.progress.on_pace,
                expected: t.progress.expected,
                explanation: t.progress.explanation,
                link: t.link,
            })
            .collect(),
    }))
}
