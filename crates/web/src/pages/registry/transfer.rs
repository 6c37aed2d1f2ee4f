//! Excel import and export of persons and households. The import checks every row and reports
//! each bad one with its number and reason; nothing is saved until all rows are valid, then all
//! in one transaction. The export masks identifiers unless full ones are asked for by a user who
//! may see them (each such export is audited by the data layer).

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Multipart, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use db::persons::import::RowProblem;
use db::{AppError, PageRequest, areas};
use domain::role::Role;
use serde::Deserialize;

use super::sheet;
use crate::auth::{Viewer, check_csrf};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::pages::{render, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/import", get(import_form).post(import))
        .route("/persons/import/template.xlsx", get(template))
        .route("/persons/export.xlsx", get(export))
}

fn may_import(role: Role) -> bool {
    matches!(role, Role::OrgAdmin | Role::OrgStaff)
}

fn xlsx(bytes: Vec<u8>, filename: &str) -> Response {
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"persons.xlsx\"; filename*=UTF-8''{encoded}")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "registry/import.html")]
struct ImportPage {
    ctx: Ctx,
    errors: FormErrors,
    problems: Vec<RowProblem>,
    rows: usize,
    done: Option<(usize, usize)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DoneQuery {
    persons: Option<usize>,
    households: Option<usize>,
}

fn page(
    viewer: &Viewer,
    errors: FormErrors,
    problems: Vec<RowProblem>,
    rows: usize,
    done: Option<(usize, usize)>,
) -> Response {
    let t = viewer.tr;
    let ctx = Ctx::new(viewer, "persons", t.get("registry.import"))
        .crumb("/persons", t.get("persons.title"))
        .crumb("", t.get("registry.import"));
    let failed = !errors.is_empty() || !problems.is_empty();
    unprocessable_if(failed, render(&ImportPage { ctx, errors, problems, rows, done }))
}

async fn import_form(viewer: Viewer, Query(q): Query<DoneQuery>) -> PageResult<Response> {
    let actor = viewer.require()?;
    if !may_import(actor.role) {
        return Err(AppError::Forbidden.into());
    }
    let done = q.persons.map(|p| (p, q.households.unwrap_or(0)));
    Ok(page(&viewer, FormErrors::default(), Vec::new(), 0, done))
}

/// "320613002 和平桥街道" for the area of the user's scope and two levels below it.
async fn scope_areas(state: &AppState, actor: &db::Actor) -> PageResult<Vec<String>> {
    let root = match &actor.area_code {
        Some(a) => Some(a.clone()),
        None => match actor.organization_id.as_deref() {
            Some(id) => db::organizations::get(&state.db, actor, id).await.ok().and_then(|o| o.area_code),
            None => None,
        },
    };
    let Some(root) = root else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    if let Ok(a) = areas::get(&state.db, &root).await {
        out.push(format!("{} {}", a.code, a.name));
    }
    let mut level = vec![root];
    for _ in 0..2 {
        let mut next = Vec::new();
        for code in &level {
            let kids = areas::children(&state.db, Some(code), &PageRequest { after: None, limit: Some(200) }).await?;
            for a in kids.items {
                out.push(format!("{} {}", a.code, a.name));
                next.push(a.code);
            }
        }
        if out.len() > 2000 {
            break;
        }
        level = next;
    }
    Ok(out)
}

async fn template(State(state): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    let actor = viewer.require()?;
    let areas = scope_areas(&state, &actor).await?;
    let bytes = sheet::template(&areas).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(xlsx(bytes, "服务对象导入模板.xlsx"))
}

async fn import(State(state): State<AppState>, viewer: Viewer, mut multipart: Multipart) -> PageResult<Response> {
    let actor = viewer.require()?;
    let mut csrf = None;
    let mut file: Option<Bytes> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.ok(),
            Some("file") => file = field.bytes().await.ok(),
            _ => {}
        }
    }
    check_csrf(viewer.session.as_ref(), csrf.as_deref())?;
    if !may_import(actor.role) {
        return Err(AppError::Forbidden.into());
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        let e = FormErrors::from_app(&AppError::field("file", "文件：请选择要导入的 Excel 文件"));
        return Ok(page(&viewer, e, Vec::new(), 0, None));
    };
    let rows = match sheet::read(&bytes) {
        Ok(rows) => rows,
        Err(errors) => return Ok(page(&viewer, FormErrors::from_fields(errors), Vec::new(), 0, None)),
    };
    match db::persons::import::import(&state.db, &actor, &state.keys, &rows, state.now_ms()).await {
        Ok(report) if report.problems.is_empty() => {
            tracing::info!(persons = report.persons, households = report.households, "persons imported");
            Ok(crate::pages::see_other(&format!(
                "/persons/import?persons={}&households={}",
                report.persons, report.households
            )))
        }
        Ok(report) => Ok(page(&viewer, FormErrors::default(), report.problems, report.rows, None)),
        Err(e @ AppError::Validation(_)) => Ok(page(&viewer, FormErrors::from_app(&e), Vec::new(), rows.len(), None)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ExportQuery {
    full: String,
}

async fn export(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ExportQuery>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let full = q.full == "1";
    let rows = db::persons::export::export(&state.db, &actor, &state.keys, full, state.now_ms()).await?;
    let bytes = sheet::export(&rows).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(xlsx(bytes, "服务对象.xlsx"))
}
