//! The screening queue (初筛): every submitted application of the programs an operator or
//! funder covers, with the engine's rule results, and a form to record the outcome.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::applications::{ApplicationFilter, ScreeningInput};
use db::{AppError, PageRequest};
use domain::eligibility::overall;
use domain::role::Role;
use serde::Deserialize;

use super::{Check, checks, outcome_label};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::pages::unprocessable_if;
use crate::pages::{render, see_other};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/screening", get(queue)).route("/admin/screening/{id}", post(record))
}

#[derive(Deserialize, Default)]
struct QueueQuery {
    #[serde(default)]
    program: Option<String>,
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    ok: Option<String>,
}

struct Entry {
    id: String,
    title: String,
    organization: String,
    requested: String,
    checks: Vec<Check>,
    overall: &'static str,
    overall_label: &'static str,
}

#[derive(Template)]
#[template(path = "applications/screening.html")]
struct QueuePage {
    ctx: Ctx,
    entries: Vec<Entry>,
    program: String,
    next: Option<String>,
    errors: FormErrors,
}

async fn queue_page(state: &AppState, viewer: &Viewer, q: QueueQuery, errors: FormErrors) -> PageResult<Response> {
    let actor = viewer.require()?;
    actor.require(&[Role::Operator, Role::FunderAdmin])?;
    let mut program = q.program.clone().unwrap_or_default();
    if !program.is_empty() {
        // accept a program code as well as an id
        program = db::programs::get(&state.db, Some(&actor), &program).await?.id;
    }
    let filter = ApplicationFilter { program_id: Some(program.clone()), status: Some("submitted".into()) };
    let page =
        db::applications::list(&state.db, &actor, &filter, &PageRequest { after: q.after, limit: Some(20) }).await?;
    let org_ids: Vec<String> = page.items.iter().map(|a| a.organization_id.clone()).collect();
    let names = db::organizations::names(&state.db, &org_ids).await?;
    let tr = viewer.tr;
    let mut entries = Vec::new();
    for a in &page.items {
        // per row: the rules are evaluated as of today, the way screening will store them
        let results = db::applications::eligibility(&state.db, &actor, &a.id, state.clock.today()).await?;
        let o = overall(&results);
        entries.push(Entry {
            id: a.id.clone(),
            title: a.input.title.clone(),
            organization: names.get(&a.organization_id).cloned().unwrap_or_default(),
            requested: a.requested.yuan_string(),
            checks: checks(tr, &results),
            overall: o.as_str(),
            overall_label: outcome_label(tr, o),
        });
    }
    let ctx = Ctx::new(viewer, "screening", tr.get("applications.screening_title"))
        .crumb("/applications", tr.get("applications.title"))
        .crumb("", tr.get("applications.screening_title"))
        .flash_from(q.ok.as_deref());
    let failed = !errors.is_empty();
    Ok(unprocessable_if(failed, render(&QueuePage { ctx, entries, program, next: page.next_cursor, errors })))
}

async fn queue(State(state): State<AppState>, viewer: Viewer, Query(q): Query<QueueQuery>) -> PageResult<Response> {
    queue_page(&state, &viewer, q, FormErrors::default()).await
}

#[derive(Deserialize, Default)]
struct ScreenForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reasons: String,
}

async fn record(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<ScreenForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let a = db::applications::get(&state.db, &actor, &id).await?;
    let input = ScreeningInput { outcome: form.data.outcome.clone(), reasons: form.data.reasons.clone() };
    match db::applications::record_screening(&state.db, &actor, &id, &input, state.clock.today(), state.now_ms()).await
    {
        Ok(()) => Ok(see_other(&format!("/admin/screening?program={}&ok=screened", a.program_id))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let q = QueueQuery { program: Some(a.program_id), ..Default::default() };
            queue_page(&state, &viewer, q, FormErrors::from_app(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}
