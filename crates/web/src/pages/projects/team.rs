//! The project team: members with roles, adding a user of the organization or a named
//! volunteer, removing a member.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use db::AppError;
use db::projects::{MEMBER_ROLES, MemberInput};
use serde::Deserialize;

use super::role_label;
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::pages::{Choice, ListQuery, render, see_other, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

pub struct MemberRow {
    pub id: String,
    pub name: String,
    pub role: &'static str,
    pub phone: String,
    pub account: bool,
}

#[derive(Template)]
#[template(path = "projects/team.html")]
struct TeamPage {
    ctx: Ctx,
    id: String,
    rows: Vec<MemberRow>,
    can_manage: bool,
    users: Vec<Choice>,
    roles: Vec<Choice>,
    errors: FormErrors,
}

async fn render_page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    errors: FormErrors,
    flash: Option<&str>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = db::projects::get(&state.db, &actor, id).await?;
    let can_manage = db::projects::may_manage(&actor, &p);
    let rows = p
        .members
        .iter()
        .map(|m| MemberRow {
            id: m.id.clone(),
            name: m.name.clone(),
            role: role_label(t, &m.role),
            phone: m.phone.clone(),
            account: m.user_id.is_some(),
        })
        .collect();
    let users =
        std::iter::once(Choice { value: String::new(), label: t.get("projects.no_account").into(), selected: false })
            .chain(db::projects::candidate_users(&state.db, &actor, id).await?.into_iter().map(|(v, l)| Choice {
                value: v,
                label: l,
                selected: false,
            }))
            .collect();
    let roles = Choice::list(MEMBER_ROLES.iter().map(|r| (*r, role_label(t, r))), "social_worker");
    let failed = !errors.is_empty();
    let ctx = Ctx::new(viewer, "projects", t.get("projects.team"))
        .crumb("/projects", t.get("projects.title"))
        .crumb(format!("/projects/{id}"), p.title.clone())
        .crumb("", t.get("projects.team"))
        .flash_from(flash);
    Ok(unprocessable_if(failed, render(&TeamPage { ctx, id: id.to_string(), rows, can_manage, users, roles, errors })))
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    render_page(&state, &viewer, &id, FormErrors::default(), q.ok.as_deref()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AddForm {
    user_id: String,
    name: String,
    role: String,
    phone: String,
}

pub async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<AddForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let f = form.data;
    let input = MemberInput {
        user_id: Some(f.user_id).filter(|s| !s.trim().is_empty()),
        name: f.name,
        role: f.role,
        phone: f.phone,
    };
    match db::projects::add_member(&state.db, &actor, &id, &input, state.now_ms()).await {
        Ok(_) => Ok(see_other(&format!("/projects/{id}/team?ok=saved"))),
        Err(e @ AppError::Validation(_)) => render_page(&state, &viewer, &id, FormErrors::from_app(&e), None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, member)): Path<(String, String)>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    db::projects::remove_member(&state.db, &actor, &id, &member, state.now_ms()).await?;
    Ok(see_other(&format!("/projects/{id}/team?ok=deleted")))
}
