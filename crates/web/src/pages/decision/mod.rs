//! The decision screens (立项): the slate generated from the review ranking, the funder's changes
//! with reasons, approval in numbered batches, the Excel export, and making a notice from the
//! approved lines. Notice management and objections are in `notices.rs`.

mod excel;
mod notices;

pub use notices::local_time;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use db::AppError;
use db::decision::{LineChange, SlateLineView};
use db::notices::NoticeView;
use domain::role::Role;
use serde::Deserialize;

use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, checked, opt_wan, wan};
use crate::pages::{ListQuery, render, see_other, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/decision", get(index))
        .route("/decision/{program}", get(slate))
        .route("/decision/{program}/generate", post(generate))
        .route("/decision/{program}/approve", post(approve))
        .route("/decision/{program}/slate.xlsx", get(export))
        .route("/decision/{program}/notices", post(create_notice))
        .route("/decision/lines/{id}", post(change))
        .merge(notices::routes())
}

const MANAGERS: [Role; 2] = [Role::FunderAdmin, Role::Operator];

struct ProgramRow {
    id: String,
    name: String,
    year: i32,
}

#[derive(Template)]
#[template(path = "decision/index.html")]
struct IndexPage {
    ctx: Ctx,
    programs: Vec<ProgramRow>,
}

async fn index(State(state): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    let actor = viewer.require()?;
    actor.require(&MANAGERS)?;
    let programs = db::decision::programs(&state.db, &actor)
        .await?
        .into_iter()
        .map(|p| ProgramRow { id: p.id, name: p.name, year: p.year })
        .collect();
    let ctx = Ctx::new(&viewer, "decision", viewer.tr.get("decision.title"));
    Ok(render(&IndexPage { ctx, programs }))
}

/// A slate line as the page shows it.
pub struct LineRow {
    pub id: String,
    pub rank: i32,
    pub group: String,
    pub title: String,
    pub organization: String,
    pub score: String,
    pub requested: String,
    pub recommended: String,
    pub amount: String,
    pub amount_wan: String,
    pub included: bool,
    pub status: String,
    pub status_key: &'static str,
    pub reason: String,
    pub change_reason: String,
    pub batch: String,
    pub proposed: bool,
}

pub fn line_rows(lines: &[SlateLineView]) -> Vec<LineRow> {
    lines
        .iter()
        .map(|l| LineRow {
            id: l.id.clone(),
            rank: l.rank,
            group: l.group.clone(),
            title: l.application_title.clone(),
            organization: l.organization_name.clone(),
            score: l.score.map(|s| s.to_string()).unwrap_or_default(),
            requested: l.requested.yuan_string(),
            recommended: l.recommended.map(|f| f.yuan_string()).unwrap_or_default(),
            amount: l.amount.map(|f| f.yuan_string()).unwrap_or_default(),
            amount_wan: wan(l.amount),
            included: l.amount.is_some(),
            status: l.status.clone(),
            status_key: match l.status.as_str() {
                "approved" => "decision.status_approved",
                "rejected" => "decision.status_rejected",
                _ => "decision.status_proposed",
            },
            reason: l.reason.clone(),
            change_reason: l.change_reason.clone(),
            batch: l.batch.map(|b| b.to_string()).unwrap_or_default(),
            proposed: l.status == "proposed",
        })
        .collect()
}

struct NoticeRow {
    id: String,
    title: String,
    status_key: &'static str,
    period: String,
}

pub fn status_key(status: &str) -> &'static str {
    match status {
        "published" => "notices.status_published",
        "closed" => "notices.status_closed",
        _ => "notices.status_draft",
    }
}

pub fn period_text(n: &NoticeView) -> String {
    match (n.period_start, n.period_end) {
        (Some(s), Some(e)) => format!("{s} — {e}"),
        _ => String::new(),
    }
}

