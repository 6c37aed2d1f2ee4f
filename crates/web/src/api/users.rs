//! User accounts: the caller's own (GET /me) and, for administrators and funders, the users
//! in their scope.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use db::users::{UserFilter, UserInput, UserView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{ReadErrors, WriteErrors};
use super::{ApiJson, ApiQuery, PageDto, PageParams, non_empty};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/users", get(list).post(create))
        .route("/users/{id}", get(get_one).put(update))
}

/// A user account (never the password).
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    /// sys_admin, funder_admin, co_funder, operator, area_officer, org_admin, org_staff,
    /// field_worker, reviewer, evaluator.
    #[schema(example = "funder_admin")]
    pub role: String,
    pub organization_id: Option<String>,
    /// Division code of the user's jurisdiction (area roles).
    pub area_code: Option<String>,
    /// The program the user works on (program scope), if any.
    pub program_id: Option<String>,
    /// zh-CN or en.
    pub locale: String,
    pub active: bool,
    /// Locked after too many failed logins.
    pub locked: bool,
}

impl From<UserView> for User {
    fn from(u: UserView) -> Self {
        User {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role,
            organization_id: u.organization_id,
            area_code: u.area_code,
            program_id: u.program_id,
            locale: u.locale,
            active: u.active,
            locked: u.locked,
        }
    }
}

/// A user to create or update. `password` is required on create; on update, a non-empty
/// password replaces the old one and ends the user's sessions.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct UserBody {
    #[schema(example = "street2")]
    pub username: String,
    pub display_name: String,
    #[schema(example = "area_officer")]
    pub role: String,
    pub organization_id: Option<String>,
    pub area_code: Option<String>,
    /// Program scope: the program's id (its drafts become visible to the user).
    pub program_id: Option<String>,
    /// At least 8 characters with letters and digits.
    pub password: Option<String>,
    /// Default true on create; unchanged on update when absent.
    pub active: Option<bool>,
}

impl From<UserBody> for UserInput {
    fn from(b: UserBody) -> Self {
        UserInput {
            username: b.username,
            display_name: b.display_name,
            role: b.role,
            organization_id: b.organization_id,
            area_code: b.area_code,
            program_id: b.program_id,
            password: b.password,
            active: b.active,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Part of the user name or display name.
    pub q: Option<String>,
    /// A role code.
    pub role: Option<String>,
}

/// The caller's own account.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    operation_id = "get_me",
    tag = "auth",
    responses((status = 200, description = "The caller", body = User), ReadErrors)
)]
pub async fn me(State(state): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<User>> {
    let id = actor.user_id.clone().unwrap_or_default();
    let u = db::users::get(&state.db, &actor, &id, state.now_ms()).await?;
    Ok(Json(u.into()))
}

/// Users in the caller's scope (administrators and funders only).
#[utoipa::path(
    get,
    path = "/api/v1/users",
    operation_id = "list_users",
    tag = "users",
    params(UserQuery, PageParams),
    responses((status = 200, description = "A page of users", body = PageDto<User>), WriteErrors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<UserQuery>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<User>>> {
    let filter = UserFilter { q: non_empty(q.q), role: non_empty(q.role) };
    let page = db::users::list(&state.db, &actor, &filter, &page.request(), state.now_ms()).await?;
    Ok(Json(PageDto::of(page, User::from)))
}

/// One user.
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}",
    operation_id = "get_user",
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, description = "The user", body = User), WriteErrors)
)]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<User>> {
    let u = db::users::get(&state.db, &actor, &id, state.now_ms()).await?;
    Ok(Json(u.into()))
}

/// Create a user.
#[utoipa::path(
    post,
    path = "/api/v1/users",
    operation_id = "create_user",
    tag = "users",
    request_body = UserBody,
    responses((status = 201, description = "The new user", body = User), WriteErrors)
)]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(body): ApiJson<UserBody>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let u = db::users::create(&state.db, &actor, &body.into(), state.now_ms()).await?;
    Ok((StatusCode::CREATED, Json(u.into())))
}

/// Update a user.
#[utoipa::path(
    put,
    path = "/api/v1/users/{id}",
    operation_id = "update_user",
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    request_body = UserBody,
    responses((status = 200, description = "The updated user", body = User), WriteErrors)
)]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UserBody>,
) -> ApiResult<Json<User>> {
    let u = db::users::update(&state.db, &actor, &id, &body.into(), state.now_ms()).await?;
    Ok(Json(u.into()))
}
