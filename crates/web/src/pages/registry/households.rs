//! Household files (一户一档): the list, creating a household, its page with the members
//! (identifiers masked), adding a member by resident ID, setting the head, removing a member.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::households::{self as repo, HouseholdInput};
use db::{AppError, PageRequest, areas};
use serde::Deserialize;

use super::may_keep;
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, opt};
use crate::pages::{next_href, render, see_other, unprocessable};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/households", get(list))
        .route("/households/new", get(new_form).post(create))
        .route("/households/{id}", get(show))
        .route("/households/{id}/members", post(add_member))
        .route("/households/{id}/head", post(set_head))
        .route("/households/{id}/remove", post(remove_member))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    after: Option<String>,
    ok: Option<String>,
}

struct Row {
    id: String,
    address: String,
    area: String,
    head: String,
    members: u64,
}

#[derive(Template)]
#[template(path = "registry/households.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<Row>,
    can_create: bool,
    next: Option<String>,
}

async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let page = repo::list(&state.db, &actor, &PageRequest { after: q.after.clone(), limit: Some(50) }).await?;
    let codes: Vec<String> = page.items.iter().filter_map(|h| h.area_code.clone()).collect();
    let names = areas::names(&state.db, &codes).await?;
    let rows = page
        .items
        .into_iter()
        .map(|h| Row {
            area: h.area_code.map(|c| names.get(&c).cloned().unwrap_or(c)).unwrap_or_default(),
            head: h.head_name.unwrap_or_default(),
            members: h.member_count,
            address: h.address,
            id: h.id,
        })
        .collect();
    let ctx = Ctx::new(&viewer, "persons", viewer.tr.get("registry.households")).flash_from(q.ok.as_deref());
    let next = next_href("/households", &[], page.next_cursor);
    Ok(render(&ListPage { ctx, rows, can_create: may_keep(actor.role), next }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HouseholdForm {
    area_code: String,
    address: String,
}

#[derive(Template)]
#[template(path = "registry/household_form.html")]
struct FormPage {
    ctx: Ctx,
    f: HouseholdForm,
    errors: FormErrors,
}

fn form_page(viewer: &Viewer, f: HouseholdForm, errors: FormErrors) -> Response {
    let t = viewer.tr;
    let ctx = Ctx::new(viewer, "persons", t.get("registry.new_household"))
        .crumb("/households", t.get("registry.households"))
        .crumb("", t.get("registry.new_household"));
    render(&FormPage { ctx, f, errors })
}

async fn new_form(State(state): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    let actor = viewer.require()?;
    if !may_keep(actor.role) {
        return Err(AppError::Forbidden.into());
    }
    let area_code = match actor.organization_id.as_deref() {
        Some(id) => db::organizations::get(&state.db, &actor, id).await.ok().and_then(|o| o.area_code),
        None => None,
    };
    Ok(form_page(
        &viewer,
        HouseholdForm { area_code: area_code.unwrap_or_default(), ..Default::default() },
        FormErrors::default(),
    ))
}

async fn create(State(state): State<AppState>, viewer: Viewer, form: CsrfForm<HouseholdForm>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let f = form.data;
    let input = HouseholdInput { area_code: opt(&f.area_code), address: f.address.clone() };
    match repo::create(&state.db, &actor, &input, state.now_ms()).await {
        Ok(h) => Ok(see_other(&format!("/households/{}?ok=household_created", h.id))),
        Err(e @ AppError::Validation(_)) => Ok(unprocessable(form_page(&viewer, f, FormErrors::from_app(&e)))),
        Err(e) => Err(e.into()),
    }
}

struct Member {
    id: String,
    name: String,
    gender: &'static str,
    birth_date: String,
    resident_id: String,
    phone: String,
    head: bool,
}

#[derive(Template)]
#[template(path = "registry/household.html")]
struct ShowPage {
    ctx: Ctx,
    id: String,
    address: String,
    area: String,
    members: Vec<Member>,
    can_edit: bool,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OkQuery {
    ok: Option<String>,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    ok: Option<&str>,
    errors: FormErrors,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let m = repo::find(&state.db, &actor, id).await?;
    let h = repo::get(&state.db, &actor, &state.keys, id).await?;
    let area = match h.area_code.as_deref() {
        Some(code) => areas::full_name(&state.db, code).await?,
        None => String::new(),
    };
    let members = h
        .members
        .iter()
        .map(|p| Member {
            id: p.id.clone(),
            name: p.name.clone(),
            gender: if p.gender == "male" { t.get("persons.male") } else { t.get("persons.female") },
            birth_date: p.birth_date.to_string(),
            resident_id: p.resident_id_masked.clone(),
            phone: p.phone_masked.clone().unwrap_or_default(),
            head: h.head_person_id.as_deref() == Some(p.id.as_str()),
        })
        .collect();
    let title = format!("{} · {}", t.get("registry.household"), h.address);
    let ctx = Ctx::new(viewer, "persons", title)
        .crumb("/households", t.get("registry.households"))
        .crumb("", h.address.clone())
        .flash_from(ok);
    let failed = !errors.is_empty();
    let res = render(&ShowPage {
        ctx,
        id: h.id,
        address: h.address,
        area,
        members,
        can_edit: repo::editable(&actor, &m),
        errors,
    });
    Ok(if failed { unprocessable(res) } else { res })
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<OkQuery>,
) -> PageResult<Response> {
    page(&state, &viewer, &id, q.ok.as_deref(), FormErrors::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MemberForm {
    resident_id: String,
    person_id: String,
}

async fn add_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<MemberForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let f = form.data;
    let person_id = match opt(&f.person_id) {
        Some(p) => Some(p),
        None => db::persons::find_by_resident_id(&state.db, &actor, &state.keys, &f.resident_id).await?,
    };
    let result = match person_id {
        Some(pid) => repo::add_member(&state.db, &actor, &id, &pid, state.now_ms()).await,
        None => Err(AppError::field("resident_id", "公民身份号码：未找到该服务对象，请先登记")),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/households/{id}?ok=member_added"))),
        Err(e @ AppError::Validation(_)) => page(&state, &viewer, &id, None, FormErrors::from_app(&e)).await,
        Err(e) => Err(e.into()),
    }
}

async fn set_head(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<MemberForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    repo::set_head(&state.db, &actor, &id, &form.data.person_id, state.now_ms()).await?;
    Ok(see_other(&format!("/households/{id}?ok=head_set")))
}

async fn remove_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<MemberForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    repo::remove_member(&state.db, &actor, &id, &form.data.person_id, state.now_ms()).await?;
    Ok(see_other(&format!("/households/{id}?ok=member_removed")))
}
