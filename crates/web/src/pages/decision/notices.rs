//! Managing a notice (公示): check the draft, publish it, see and dispose of objections, see the
//! closing job; "run due jobs now" for administrators, funders and operators.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::AppError;
use db::notices::Disposition;
use domain::role::Role;
use serde::Deserialize;

use super::{LineRow, MANAGERS, line_rows, period_text, status_key};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::pages::{ListQuery, render, see_other, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/decision/notices/{id}", get(show))
        .route("/decision/notices/{id}/publish", post(publish))
        .route("/decision/objections/{id}", post(dispose))
        .route("/decision/jobs/run", post(run_jobs))
}

struct ObjectionRow {
    id: String,
    project: String,
    name: String,
    phone: String,
    text: String,
    filed: String,
    pending: bool,
    status_key: &'static str,
    reason: String,
}

#[derive(Template)]
#[template(path = "decision/notice.html")]
struct NoticePage {
    ctx: Ctx,
    id: String,
    program_id: String,
    title: String,
    status: String,
    status_key: &'static str,
    period: String,
    rule: String,
    total: String,
    lines: Vec<LineRow>,
    objections: Vec<ObjectionRow>,
    job: String,
    funder: bool,
    errors: FormErrors,
}

/// A local time (Asia/Shanghai) of an instant, "YYYY-MM-DD HH:MM".
pub use crate::describe::shanghai_minute as local_time;

async fn page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    ok: Option<&str>,
    errors: FormErrors,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    actor.require(&MANAGERS)?;
    let n = db::notices::get(&state.db, Some(&actor), id).await?;
    let objections = db::notices::objections(&state.db, &actor, &state.keys, id, state.now_ms())
        .await?
        .into_iter()
        .map(|o| ObjectionRow {
            status_key: match o.status.as_str() {
                "upheld" => "notices.upheld",
                "dismissed" => "notices.dismissed",
                _ => "notices.pending",
            },
            pending: o.status == "pending",
            id: o.id,
            project: o.application_title,
            name: o.name,
            phone: o.phone,
            text: o.text,
            filed: local_time(o.filed_ms),
            reason: o.disposition_reason,
        })
        .collect();
    let job = db::jobs::find(&state.db, db::jobs::NOTICE_CLOSE, id)
        .await?
        .first()
        .map(|j| format!("{} · {} {}", j.status, local_time(j.run_at_ms), j.last_error))
        .unwrap_or_default();
    let t = viewer.tr;
    let ctx = Ctx::new(viewer, "decision", n.title.clone())
        .crumb("/decision", t.get("decision.title"))
        .crumb(format!("/decision/{}", n.program_id), n.program_name.clone())
        .crumb("", n.title.clone())
        .flash_from(ok);
    let failed = !errors.is_empty();
    let p = NoticePage {
        ctx,
        id: n.id.clone(),
        program_id: n.program_id.clone(),
        title: n.title.clone(),
        status_key: status_key(&n.status),
        period: period_text(&n),
        rule: n.rule_text.clone(),
        total: n.total.yuan_string(),
        lines: line_rows(&n.lines),
        status: n.status,
        objections,
        job,
        funder: actor.is_admin() || actor.role == Role::FunderAdmin,
        errors,
    };
    Ok(unprocessable_if(failed, render(&p)))
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    page(&state, &viewer, &id, q.ok.as_deref(), FormErrors::default()).await
}

async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    match db::notices::publish(&state.db, &actor, &id, state.now_ms()).await {
        Ok(_) => Ok(see_other(&format!("/decision/notices/{id}?ok=notice_published"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            page(&state, &viewer, &id, None, FormErrors::from_app(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct DisposeForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    notice: String,
}

async fn dispose(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<DisposeForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let d = Disposition { upheld: form.data.outcome == "upheld", reason: form.data.reason.clone() };
    let notice = form.data.notice.clone();
    match db::notices::dispose(&state.db, &actor, &id, &d, state.now_ms()).await {
        Ok(()) => Ok(see_other(&format!("/decision/notices/{notice}?ok=objection_disposed"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            page(&state, &viewer, &notice, None, FormErrors::from_app(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct RunForm {
    #[serde(default)]
    back: String,
}

async fn run_jobs(State(state): State<AppState>, viewer: Viewer, form: CsrfForm<RunForm>) -> PageResult<Response> {
    let actor = viewer.require()?;
    actor.require(&MANAGERS)?;
    db::jobs::run_due_jobs(&state.db, state.now_ms()).await?;
    let back = if form.data.back.starts_with("/decision") { form.data.back.clone() } else { "/decision".into() };
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(see_other(&format!("{back}{sep}ok=jobs_run")))
}
