//! The project page: each output target's value, percentage and pace bar (inline SVG, drawn on
//! the server), the team, the people count and links to the records behind each number.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{OutputRow, output_row, role_label, status_label};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::pages::{ListQuery, render, see_other};
use crate::state::AppState;
use crate::view::Ctx;

pub struct MemberRow {
    pub name: String,
    pub role: &'static str,
    pub phone: String,
}

pub struct RecordLink {
    pub href: String,
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "projects/show.html")]
struct ShowPage {
    ctx: Ctx,
    id: String,
    title: String,
    organization: String,
    program: String,
    program_code: String,
    area: String,
    period: String,
    status: String,
    status_label: &'static str,
    as_of: String,
    people: usize,
    outputs: Vec<OutputRow>,
    members: Vec<MemberRow>,
    records: Vec<RecordLink>,
    can_manage: bool,
    can_record: bool,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let as_of = state.clock.today();
    let pr = db::progress::project_progress(&state.db, &actor, &id, as_of).await?;
    let p = &pr.project;
    let names = db::areas::names(&state.db, std::slice::from_ref(&p.area_code)).await?;
    let outputs = pr.targets.iter().map(|x| output_row(t, &x.target, &x.progress, x.link.as_deref())).collect();
    let members = p
        .members
        .iter()
        .map(|m| MemberRow { name: m.name.clone(), role: role_label(t, &m.role), phone: m.phone.clone() })
        .collect();
    let mut records =
        vec![RecordLink { href: format!("/projects/{id}/visits"), label: t.get("projects.records.visits") }];
    for (kind, key) in [
        ("services", "projects.records.services"),
        ("cases", "projects.records.cases"),
        ("groups", "projects.records.groups"),
        ("activities", "projects.records.activities"),
        ("trainings", "projects.records.trainings"),
        ("supervision", "projects.records.supervision"),
        ("volunteers", "projects.records.volunteers"),
    ] {
        records.push(RecordLink { href: format!("/projects/{id}/records/{kind}"), label: t.get(key) });
    }
    let ctx = Ctx::new(&viewer, "projects", p.title.clone())
        .crumb("/projects", t.get("projects.title"))
        .crumb("", p.title.clone())
        .flash_from(q.ok.as_deref());
    Ok(render(&ShowPage {
        ctx,
        id: p.id.clone(),
        title: p.title.clone(),
        organization: p.organization_name.clone(),
        program: p.program.as_ref().map(|x| x.name.clone()).unwrap_or_default(),
        program_code: p.program.as_ref().map(|x| x.code.clone()).unwrap_or_default(),
        area: names.get(&p.area_code).cloned().unwrap_or_else(|| p.area_code.clone()),
        period: format!("{} — {}", p.start_on, p.end_on),
        status: p.status.clone(),
        status_label: status_label(t, &p.status),
        as_of: as_of.to_string(),
        people: pr.people,
        outputs,
        members,
        records,
        can_manage: db::projects::may_manage(&actor, p),
        can_record: db::projects::may_record(&actor, p),
    }))
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<StatusForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    db::projects::set_status(&state.db, &actor, &id, &form.data.status, state.now_ms()).await?;
    Ok(see_other(&format!("/projects/{id}?ok=saved")))
}