#[derive(Template)]
#[template(path = "decision/slate.html")]
struct SlatePage {
    ctx: Ctx,
    program_id: String,
    lines: Vec<LineRow>,
    notices: Vec<NoticeRow>,
    funder: bool,
    errors: FormErrors,
}

async fn slate_page(
    state: &AppState,
    viewer: &Viewer,
    program: &str,
    ok: Option<&str>,
    errors: FormErrors,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    actor.require(&MANAGERS)?;
    let p = db::programs::get(&state.db, Some(&actor), program).await?;
    let lines = db::decision::lines(&state.db, &actor, &p.id).await?;
    let notices = db::notices::of_program(&state.db, &actor, &p.id)
        .await?
        .iter()
        .map(|n| NoticeRow {
            id: n.id.clone(),
            title: n.title.clone(),
            status_key: status_key(&n.status),
            period: period_text(n),
        })
        .collect();
    let t = viewer.tr;
    let ctx = Ctx::new(viewer, "decision", format!("{} · {}", t.get("decision.title"), p.name))
        .crumb("/decision", t.get("decision.title"))
        .crumb("", p.name.clone())
        .flash_from(ok);
    let funder = actor.is_admin() || actor.role == Role::FunderAdmin;
    let failed = !errors.is_empty();
    let page = SlatePage { ctx, program_id: p.id, lines: line_rows(&lines), notices, funder, errors };
    Ok(unprocessable_if(failed, render(&page)))
}

async fn slate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(program): Path<String>,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    slate_page(&state, &viewer, &program, q.ok.as_deref(), FormErrors::default()).await
}

/// Run a write; on a validation or conflict error re-render the slate with the message.
async fn after(
    state: &AppState,
    viewer: &Viewer,
    program: &str,
    result: Result<String, AppError>,
) -> PageResult<Response> {
    match result {
        Ok(to) => Ok(see_other(&to)),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            slate_page(state, viewer, program, None, FormErrors::from_app(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn generate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(program): Path<String>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let result = db::decision::generate(&state.db, &actor, &program, state.now_ms())
        .await
        .map(|_| format!("/decision/{program}?ok=slate_generated"));
    after(&state, &viewer, &program, result).await
}

async fn approve(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(program): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let ids: Vec<String> = crate::forms::all(&form.pairs, "line").into_iter().map(str::to_string).collect();
    let result = db::decision::approve_batch(&state.db, &actor, &program, &ids, state.now_ms())
        .await
        .map(|_| format!("/decision/{program}?ok=batch_approved"));
    after(&state, &viewer, &program, result).await
}

#[derive(Deserialize, Default)]
struct ChangeForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<ChangeForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let program = db::decision::line_program(&state.db, &actor, &id).await?;
    let include = checked(&form.pairs, "include");
    let mut errors = Vec::new();
    let amount = opt_wan(&form.data.amount, "amount", "立项金额", &mut errors);
    let result = if errors.is_empty() {
        let c = LineChange { include, amount, reason: form.data.reason.clone() };
        db::decision::change_line(&state.db, &actor, &id, &c, state.now_ms())
            .await
            .map(|()| format!("/decision/{program}?ok=line_changed"))
    } else {
        Err(AppError::Validation(errors))
    };
    after(&state, &viewer, &program, result).await
}

async fn create_notice(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(program): Path<String>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let result = db::notices::create(&state.db, &actor, &program, state.now_ms())
        .await
        .map(|id| format!("/decision/notices/{id}?ok=notice_created"));
    after(&state, &viewer, &program, result).await
}

async fn export(State(state): State<AppState>, viewer: Viewer, Path(program): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let p = db::programs::get(&state.db, Some(&actor), &program).await?;
    let lines = db::decision::lines(&state.db, &actor, &p.id).await?;
    let bytes = excel::write_slate(&lines).map_err(|e| AppError::Internal(e.to_string()))?;
    let name: String = format!("{}-拟立项名单.xlsx", p.name)
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"slate.xlsx\"; filename*=UTF-8''{name}")),
        ],
        bytes,
    )
        .into_response())
}
