//! Organizations with their annual inspections and staff. Scoped by the data layer: an
//! organization's own people see only it; area roles see those registered in their area.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use db::entity::{annual_inspection, organization, staff_member};
use db::organizations::{self as repo, OrganizationFilter, OrganizationInput};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{ReadErrors, WriteErrors};
use super::{ApiJson, ApiQuery, PageDto, PageParams, begin, commit, non_empty};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/organizations", get(list).post(create)).route("/organizations/{id}", get(get_one).put(update))
}

/// An organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct Organization {
    pub id: String,
    #[serde(flatten)]
    pub fields: OrganizationInput,
}

impl From<organization::Model> for Organization {
    fn from(m: organization::Model) -> Self {
        Organization {
            id: m.id,
            fields: OrganizationInput {
                kind: m.kind,
                name: m.name,
                uscc: m.uscc.unwrap_or_default(),
                registered_on: m.registered_on,
                registration_authority: m.registration_authority,
                legal_representative: m.legal_representative,
                rating: m.rating,
                rated_on: m.rated_on,
                area_code: m.area_code,
                address: m.address,
                bank_name: m.bank_name,
                bank_account: m.bank_account,
                business_scope: m.business_scope,
                abnormal_list: m.abnormal_list,
                abnormal_since: m.abnormal_since,
                blacklisted: m.blacklisted,
                blacklisted_since: m.blacklisted_since,
                under_investigation: m.under_investigation,
                last_penalty_on: m.last_penalty_on,
            },
        }
    }
}

/// The result of an annual inspection (年检).
#[derive(Debug, Serialize, ToSchema)]
pub struct Inspection {
    pub year: i32,
    pub passed: bool,
    pub note: String,
}

/// A staff member with social-work certificate (社工证).
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffMember {
    pub id: String,
    pub name: String,
    pub position: String,
    /// assistant, social_worker, senior, or empty when not certified.
    pub certificate_level: String,
    pub certificate_no: String,
    pub full_time: bool,
}

/// An organization with its annual inspections (newest first) and staff.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationDetail {
    #[serde(flatten)]
    pub organization: Organization,
    pub inspections: Vec<Inspection>,
    pub staff: Vec<StaffMember>,
}

async fn detail<C: ConnectionTrait>(db: &C, actor: &db::Actor, id: &str) -> ApiResult<OrganizationDetail> {
    let org = repo::get(db, actor, id).await?;
    let inspections = repo::inspections(db, actor, id).await?;
    let staff = repo::staff(db, actor, id).await?;
    Ok(OrganizationDetail {
        organization: org.into(),
        inspections: inspections
            .into_iter()
            .map(|i: annual_inspection::Model| Inspection { year: i.year, passed: i.passed, note: i.note })
            .collect(),
        staff: staff
            .into_iter()
            .map(|s: staff_member::Model| StaffMember {
                id: s.id,
                name: s.name,
                position: s.position,
                certificate_level: s.certificate_level,
                certificate_no: s.certificate_no,
                full_time: s.full_time,
            })
            .collect(),
    })
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationQuery {
    /// Part of the name, or a whole USCC.
    pub q: Option<String>,
    /// An organization kind.
    pub kind: Option<String>,
    /// Registered in this area or below it.
    pub area_code: Option<String>,
}

/// Organizations in the caller's scope.
#[utoipa::path(
    get,
    path = "/api/v1/organizations",
    operation_id = "list_organizations",
    tag = "organizations",
    params(OrganizationQuery, PageParams),
    responses((status = 200, description = "A page of organizations", body = PageDto<Organization>), ReadErrors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<OrganizationQuery>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<Organization>>> {
    let filter = OrganizationFilter { q: non_empty(q.q), kind: non_empty(q.kind), area_code: non_empty(q.area_code) };
    let page = repo::list(&state.db, &actor, &filter, &page.request()).await?;
    Ok(Json(PageDto::of(page, Organization::from)))
}

/// One organization with its annual inspections and staff.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}",
    operation_id = "get_organization",
    tag = "organizations",
    params(("id" = String, Path, description = "Organization id")),
    responses((status = 200, description = "The organization", body = OrganizationDetail), ReadErrors)
)]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<OrganizationDetail>> {
    Ok(Json(detail(&state.db, &actor, &id).await?))
}

/// Register an organization (funders).
#[utoipa::path(
    post,
    path = "/api/v1/organizations",
    operation_id = "create_organization",
    tag = "organizations",
    request_body = OrganizationInput,
    responses((status = 201, description = "The new organization", body = OrganizationDetail), WriteErrors)
)]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(body): ApiJson<OrganizationInput>,
) -> ApiResult<(StatusCode, Json<OrganizationDetail>)> {
    let txn = begin(&state).await?;
    let org = repo::create(&txn, &actor, &body, state.now_ms()).await?;
    commit(txn).await?;
    // new: no inspections or staff yet
    let d = OrganizationDetail { organization: org.into(), inspections: Vec::new(), staff: Vec::new() };
    Ok((StatusCode::CREATED, Json(d)))
}

/// Update an organization's profile (funders in its area, or its own administrator).
#[utoipa::path(
    put,
    path = "/api/v1/organizations/{id}",
    operation_id = "update_organization",
    tag = "organizations",
    params(("id" = String, Path, description = "Organization id")),
    request_body = OrganizationInput,
    responses((status = 200, description = "The updated organization", body = OrganizationDetail), WriteErrors)
)]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OrganizationInput>,
) -> ApiResult<Json<OrganizationDetail>> {
    let txn = begin(&state).await?;
    repo::update(&txn, &actor, &id, &body, state.now_ms()).await?;
    let d = detail(&txn, &actor, &id).await?;
    commit(txn).await?;
    Ok(Json(d))
}
