//! Beneficiaries (服务对象) and households (一户一档). Identifiers are masked in every response;
//! the full resident ID and phone come only from POST /persons/{id}/reveal, which the caller's
//! role must allow and which is written to the audit log. Scoped like the pages: a person or a
//! household outside the caller's scope is 404.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use db::households::{self, HouseholdInput};
use db::persons::{self, PersonFilter, PersonInput, PersonView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{ReadErrors, WriteErrors};
use super::{ApiJson, ApiQuery, PageDto, PageParams, begin, commit, non_empty};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons", get(list).post(create))
        .route("/persons/{id}", get(get_one))
        .route("/persons/{id}/reveal", post(reveal))
        .route("/households", get(list_households).post(create_household))
        .route("/households/{id}", get(get_household))
        .route("/households/{id}/members", post(add_member))
        .route("/households/{id}/head", post(set_head))
}

/// A person, identifiers masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Person {
    pub id: String,
    pub organization_id: String,
    pub household_id: Option<String>,
    pub name: String,
    /// "male" / "female", read from the resident ID.
    pub gender: String,
    pub birth_date: NaiveDate,
    #[schema(example = "3206**********1234")]
    pub resident_id_masked: String,
    #[schema(example = "138****5678")]
    pub phone_masked: Option<String>,
    pub address: String,
    pub area_code: Option<String>,
    /// Category codes (extreme_poverty, dibao, living_alone, child_in_difficulty …).
    pub categories: Vec<String>,
    /// Care level code (intact, mild, moderate, severe, total) or "".
    pub care_level: String,
    pub consent_on: Option<NaiveDate>,
}

impl From<PersonView> for Person {
    fn from(p: PersonView) -> Self {
        Person {
            id: p.id,
            organization_id: p.organization_id,
            household_id: p.household_id,
            name: p.name,
            gender: p.gender,
            birth_date: p.birth_date,
            resident_id_masked: p.resident_id_masked,
            phone_masked: p.phone_masked,
            address: p.address,
            area_code: p.area_code,
            categories: p.categories,
            care_level: p.care_level,
            consent_on: p.consent_on,
        }
    }
}

/// A new person for the caller's organization. A resident ID registered already is refused
/// (422 on `resident_id`) without showing the other record.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct PersonBody {
    pub name: String,
    /// 公民身份号码, 18 characters with the GB 11643-1999 check digit.
    pub resident_id: String,
    pub phone: Option<String>,
    pub address: String,
    #[schema(example = "320613002")]
    pub area_code: Option<String>,
    pub categories: Vec<String>,
    pub care_level: String,
    pub consent_on: Option<NaiveDate>,
    pub household_id: Option<String>,
}

impl From<PersonBody> for PersonInput {
    fn from(b: PersonBody) -> Self {
        PersonInput {
            name: b.name,
            resident_id: b.resident_id,
            phone: Some(b.phone.unwrap_or_default()),
            address: b.address,
            area_code: b.area_code,
            categories: b.categories,
            care_level: b.care_level,
            consent_on: b.consent_on,
            household_id: b.household_id,
        }
    }
}

/// The full identifiers (the call is audited).
#[derive(Debug, Serialize, ToSchema)]
pub struct RevealedIds {
    pub resident_id: String,
    pub phone: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonQuery {
    /// A name (contains) or a full resident ID (exact).
    pub q: Option<String>,
    /// Area code prefix.
    pub area_code: Option<String>,
    pub category: Option<String>,
    pub care_level: Option<String>,
}

/// Persons in the caller's scope, masked.
#[utoipa::path(get, path = "/api/v1/persons", operation_id = "list_persons", tag = "persons",
    params(PersonQuery, PageParams),
    responses((status = 200, description = "A page of persons", body = PageDto<Person>), ReadErrors))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<PersonQuery>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<Person>>> {
    let filter = PersonFilter {
        q: non_empty(q.q),
        area_code: non_empty(q.area_code),
        category: non_empty(q.category),
        care_level: non_empty(q.care_level),
    };
    let page = persons::list(&state.db, &actor, &state.keys, &filter, &page.request()).await?;
    Ok(Json(PageDto::of(page, Person::from)))
}

/// One person, masked.
#[utoipa::path(get, path = "/api/v1/persons/{id}", operation_id = "get_person", tag = "persons",
    params(("id" = String, Path, description = "Person id")),
    responses((status = 200, description = "The person", body = Person), ReadErrors))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Person>> {
    Ok(Json(persons::get(&state.db, &actor, &state.keys, &id).await?.into()))
}

