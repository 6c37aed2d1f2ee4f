//! Users: the list and the new/edit form, for system administrators and funders (within their
//! area). Roles show translated; only a system administrator can grant that role.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use db::pagination::MAX_LIMIT;
use db::users::{self, UserFilter, UserInput, UserView};
use db::{Actor, AppError, PageRequest, areas, organizations};
use domain::role::Role;
use serde::Deserialize;

use super::{Choice, next_href, unprocessable};
use super::{render, see_other};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, checked, opt};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::view::{Ctx, role_key};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list))
        .route("/admin/users/new", get(new_form).post(create))
        .route("/admin/users/{id}/edit", get(edit_form).post(update))
}

/// The label of a stored role name.
fn role_label(t: Tr, role: &str) -> &'static str {
    Role::parse(role).map(|r| t.get(role_key(r))).unwrap_or("")
}

/// Users are managed by system administrators and funders; everyone else gets 403.
fn manager(viewer: &Viewer) -> PageResult<Actor> {
    let actor = viewer.require()?;
    actor.require(&[Role::FunderAdmin])?;
    Ok(actor)
}

// ---- list ---------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
    role: String,
    after: Option<String>,
    ok: Option<String>,
}

struct UserRow {
    id: String,
    username: String,
    display_name: String,
    role: &'static str,
    organization: String,
    area: String,
    active: bool,
    locked: bool,
}

#[derive(Template)]
#[template(path = "admin/user_list.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<UserRow>,
    q: String,
    roles: Vec<Choice>,
    next: Option<String>,
}

async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> PageResult<Response> {
    let actor = manager(&viewer)?;
    let t = viewer.tr;
    let filter = UserFilter { q: opt(&q.q), role: opt(&q.role) };
    let page = users::list(
        &state.db,
        &actor,
        &filter,
        &PageRequest { after: q.after.clone(), limit: Some(50) },
        state.now_ms(),
    )
    .await?;
    let org_ids: Vec<String> = page.items.iter().filter_map(|u| u.organization_id.clone()).collect();
    let org_names = organizations::names(&state.db, &org_ids).await?;
    let codes: Vec<String> = page.items.iter().filter_map(|u| u.area_code.clone()).collect();
    let area_names = areas::names(&state.db, &codes).await?;
    let rows = page
        .items
        .into_iter()
        .map(|u| UserRow {
            role: role_label(t, &u.role),
            organization: u.organization_id.and_then(|id| org_names.get(&id).cloned()).unwrap_or_default(),
            area: u
                .area_code
                .map(|c| match area_names.get(&c) {
                    Some(name) => format!("{name}（{c}）"),
                    None => c,
                })
                .unwrap_or_default(),
            active: u.active,
            locked: u.locked,
            id: u.id,
            username: u.username,
            display_name: u.display_name,
        })
        .collect();
    let roles = Choice::list(
        std::iter::once(("", t.get("user.all_roles")))
            .chain(Role::ALL.iter().map(|r| (r.as_str(), t.get(role_key(*r))))),
        &q.role,
    );
    let next = next_href("/admin/users", &[("q", &q.q), ("role", &q.role)], page.next_cursor);
    let ctx = Ctx::new(&viewer, "users", t.get("user.title")).flash_from(q.ok.as_deref());
    Ok(render(&ListPage { ctx, rows, q: q.q, roles, next }))
}

// ---- form ---------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
struct UserForm {
    username: String,
    display_name: String,
    role: String,
    organization_id: String,
    area_code: String,
    program_id: String,
    password: String,
    #[serde(skip)]
    active: bool,
}

impl UserForm {
    fn of(u: &UserView) -> UserForm {
        UserForm {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.clone(),
            organization_id: u.organization_id.clone().unwrap_or_default(),
            area_code: u.area_code.clone().unwrap_or_default(),
            program_id: u.program_id.clone().unwrap_or_default(),
            password: String::new(),
            active: u.active,
        }
    }

    fn submitted(form: CsrfForm<UserForm>) -> UserForm {
        let mut f = form.data;
        f.active = checked(&form.pairs, "active");
        f
    }

