//! The public notices (公示) and results (立项结果) on the portal, no login: the list, a notice
//! with its objection form (open only during the period), a printable notice, and final awards
//! by program. Readable on a 360-px phone.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use db::AppError;
use db::notices::{NoticeView, ObjectionInput};
use serde::Deserialize;

use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::pages::decision::{period_text, status_key};
use crate::pages::{ListQuery, render, see_other, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notices", get(list))
        .route("/notices/{id}", get(show).post(object))
        .route("/notices/{id}/print", get(print))
        .route("/results", get(results))
        .route("/results/{program}", get(result))
}

struct NoticeRow {
    id: String,
    title: String,
    program: String,
    status: String,
    status_key: &'static str,
    period: String,
}

#[derive(Template)]
#[template(path = "public/notices.html")]
struct ListPage {
    ctx: Ctx,
    notices: Vec<NoticeRow>,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    let notices = db::notices::public_list(&state.db, None)
        .await?
        .iter()
        .map(|n| NoticeRow {
            id: n.id.clone(),
            title: n.title.clone(),
            program: n.program_name.clone(),
            status: n.status.clone(),
            status_key: status_key(&n.status),
            period: period_text(n),
        })
        .collect();
    let ctx = Ctx::new(&viewer, "notices", viewer.tr.get("notices.title"));
    Ok(render(&ListPage { ctx, notices }))
}

/// One line of a public notice.
pub struct PublicLine {
    pub id: String,
    pub group: String,
    pub title: String,
    pub organization: String,
    pub amount: String,
}

fn public_lines(n: &NoticeView) -> Vec<PublicLine> {
    n.lines
        .iter()
        .map(|l| PublicLine {
            id: l.id.clone(),
            group: l.group.clone(),
            title: l.application_title.clone(),
            organization: l.organization_name.clone(),
            amount: l.amount.map(|a| a.yuan_string()).unwrap_or_default(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "public/notice.html")]
struct NoticePage {
    ctx: Ctx,
    id: String,
    title: String,
    program: String,
    status: String,
    status_key: &'static str,
    period: String,
    rule: String,
    published: String,
    total: String,
    lines: Vec<PublicLine>,
    open: bool,
    form: ObjectionInput,
    errors: FormErrors,
}

async fn notice_page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    ok: Option<&str>,
    form: ObjectionInput,
    errors: FormErrors,
) -> PageResult<Response> {
    let n = db::notices::get(&state.db, None, id).await?;
    let ctx = Ctx::new(viewer, "notices", n.title.clone())
        .crumb("/notices", viewer.tr.get("notices.title"))
        .crumb("", n.title.clone())
        .flash_from(ok);
    let failed = !errors.is_empty();
    let page = NoticePage {
        ctx,
        id: n.id.clone(),
        title: n.title.clone(),
        program: n.program_name.clone(),
        status_key: status_key(&n.status),
        period: period_text(&n),
        rule: n.rule_text.clone(),
        published: n.published_ms.map(crate::pages::decision::local_time).unwrap_or_default(),
        total: n.total.yuan_string(),
        lines: public_lines(&n),
        open: n.open_at(state.now_ms()),
        status: n.status,
        form,
        errors,
    };
    Ok(unprocessable_if(failed, render(&page)))
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    notice_page(&state, &viewer, &id, q.ok.as_deref(), ObjectionInput::default(), FormErrors::default()).await
}

#[derive(Deserialize, Default)]
struct ObjectForm {
    #[serde(default)]
    line_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    text: String,
}

async fn object(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<ObjectForm>,
) -> PageResult<Response> {
    let f = form.data;
    let input = ObjectionInput { line_id: f.line_id, name: f.name, phone: f.phone, text: f.text };
    match db::notices::file_objection(&state.db, &state.keys, &id, &input, state.now_ms()).await {
        Ok(_) => Ok(see_other(&format!("/notices/{id}?ok=objection_filed"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            notice_page(&state, &viewer, &id, None, input, FormErrors::from_app(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "public/notice_print.html")]
struct PrintPage {
    ctx: Ctx,
    title: String,
    program: String,
    period: String,
    rule: String,
    published: String,
    total: String,
    lines: Vec<PublicLine>,
}

async fn print(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let n = db::notices::get(&state.db, None, &id).await?;
    let page = PrintPage {
        ctx: Ctx::new(&viewer, "notices", n.title.clone()),
        title: n.title.clone(),
        program: n.program_name.clone(),
        period: period_text(&n),
        rule: n.rule_text.clone(),
        published: n.published_ms.map(crate::pages::decision::local_time).unwrap_or_default(),
        total: n.total.yuan_string(),
        lines: public_lines(&n),
    };
    Ok(render(&page))
}

struct ResultProgram {
    id: String,
    name: String,
    year: i32,
}

#[derive(Template)]
#[template(path = "public/results.html")]
struct ResultsPage {
    ctx: Ctx,
    programs: Vec<ResultProgram>,
}

async fn results(State(state): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    let mut programs = Vec::new();
    for id in db::awards::programs_with_results(&state.db).await? {
        if let Ok(p) = db::programs::get(&state.db, None, &id).await {
            programs.push(ResultProgram { id: p.id, name: p.name, year: p.year });
        }
    }
    let ctx = Ctx::new(&viewer, "results", viewer.tr.get("results.title"));
    Ok(render(&ResultsPage { ctx, programs }))
}

struct AwardRow {
    title: String,
    organization: String,
    track: String,
    amount: String,
    awarded: String,
}

#[derive(Template)]
#[template(path = "public/result.html")]
struct ResultPage {
    ctx: Ctx,
    name: String,
    awards: Vec<AwardRow>,
    total: String,
}

async fn result(State(state): State<AppState>, viewer: Viewer, Path(program): Path<String>) -> PageResult<Response> {
    let p = db::programs::get(&state.db, None, &program).await?;
    let awards = db::awards::public_results(&state.db, &p.id).await?;
    let total = domain::money::Fen(awards.iter().map(|a| a.amount.0).sum());
    let rows = awards
        .into_iter()
        .map(|a| AwardRow {
            title: a.application_title,
            organization: a.organization_name,
            track: a.track_code,
            amount: a.amount.yuan_string(),
            awarded: crate::pages::decision::local_time(a.awarded_ms),
        })
        .collect();
    let ctx = Ctx::new(&viewer, "results", p.name.clone())
        .crumb("/results", viewer.tr.get("results.title"))
        .crumb("", p.name.clone());
    Ok(render(&ResultPage { ctx, name: p.name, awards: rows, total: total.yuan_string() }))
}
