//! Panels (评审专家小组): the list per program with the draw form, a panel's members, exclusions,
//! steps and assignments, and the replay of a recorded draw from its seed and pool snapshot.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::AppError;
use db::review::{DrawInput, PanelSummary, PanelView, Replay};
use serde::Deserialize;

use super::{assignment_status, card_status, local};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, all, checked};
use crate::pages::{Choice, render, see_other, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/review", get(list))
        .route("/admin/review/draw", post(draw))
        .route("/admin/review/panels/{id}", get(show))
        .route("/admin/review/panels/{id}/replay", get(replay))
        .route("/admin/review/panels/{id}/remind", post(remind))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    program: Option<String>,
    #[serde(default)]
    ok: Option<String>,
}

struct DrawForm {
    track_code: String,
    size: String,
    required_fields: String,
    avoid_same_street: bool,
    blind: bool,
}

#[derive(Template)]
#[template(path = "review/panels.html")]
struct PanelsPage {
    ctx: Ctx,
    programs: Vec<Choice>,
    program: String,
    tracks: Vec<Choice>,
    panels: Vec<(PanelSummary, String)>,
    form: DrawForm,
    errors: FormErrors,
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    program: Option<String>,
    form: DrawForm,
    errors: FormErrors,
    ok: Option<&str>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    actor.require(&db::review::MANAGERS)?;
    let tr = viewer.tr;
    let programs = db::review::managed_programs(&state.db, &actor).await?;
    let wanted = program.unwrap_or_default();
    let current = programs
        .iter()
        .find(|(id, code, _)| *id == wanted || *code == wanted)
        .or(programs.first())
        .map(|(id, _, _)| id.clone())
        .unwrap_or_default();
    let mut tracks = vec![(String::new(), tr.get("review.all_tracks").to_string())];
    let mut panels = Vec::new();
    if !current.is_empty() {
        let detail = db::programs::get(&state.db, Some(&actor), &current).await?;
        tracks.extend(detail.tracks.iter().map(|t| (t.code.clone(), t.name.clone())));
        panels = db::review::list_panels(&state.db, &actor, Some(&current))
            .await?
            .into_iter()
            .map(|p| {
                let at = local(p.created_ms);
                (p, at)
            })
            .collect();
    }
    let ctx = Ctx::new(viewer, "review_admin", tr.get("review.panels_title")).flash_from(ok);
    let failed = !errors.is_empty();
    let page = PanelsPage {
        ctx,
        programs: Choice::list(programs.into_iter().map(|(id, _, name)| (id, name)), &current),
        tracks: Choice::list(tracks, &form.track_code),
        program: current,
        panels,
        form,
        errors,
    };
    Ok(unprocessable_if(failed, render(&page)))
}

fn blank_form() -> DrawForm {
    DrawForm {
        track_code: String::new(),
        size: "5".into(),
        required_fields: String::new(),
        avoid_same_street: false,
        blind: false,
    }
}

async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> PageResult<Response> {
    list_page(&state, &viewer, q.program, blank_form(), FormErrors::default(), q.ok.as_deref()).await
}

/// A fresh seed: the clock's milliseconds mixed with operating-system randomness. It is
/// recorded with the panel, so the draw can be replayed.
fn fresh_seed(now_ms: i64) -> u64 {
    (now_ms.unsigned_abs().rotate_left(21)) ^ rand::random::<u64>()
}

async fn draw(
    State(state): State<AppState>,
    viewer: Viewer,
    form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let pairs = &form.pairs;
    let one = |k: &str| all(pairs, k).first().map(|v| v.trim().to_string()).unwrap_or_default();
    let f = DrawForm {
        track_code: one("track_code"),
        size: one("size"),
        required_fields: one("required_fields"),
        avoid_same_street: checked(pairs, "avoid_same_street"),
        blind: checked(pairs, "blind"),
    };
    let program = one("program");
    let size = match f.size.parse::<usize>() {
        Ok(n) if (1..=50).contains(&n) => n,
        _ => {
            let e = AppError::field("size", "抽取人数：请填写1到50之间的整数");
            return list_page(&state, &viewer, Some(program), f, FormErrors::from_app(&e), None).await;
        }
    };
    let input = DrawInput {
        program_id: program.clone(),
        track_code: f.track_code.clone(),
        name: String::new(),
        size,
        required_fields: f
            .required_fields
            .split(|c: char| matches!(c, ',' | '，' | '、' | ';' | '；') || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        avoid_same_street: f.avoid_same_street,
        blind: f.blind,
        rubric: None,
    };
    let now = state.now_ms();
    match db::review::draw(&state.db, &actor, &input, fresh_seed(now), now).await {
        Ok(id) => Ok(see_other(&format!("/admin/review/panels/{id}?ok=review_drawn"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            list_page(&state, &viewer, Some(program), f, FormErrors::from_app(&e), None).await
        }
        Err(e) => Err(e.into()),
    }
}

struct AssignmentRow {
    application_title: String,
    organization_name: String,
    blind_label: String,
    expert_name: String,
    status: String,
    status_label: &'static str,
    reason: String,
    card_label: &'static str,
}

#[derive(Template)]
#[template(path = "review/panel.html")]
struct PanelPage {
    ctx: Ctx,
    panel: PanelView,
    created: String,
    assignments: Vec<AssignmentRow>,
}

#[derive(Deserialize, Default)]
struct OkQuery {
    #[serde(default)]
    ok: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<OkQuery>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let tr = viewer.tr;
    let panel = db::review::get_panel(&state.db, &actor, &id).await?;
    let assignments = panel
        .assignments
        .iter()
        .map(|a| AssignmentRow {
            application_title: a.application_title.clone(),
            organization_name: a.organization_name.clone(),
            blind_label: a.blind_label.clone(),
            expert_name: a.expert_name.clone(),
            status: a.status.clone(),
            status_label: assignment_status(tr, &a.status),
            reason: a.reason.clone(),
            card_label: card_status(tr, &a.card),
        })
        .collect();
    let ctx = Ctx::new(&viewer, "review_admin", panel.summary.name.clone())
        .crumb(format!("/admin/review?program={}", panel.summary.program_id), tr.get("review.panels_title"))
        .crumb("", panel.summary.name.clone())
        .flash_from(q.ok.as_deref());
    let created = local(panel.summary.created_ms);
    Ok(render(&PanelPage { ctx, created, panel, assignments }))
}

#[derive(Template)]
#[template(path = "review/replay.html")]
struct ReplayPage {
    ctx: Ctx,
    panel: PanelView,
    replay: Replay,
}

async fn replay(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let tr = viewer.tr;
    let panel = db::review::get_panel(&state.db, &actor, &id).await?;
    let replay = db::review::replay(&state.db, &actor, &id).await?;
    let ctx = Ctx::new(&viewer, "review_admin", tr.get("review.replay_title"))
        .crumb(format!("/admin/review?program={}", panel.summary.program_id), tr.get("review.panels_title"))
        .crumb(format!("/admin/review/panels/{id}"), panel.summary.name.clone())
        .crumb("", tr.get("review.replay_title"));
    Ok(render(&ReplayPage { ctx, panel, replay }))
}

/// Remind the members who still have applications to declare or score.
async fn remind(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    _form: crate::auth::CsrfForm<serde_json::Value>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    db::review::remind(&state.db, &actor, &id, state.now_ms()).await?;
    Ok(crate::pages::see_other(&format!("/admin/review/panels/{id}?ok=review_reminded")))
}
