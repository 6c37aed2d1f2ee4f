//! The start page: the public landing, or a dashboard by role.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use db::programs::{ProgramFilter, ProgramSummary};
use db::{PageRequest, areas};

use super::render;
use crate::auth::Viewer;
use crate::error::PageResult;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// A program as a card on a list.
pub struct ProgramCard {
    pub code: String,
    pub name: String,
    pub year: i32,
    pub area: String,
    pub status: &'static str,
    pub status_label: &'static str,
}

pub fn status_key(s: domain::program::ProgramStatus) -> &'static str {
    match s {
        domain::program::ProgramStatus::Draft => "status.draft",
        domain::program::ProgramStatus::Published => "status.published",
        domain::program::ProgramStatus::Closed => "status.closed",
    }
}

/// Cards for programs, with area names fetched in one query.
pub async fn cards(state: &AppState, t: Tr, programs: &[ProgramSummary]) -> PageResult<Vec<ProgramCard>> {
    let codes: Vec<String> = programs.iter().map(|p| p.area_code.clone()).collect();
    let names = areas::names(&state.db, &codes).await?;
    Ok(programs
        .iter()
        .map(|p| ProgramCard {
            code: p.code.clone(),
            name: p.name.clone(),
            year: p.year,
            area: names.get(&p.area_code).cloned().unwrap_or_else(|| p.area_code.clone()),
            status: p.status.as_str(),
            status_label: t.get(status_key(p.status)),
        })
        .collect())
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    programs: Vec<ProgramCard>,
}

async fn home(State(state): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    let actor = viewer.actor();
    if actor.as_ref().is_some_and(|a| a.role == domain::role::Role::FieldWorker) {
        return Ok(super::see_other("/today"));
    }
    let page = db::programs::list(
        &state.db,
        actor.as_ref(),
        &ProgramFilter::default(),
        &PageRequest { after: None, limit: Some(50) },
    )
    .await?;
    let programs = cards(&state, viewer.tr, &page.items).await?;
    let ctx = Ctx::new(&viewer, "home", viewer.tr.get("nav.home"));
    Ok(render(&HomePage { ctx, programs }))
}
