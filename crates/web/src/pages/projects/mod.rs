//! Projects (项目): the list, a funder's direct creation (`new.rs`), the project page with live
//! output progress (`show.rs`), the people enrolled (`people.rs`), the team (`team.rs`) and the
//! funder's view of every project of a program (`program.rs`).

mod new;
mod people;
mod program;
mod show;
mod team;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::projects::{ProjectFilter, ProjectView};
use db::{PageRequest, areas};
use domain::delivery::Progress;
use domain::role::Role;

use super::{ListQuery, render, see_other};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects", get(list))
        .route("/projects/new", get(new::form).post(new::create))
        .route("/projects/{id}", get(show::show))
        .route("/projects/{id}/status", post(show::set_status))
        .route("/projects/{id}/people", get(people::page).post(people::enrol))
        .route("/projects/{id}/people/link", post(people::link))
        .route("/projects/{id}/people/{pp}/leave", post(people::leave))
        .route("/projects/{id}/team", get(team::page).post(team::add))
        .route("/projects/{id}/team/{member}/remove", post(team::remove))
        .route("/programs/{code}/progress", get(program::page))
        .route("/awards/{id}/project", post(from_award))
}

pub fn status_label(t: Tr, status: &str) -> &'static str {
    t.get(if status == "closed" { "projects.status.closed" } else { "projects.status.active" })
}

pub fn role_label(t: Tr, role: &str) -> &'static str {
    t.get(match role {
        "lead" => "projects.role.lead",
        "supervisor" => "projects.role.supervisor",
        "volunteer" => "projects.role.volunteer",
        _ => "projects.role.social_worker",
    })
}

/// One output target as shown: the numbers, the bar and the drill-down link.
pub struct OutputRow {
    pub label: String,
    pub description: String,
    pub value: String,
    pub target: String,
    pub percent: u32,
    /// Where an even pace would be, in percent of the bar (0–100), when pace applies.
    pub expected_pct: Option<u32>,
    /// "on" / "behind" / "" (no pace)
    pub pace: &'static str,
    pub pace_label: &'static str,
    pub met: bool,
    pub explanation: String,
    pub link: String,
    pub color: &'static str,
}

pub fn output_row(t: Tr, target: &domain::program::OutputTarget, p: &Progress, link: Option<&str>) -> OutputRow {
    let (pace, pace_label) = match p.on_pace {
        Some(true) => ("on", t.get("projects.pace.on")),
        Some(false) => ("behind", t.get("projects.pace.behind")),
        None => ("", t.get("projects.pace.none")),
    };
    let expected_pct = p
        .expected
        .map(|e| e.saturating_mul(100).checked_div(p.target).map_or(100, |x| u32::try_from(x.min(100)).unwrap_or(100)));
    OutputRow {
        label: domain::delivery::metric_label(p.metric).to_string(),
        description: target.description.clone(),
        value: format!("{}{}", p.value, p.unit),
        target: format!("{}{}", p.target, p.unit),
        percent: p.percent,
        expected_pct,
        pace,
        pace_label,
        met: p.met,
        explanation: p.explanation.clone(),
        link: link.unwrap_or_default().to_string(),
        color: if p.met {
            "#2e7d32"
        } else if p.on_pace == Some(false) {
            "#c62828"
        } else {
            "#1565c0"
        },
    }
}

/// Who may create projects directly.
pub fn may_create(role: Role) -> bool {
    matches!(role, Role::SysAdmin | Role::FunderAdmin)
}

struct Row {
    id: String,
    title: String,
    organization: String,
    program: String,
    area: String,
    period: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "projects/list.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<Row>,
    can_create: bool,
    next: Option<String>,
}

fn period(p: &ProjectView) -> String {
    format!("{} — {}", p.start_on, p.end_on)
}

async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let page = db::projects::list(
        &state.db,
        &actor,
        &ProjectFilter::default(),
        &PageRequest { after: q.after.clone(), limit: Some(50) },
    )
    .await?;
    let codes: Vec<String> = page.items.iter().map(|p| p.area_code.clone()).collect();
    let names = areas::names(&state.db, &codes).await?;
    let rows = page
        .items
        .iter()
        .map(|p| Row {
            id: p.id.clone(),
            title: p.title.clone(),
            organization: p.organization_name.clone(),
            program: p.program.as_ref().map(|x| x.name.clone()).unwrap_or_default(),
            area: names.get(&p.area_code).cloned().unwrap_or_else(|| p.area_code.clone()),
            period: period(p),
            status: status_label(t, &p.status),
        })
        .collect();
    let next = super::next_href("/projects", &[], page.next_cursor);
    let ctx = Ctx::new(&viewer, "projects", t.get("projects.title")).flash_from(q.ok.as_deref());
    Ok(render(&ListPage { ctx, rows, can_create: may_create(actor.role), next }))
}

/// Build the project of a final award, then open it.
async fn from_award(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let pid = db::projects::create_from_award(&state.db, &actor, &id, state.now_ms()).await?;
    Ok(see_other(&format!("/projects/{pid}?ok=saved")))
}