/// Register a person (organization staff and field workers).
#[utoipa::path(post, path = "/api/v1/persons", operation_id = "create_person", tag = "persons",
    request_body = PersonBody,
    responses((status = 201, description = "The new person", body = Person), WriteErrors))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(body): ApiJson<PersonBody>,
) -> ApiResult<(StatusCode, Json<Person>)> {
    let txn = begin(&state).await?;
    let p = persons::create(&txn, &actor, &state.keys, &body.into(), state.now_ms()).await?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// The full resident ID and phone (the registering organization's administrators and staff);
/// written to the audit log.
#[utoipa::path(post, path = "/api/v1/persons/{id}/reveal", operation_id = "reveal_person", tag = "persons",
    params(("id" = String, Path, description = "Person id")),
    responses((status = 200, description = "The full identifiers", body = RevealedIds), WriteErrors))]
pub async fn reveal(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<RevealedIds>> {
    let r = persons::reveal(&state.db, &actor, &state.keys, &id, state.now_ms()).await?;
    Ok(Json(RevealedIds { resident_id: r.resident_id, phone: r.phone }))
}

/// A household with its members (masked), the head first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Household {
    pub id: String,
    pub organization_id: String,
    pub area_code: Option<String>,
    pub address: String,
    pub head_person_id: Option<String>,
    pub members: Vec<Person>,
}

/// A row of the household list.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdSummary {
    pub id: String,
    pub area_code: Option<String>,
    pub address: String,
    pub head_name: Option<String>,
    pub member_count: u64,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct HouseholdBody {
    #[schema(example = "320613002")]
    pub area_code: Option<String>,
    pub address: String,
}

/// A person of the household's organization.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct MemberBody {
    pub person_id: String,
}

async fn household(state: &AppState, actor: &db::Actor, id: &str) -> ApiResult<Household> {
    let h = households::get(&state.db, actor, &state.keys, id).await?;
    Ok(Household {
        id: h.id,
        organization_id: h.organization_id,
        area_code: h.area_code,
        address: h.address,
        head_person_id: h.head_person_id,
        members: h.members.into_iter().map(Person::from).collect(),
    })
}

/// Households in the caller's scope.
#[utoipa::path(get, path = "/api/v1/households", operation_id = "list_households", tag = "persons",
    params(PageParams),
    responses((status = 200, description = "A page of households", body = PageDto<HouseholdSummary>), ReadErrors))]
pub async fn list_households(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<HouseholdSummary>>> {
    let page = households::list(&state.db, &actor, &page.request()).await?;
    Ok(Json(PageDto::of(page, |h| HouseholdSummary {
        id: h.id,
        area_code: h.area_code,
        address: h.address,
        head_name: h.head_name,
        member_count: h.member_count,
    })))
}

/// One household with its members.
#[utoipa::path(get, path = "/api/v1/households/{id}", operation_id = "get_household", tag = "persons",
    params(("id" = String, Path, description = "Household id")),
    responses((status = 200, description = "The household", body = Household), ReadErrors))]
pub async fn get_household(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Household>> {
    Ok(Json(household(&state, &actor, &id).await?))
}

/// Create a household for the caller's organization.
#[utoipa::path(post, path = "/api/v1/households", operation_id = "create_household", tag = "persons",
    request_body = HouseholdBody,
    responses((status = 201, description = "The new household", body = Household), WriteErrors))]
pub async fn create_household(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(body): ApiJson<HouseholdBody>,
) -> ApiResult<(StatusCode, Json<Household>)> {
    let input = HouseholdInput { area_code: non_empty(body.area_code), address: body.address };
    let txn = begin(&state).await?;
    let h = households::create(&txn, &actor, &input, state.now_ms()).await?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(household(&state, &actor, &h.id).await?)))
}

/// Add a person to the household.
#[utoipa::path(post, path = "/api/v1/households/{id}/members", operation_id = "add_household_member",
    tag = "persons", params(("id" = String, Path, description = "Household id")), request_body = MemberBody,
    responses((status = 200, description = "The household", body = Household), WriteErrors))]
pub async fn add_member(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MemberBody>,
) -> ApiResult<Json<Household>> {
    let txn = begin(&state).await?;
    households::add_member(&txn, &actor, &id, &body.person_id, state.now_ms()).await?;
    commit(txn).await?;
    Ok(Json(household(&state, &actor, &id).await?))
}

/// Make a member the head (户主).
#[utoipa::path(post, path = "/api/v1/households/{id}/head", operation_id = "set_household_head",
    tag = "persons", params(("id" = String, Path, description = "Household id")), request_body = MemberBody,
    responses((status = 200, description = "The household", body = Household), WriteErrors))]
pub async fn set_head(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MemberBody>,
) -> ApiResult<Json<Household>> {
    let txn = begin(&state).await?;
    households::set_head(&txn, &actor, &id, &body.person_id, state.now_ms()).await?;
    commit(txn).await?;
    Ok(Json(household(&state, &actor, &id).await?))
}
