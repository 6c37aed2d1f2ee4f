//! The printable application (申报书) on A4: every section, the budget by category with
//! subtotals in 元 and the total in 万元, team, proposed outputs against the requirements, joint
//! applicants, co-funding, the attachment list, and lines for signatures and seals.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use db::Actor;
use db::applications::{ApplicationView, JointView};

use super::form::{OutputRow, category_label, output_rows};
use super::show::{kind_label, size_label};
use super::{item_of, shanghai_time, status_label};
use crate::auth::Viewer;
use crate::error::PageResult;
use crate::pages::render;
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new().route("/applications/{id}/print", get(print))
}

/// A budget category with its lines and subtotal (categories without lines are left out).
struct BudgetGroup {
    category: &'static str,
    lines: Vec<(String, String)>,
    subtotal: String,
}

#[derive(Template)]
#[template(path = "applications/print.html")]
struct PrintPage {
    ctx: Ctx,
    a: ApplicationView,
    status_label: &'static str,
    program: String,
    item_label: String,
    organization: String,
    uscc: String,
    submitted: String,
    outputs: Vec<OutputRow>,
    budget: Vec<BudgetGroup>,
    total_yuan: String,
    total_wan: String,
    cofunding_total: String,
    joint: Vec<JointView>,
    attachments: Vec<(&'static str, String, String)>,
}

async fn print(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let tr = viewer.tr;
    let a = db::applications::get(&state.db, &actor, &id).await?;
    let item = item_of(&state, &a).await?;
    // the application is in scope, so its program and organization may be read
    let system = Actor::system();
    let program = db::programs::get(&state.db, Some(&system), &a.program_id).await?;
    let org = db::organizations::get(&state.db, &system, &a.organization_id).await?;
    let joint = db::applications::joint_applicants(&state.db, &actor, &id).await?;
    let attachments = db::applications::attachments(&state.db, &actor, &id)
        .await?
        .into_iter()
        .map(|f| (kind_label(tr, &f.kind), f.file_name, size_label(f.size_bytes)))
        .collect();
    let budget = a
        .input
        .subtotals()
        .into_iter()
        .filter(|(c, _)| a.input.budget.iter().any(|l| l.category == *c))
        .map(|(c, sub)| BudgetGroup {
            category: category_label(tr, c),
            lines: a
                .input
                .budget
                .iter()
                .filter(|l| l.category == c)
                .map(|l| (l.uses.clone(), l.amount.yuan_string()))
                .collect(),
            subtotal: sub.yuan_string(),
        })
        .collect();
    let ctx = Ctx::new(&viewer, "applications", a.input.title.clone())
        .crumb("/applications", tr.get("applications.title"))
        .crumb(format!("/applications/{id}"), a.input.title.clone())
        .crumb("", tr.get("applications.print"));
    Ok(render(&PrintPage {
        ctx,
        status_label: status_label(tr, &a.status),
        program: program.name,
        item_label: item.as_ref().map(|i| format!("{} {}", i.item.code, i.item.name)).unwrap_or_default(),
        organization: org.name,
        uscc: org.uscc.unwrap_or_default(),
        submitted: a.submitted_ms.map(shanghai_time).unwrap_or_default(),
        outputs: output_rows(item.as_ref(), &a.input.outputs),
        budget,
        total_yuan: a.input.total().yuan_string(),
        total_wan: a.input.total().wan_string(),
        cofunding_total: a.input.cofunding_total().yuan_string(),
        joint,
        attachments,
        a,
    }))
}
