//! Organizations: the list (scoped in the data layer: an organization's own people see only it,
//! area roles their subtree), the profile form and the detail page with annual inspections and
//! staff. The small list and form helpers the other admin pages share live here too.

mod detail;
mod form;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use db::organizations::{self, KINDS, OrganizationFilter};
use db::{PageRequest, areas};
use domain::role::Role;
use serde::Deserialize;

use super::render;
use crate::auth::Viewer;
use crate::error::PageResult;
use crate::forms::opt;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/organizations", get(list))
        .route("/admin/organizations/new", get(form::new_form).post(form::create))
        .route("/admin/organizations/{id}", get(detail::show))
        .route("/admin/organizations/{id}/edit", get(form::edit_form).post(form::update))
        .route("/admin/organizations/{id}/staff", post(detail::add_staff))
        .route("/admin/organizations/{id}/staff/{staff_id}/delete", post(detail::remove_staff))
        .route("/admin/organizations/{id}/inspections", post(detail::set_inspection))
}

// ---- helpers shared by the admin pages ----------------------------------------------------

/// One option of a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    /// Options from (value, label) pairs; the one equal to `current` is selected.
    pub fn list<V, L>(items: impl IntoIterator<Item = (V, L)>, current: &str) -> Vec<Choice>
    where
        V: Into<String>,
        L: Into<String>,
    {
        items
            .into_iter()
            .map(|(v, l)| {
                let value = v.into();
                Choice { selected: value == current, value, label: l.into() }
            })
            .collect()
    }
}

/// The link to the next page of a list: its filters (empty ones dropped) plus `after`.
pub fn next_href(path: &str, filters: &[(&str, &str)], cursor: Option<String>) -> Option<String> {
    let cursor = cursor?;
    let mut pairs: Vec<(&str, &str)> = filters.iter().filter(|(_, v)| !v.is_empty()).copied().collect();
    pairs.push(("after", &cursor));
    Some(format!("{path}?{}", serde_urlencoded::to_string(pairs).unwrap_or_default()))
}

/// A form page re-rendered after a validation error: status 422.
pub fn unprocessable(mut res: Response) -> Response {
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    res
}

/// Chinese field labels for error messages made in the web layer (the data layer's are Chinese).
pub fn zh(key: &'static str) -> &'static str {
    Tr::default().get(key)
}

/// Whether a role may create organizations and manage users and areas.
pub fn is_manager(role: Role) -> bool {
    matches!(role, Role::SysAdmin | Role::FunderAdmin)
}

// ---- organization words -------------------------------------------------------------------

pub fn kind_key(kind: &str) -> &'static str {
    match kind {
        "funder" => "org.kinds.funder",
        "co_funder" => "org.kinds.co_funder",
        "operator" => "org.kinds.operator",
        "social_org" => "org.kinds.social_org",
        "evaluator" => "org.kinds.evaluator",
        "area_office" => "org.kinds.area_office",
        _ => "org.kinds.other",
    }
}

/// The kinds as select options (with an empty first option labelled `empty_key`).
fn kind_choices(t: Tr, current: &str, empty_key: &'static str) -> Vec<Choice> {
    let all = std::iter::once(("", t.get(empty_key))).chain(KINDS.iter().map(|k| (*k, t.get(kind_key(k)))));
    Choice::list(all, current)
}

/// "4A", or "" when not rated.
pub fn rating_text(rating: Option<i32>) -> String {
    rating.map(|r| format!("{r}A")).unwrap_or_default()
}

// ---- list ---------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
    kind: String,
    area_code: String,
    after: Option<String>,
    ok: Option<String>,
}

struct OrgRow {
    id: String,
    name: String,
    kind: &'static str,
    uscc: String,
    area: String,
    rating: String,
    abnormal: bool,
    blacklisted: bool,
    under_investigation: bool,
}

#[derive(Template)]
#[template(path = "admin/org_list.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<OrgRow>,
    q: String,
    area_code: String,
    kinds: Vec<Choice>,
    can_create: bool,
    next: Option<String>,
}

async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let filter = OrganizationFilter { q: opt(&q.q), kind: opt(&q.kind), area_code: opt(&q.area_code) };
    let page =
        organizations::list(&state.db, &actor, &filter, &PageRequest { after: q.after.clone(), limit: Some(50) })
            .await?;
    let codes: Vec<String> = page.items.iter().filter_map(|o| o.area_code.clone()).collect();
    let names = areas::names(&state.db, &codes).await?;
    let rows = page
        .items
        .into_iter()
        .map(|o| OrgRow {
            kind: t.get(kind_key(&o.kind)),
            uscc: o.uscc.unwrap_or_default(),
            area: o.area_code.map(|c| names.get(&c).cloned().unwrap_or(c)).unwrap_or_default(),
            rating: rating_text(o.rating),
            abnormal: o.abnormal_list,
            blacklisted: o.blacklisted,
            under_investigation: o.under_investigation,
            id: o.id,
            name: o.name,
        })
        .collect();
    let next = next_href(
        "/admin/organizations",
        &[("q", &q.q), ("kind", &q.kind), ("area_code", &q.area_code)],
        page.next_cursor,
    );
    let ctx = Ctx::new(&viewer, "organizations", t.get("org.title")).flash_from(q.ok.as_deref());
    Ok(render(&ListPage {
        ctx,
        rows,
        kinds: kind_choices(t, &q.kind, "org.all_kinds"),
        q: q.q,
        area_code: q.area_code,
        can_create: is_manager(actor.role),
        next,
    }))
}
