//! A program's delivery at a glance: every project of the program the viewer can see (a funder
//! sees all of them) with each target's value, percentage and pace.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{OutputRow, output_row};
use crate::auth::Viewer;
use crate::error::PageResult;
use crate::pages::render;
use crate::state::AppState;
use crate::view::Ctx;

pub struct ProjectBlock {
    pub id: String,
    pub title: String,
    pub organization: String,
    pub people: usize,
    pub met: usize,
    pub behind: usize,
    pub outputs: Vec<OutputRow>,
}

#[derive(Template)]
#[template(path = "projects/program.html")]
struct ProgramPage {
    ctx: Ctx,
    name: String,
    as_of: String,
    projects: Vec<ProjectBlock>,
}

pub async fn page(State(state): State<AppState>, viewer: Viewer, Path(code): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let program = db::programs::get(&state.db, Some(&actor), &code).await?;
    let as_of = state.clock.today();
    let all = db::progress::program_progress(&state.db, &actor, &program.id, as_of).await?;
    let projects = all
        .into_iter()
        .map(|pr| {
            let outputs: Vec<OutputRow> =
                pr.targets.iter().map(|x| output_row(t, &x.target, &x.progress, x.link.as_deref())).collect();
            ProjectBlock {
                met: outputs.iter().filter(|o| o.met).count(),
                behind: outputs.iter().filter(|o| !o.met && o.pace == "behind").count(),
                id: pr.project.id,
                title: pr.project.title,
                organization: pr.project.organization_name,
                people: pr.people,
                outputs,
            }
        })
        .collect();
    let title = format!("{} · {}", program.name, t.get("projects.program_progress"));
    let ctx = Ctx::new(&viewer, "projects", title.clone()).crumb("/projects", t.get("projects.title")).crumb("", title);
    Ok(render(&ProgramPage { ctx, name: program.name, as_of: as_of.to_string(), projects }))
}
