//! The OpenAPI 3 document, built from the `#[utoipa::path]` annotations of every handler.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{IntoResponses, Modify, OpenApi};

use super::applications;
use super::assessments;
use super::persons;
use super::review;
use super::visits;
use super::volunteers;
use super::{areas, auth, items, notices, notifications, organizations, programs, projects, schemas, services, users};

pub const BEARER: &str = "bearer_token";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Gongyi 公益 API",
        version = "1",
        description = "JSON API of Gongyi, a platform for government-purchased social-work \
            services. Get a token with POST /api/v1/auth/token and send it as \
            `Authorization: Bearer <token>`. Every record is filtered by the caller's data scope: \
            a record outside it is 404. Lists are keyset-paged: pass `next_cursor` as `after`. \
            Money is a decimal yuan string (\"150000.00\"). Errors are \
            `{\"error\": {\"code\", \"message\", \"fields\"}}` with Chinese messages."
    ),
    paths(
        review::list_panels,
        review::get_panel,
        review::my_assignments,
        review::get_assignment,
        review::declare,
        review::save_scorecard,
        review::sign,
        review::ranking,
        visits::list,
        visits::get_one,
        visits::create,
        visits::review,
        services::list_services,
        services::create_service,
        services::list_cases,
        services::create_case,
        services::list_groups,
        services::create_group,
        services::list_activities,
        services::create_activity,
        services::list_trainings,
        services::create_training,
        services::list_supervision,
        services::create_supervision,
        auth::issue_token,
        auth::revoke_token,
        users::me,
        areas::list,
        areas::get_one,
        organizations::list,
        organizations::get_one,
        organizations::create,
        organizations::update,
        users::list,
        users::get_one,
        users::create,
        users::update,
        persons::list,
        persons::get_one,
        persons::create,
        persons::reveal,
        persons::list_households,
        persons::get_household,
        persons::create_household,
        persons::add_member,
        persons::set_head,
        programs::list,
        programs::get_one,
        programs::create,
        programs::update,
        programs::publish,
        programs::close,
        projects::list,
        projects::get_one,
        projects::people,
        projects::progress,
        applications::list,
        applications::get_one,
        applications::create,
        applications::update,
        applications::submit,
        applications::withdraw,
        applications::screenings,
        applications::screen,
        items::list,
        items::create,
        items::get_one,
        items::update,
        items::delete,
        notifications::list,
        notifications::mark_read,
        notifications::mark_all_read,
        notices::slate,
        notices::generate,
        notices::notices,
        notices::notice,
        notices::object,
        notices::objections,
        notices::results,
        assessments::list_templates,
        assessments::list,
        assessments::create,
        assessments::get_one,
        assessments::list_risk_grades,
        assessments::set_risk_grade,
        volunteers::list,
        volunteers::create,
        volunteers::get_one,
        volunteers::add_hours,
        volunteers::list_teams,
        volunteers::create_team,
    ),
    components(schemas(schemas::ErrorBody)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Tokens and the caller's own account"),
        (name = "areas", description = "Administrative divisions (GB/T 2260 codes, streets, communities)"),
        (name = "organizations", description = "Organizations with annual inspections and staff"),
        (name = "users", description = "User accounts (administrators and funders)"),
        (name = "persons", description = "Beneficiaries (服务对象) and households (一户一档), identifiers masked"),
        (name = "review", description = "Expert review: panels, assignments, scorecards, ranking"),
        (name = "programs", description = "Programs (计划) with tracks, timeline and rules"),
        (name = "projects", description = "Projects (项目) with team, people and live output progress"),
        (name = "applications", description = "Applications (申报书) and their screening (初筛)"),
        (name = "items", description = "Call items (项目清单条目) of a program"),
        (name = "notifications", description = "The caller's in-app notifications"),
        (name = "decision", description = "The award slate (拟立项名单) of a program"),
        (name = "services", description = "Service records, cases, groups, activities, trainings and supervision of a project"),
        (name = "visits", description = "Verified visits (探访打卡) by service card, anomalies and supervisor review"),
        (name = "notices", description = "Public notices (公示), objections (异议) and results (立项)"),
        (name = "assessments", description = "Needs assessments (需求评估) by template and the child risk grade (风险等级) of a person"),
        (name = "volunteers", description = "Volunteers (志愿者), teams (志愿服务队) and service time of a project, phones masked"),
    )
)]
pub struct ApiDoc;

/// The bearer scheme, required by every operation unless it says otherwise.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token from POST /api/v1/auth/token"))
                    .build(),
            ),
        );
        openapi.security = Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]);
    }
}

fn error_responses(list: &[(&str, &str)]) -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
    list.iter()
        .map(|(status, description)| {
            let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
            let response =
                ResponseBuilder::new().description(*description).content("application/json", content).build();
            (status.to_string(), RefOr::T(response))
        })
        .collect()
}

const UNAUTHENTICATED: (&str, &str) = ("401", "No valid bearer token (unauthenticated)");
const FORBIDDEN: (&str, &str) = ("403", "The caller's role may not do this (forbidden)");
const NOT_FOUND: (&str, &str) = ("404", "Not found, or outside the caller's data scope");
const INVALID: (&str, &str) = ("422", "Validation failed: `fields` names every field with a Chinese message");

/// Errors of a read: 401, 404.
pub struct ReadErrors;

impl IntoResponses for ReadErrors {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        error_responses(&[UNAUTHENTICATED, NOT_FOUND, INVALID])
    }
}

/// Errors of a change: 401, 403, 404, 422.
pub struct WriteErrors;

impl IntoResponses for WriteErrors {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        error_responses(&[UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, INVALID])
    }
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| ApiDoc::openapi().to_json().unwrap_or_else(|_| "{}".into()));

/// GET /api/openapi.json (public).
pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=300")], DOCUMENT.as_str())
}