    fn input(&self) -> UserInput {
        UserInput {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role.clone(),
            organization_id: opt(&self.organization_id),
            area_code: opt(&self.area_code),
            program_id: opt(&self.program_id),
            password: opt(&self.password),
            active: Some(self.active),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/user_form.html")]
struct FormPage {
    ctx: Ctx,
    action: String,
    f: UserForm,
    errors: FormErrors,
    roles: Vec<Choice>,
    organizations: Vec<Choice>,
    programs: Vec<Choice>,
    /// Editing an existing user (the password may stay empty).
    editing: bool,
    locked: bool,
}

/// The organizations the actor sees, by name (at most a thousand; the current one always).
async fn organization_choices(state: &AppState, actor: &Actor, t: Tr, current: &str) -> PageResult<Vec<Choice>> {
    let mut orgs: Vec<(String, String)> = Vec::new();
    let mut after = None;
    for _ in 0..5 {
        let page =
            organizations::list(&state.db, actor, &Default::default(), &PageRequest { after, limit: Some(MAX_LIMIT) })
                .await?;
        orgs.extend(page.items.into_iter().map(|o| (o.id, o.name)));
        after = page.next_cursor;
        if after.is_none() {
            break;
        }
    }
    if !current.is_empty() && !orgs.iter().any(|(id, _)| id == current) {
        let name = organizations::names(&state.db, &[current.to_string()])
            .await?
            .remove(current)
            .unwrap_or_else(|| current.to_string());
        orgs.push((current.to_string(), name));
    }
    orgs.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(Choice::list(std::iter::once((String::new(), t.get("user.no_organization").to_string())).chain(orgs), current))
}

/// The programs the actor sees, for the program scope.
async fn program_choices(state: &AppState, actor: &Actor, t: Tr, current: &str) -> PageResult<Vec<Choice>> {
    let page = db::programs::list(
        &state.db,
        Some(actor),
        &Default::default(),
        &PageRequest { after: None, limit: Some(MAX_LIMIT) },
    )
    .await?;
    let programs = page.items.into_iter().map(|p| (p.id, p.name));
    Ok(Choice::list(std::iter::once((String::new(), t.get("user.no_program").to_string())).chain(programs), current))
}

/// `existing`: (id, display name, locked) of the user being edited.
async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    actor: &Actor,
    existing: Option<(&str, &str, bool)>,
    f: UserForm,
    errors: FormErrors,
) -> PageResult<Response> {
    let t = viewer.tr;
    let ctx = Ctx::new(viewer, "users", "").crumb("/admin/users", t.get("user.title"));
    let (mut ctx, action, title) = match existing {
        Some((id, name, _)) => {
            (ctx.crumb("", name), format!("/admin/users/{id}/edit"), format!("{} · {name}", t.get("user.edit")))
        }
        None => (ctx.crumb("", t.get("user.new")), "/admin/users/new".to_string(), t.get("user.new").to_string()),
    };
    ctx.title = title;
    let roles = Choice::list(
        std::iter::once(("", t.get("user.choose_role"))).chain(
            Role::ALL
                .iter()
                .filter(|r| **r != Role::SysAdmin || actor.is_admin())
                .map(|r| (r.as_str(), t.get(role_key(*r)))),
        ),
        &f.role,
    );
    let organizations = organization_choices(state, actor, t, &f.organization_id).await?;
    let programs = program_choices(state, actor, t, &f.program_id).await?;
    Ok(render(&FormPage {
        ctx,
        action,
        roles,
        organizations,
        programs,
        editing: existing.is_some(),
        locked: existing.is_some_and(|(_, _, locked)| locked),
        f,
        errors,
    }))
}

async fn new_form(State(state): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    let actor = manager(&viewer)?;
    let f = UserForm { area_code: actor.area_code.clone().unwrap_or_default(), active: true, ..Default::default() };
    form_page(&state, &viewer, &actor, None, f, FormErrors::default()).await
}

async fn create(State(state): State<AppState>, viewer: Viewer, form: CsrfForm<UserForm>) -> PageResult<Response> {
    let actor = manager(&viewer)?;
    let f = UserForm::submitted(form);
    match users::create(&state.db, &actor, &f.input(), state.now_ms()).await {
        Ok(_) => Ok(see_other("/admin/users?ok=created")),
        Err(e @ AppError::Validation(_)) => {
            let f = UserForm { password: String::new(), ..f };
            let res = form_page(&state, &viewer, &actor, None, f, FormErrors::from_app(&e)).await?;
            Ok(unprocessable(res))
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = manager(&viewer)?;
    let u = users::get(&state.db, &actor, &id, state.now_ms()).await?;
    let existing = Some((u.id.as_str(), u.display_name.as_str(), u.locked));
    form_page(&state, &viewer, &actor, existing, UserForm::of(&u), FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<UserForm>,
) -> PageResult<Response> {
    let actor = manager(&viewer)?;
    let u = users::get(&state.db, &actor, &id, state.now_ms()).await?;
    let f = UserForm::submitted(form);
    match users::update(&state.db, &actor, &id, &f.input(), state.now_ms()).await {
        Ok(_) => Ok(see_other("/admin/users?ok=saved")),
        Err(e @ AppError::Validation(_)) => {
            let f = UserForm { password: String::new(), ..f };
            let existing = Some((u.id.as_str(), u.display_name.as_str(), u.locked));
            let res = form_page(&state, &viewer, &actor, existing, f, FormErrors::from_app(&e)).await?;
            Ok(unprocessable(res))
        }
        Err(e) => Err(e.into()),
    }
}
