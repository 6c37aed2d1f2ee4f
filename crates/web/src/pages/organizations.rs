//! Organizations: the list (scoped in the data layer: an organization's own people see only it,
//! area roles their subtree), the profile form and the detail page with annual inspections and
//! staff.

mod detail;
mod form;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::organizations::{self, KINDS, OrganizationFilter};
use db::{PageRequest, areas};
use serde::Deserialize;

use super::{Choice, is_manager, next_href, render};
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
