//! Services and professional work of a project (`/projects/{id}/records/{kind}`): lists with
//! keyset paging, phone-first new/edit forms, the case page with its stages, the group page with
//! sessions and attendance, the activity page with its sign-in QR, the volunteer page with
//! service hours, the Excel export of service records, and the public sign-in page `/s/{token}`.
//! Forms share one field model (`Field`) and one template macro so each kind only lists fields.

mod activities;
mod cases;
mod groups;
mod records;
mod simple;
mod volunteers;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use db::projects::ProjectView;
use db::{Actor, AppError};
use serde::Deserialize;

use super::{Choice, render, see_other, unprocessable};
use crate::auth::Viewer;
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/records", get(index))
        .route("/projects/{id}/records/{kind}", get(list))
        .merge(records::routes())
        .merge(cases::routes())
        .merge(groups::routes())
        .merge(activities::routes())
        .merge(simple::routes())
        .merge(volunteers::routes())
}

async fn index(Path(id): Path<String>) -> Response {
    see_other(&format!("/projects/{id}/records/services"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ListQuery {
    pub after: Option<String>,
    pub person: Option<String>,
    pub ok: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, kind)): Path<(String, String)>,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    match kind.as_str() {
        "services" => records::list(&state, &viewer, &id, q).await,
        "cases" => cases::list(&state, &viewer, &id, q).await,
        "groups" => groups::list(&state, &viewer, &id, q).await,
        "activities" => activities::list(&state, &viewer, &id, q).await,
        "trainings" => simple::list_trainings(&state, &viewer, &id, q).await,
        "supervision" => simple::list_supervision(&state, &viewer, &id, q).await,
        "volunteers" => volunteers::list(&state, &viewer, &id, q).await,
        _ => Err(AppError::NotFound("页面".into()).into()),
    }
}

// ---- the project header with the kinds --------------------------------------------------------

pub(super) struct Tab {
    href: String,
    label: &'static str,
    active: bool,
}

/// The project title and the tabs of record kinds above every page.
pub(super) struct Header {
    pub project_id: String,
    pub project_title: String,
    pub tabs: Vec<Tab>,
    pub can_record: bool,
}

pub(super) fn kind_label(t: Tr, kind: &str) -> &'static str {
    match kind {
        "services" => t.get("services.kind.services"),
        "cases" => t.get("services.kind.cases"),
        "groups" => t.get("services.kind.groups"),
        "activities" => t.get("services.kind.activities"),
        "trainings" => t.get("services.kind.trainings"),
        "supervision" => t.get("services.kind.supervision"),
        _ => t.get("services.kind.volunteers"),
    }
}

pub(super) fn header(t: Tr, actor: &Actor, p: &ProjectView, kind: &str) -> Header {
    let tabs = db::services::KINDS
        .iter()
        .map(|k| Tab { href: format!("/projects/{}/records/{k}", p.id), label: kind_label(t, k), active: *k == kind })
        .collect();
    Header {
        project_id: p.id.clone(),
        project_title: p.title.clone(),
        tabs,
        can_record: db::projects::may_record(actor, p),
    }
}

/// The layout with crumbs project › kind (› last).
pub(super) fn ctx(viewer: &Viewer, p: &ProjectView, kind: &str, last: Option<&str>) -> Ctx {
    let t = viewer.tr;
    let kind_href = format!("/projects/{}/records/{kind}", p.id);
    let mut ctx = Ctx::new(viewer, "projects", kind_label(t, kind))
        .crumb(format!("/projects/{}", p.id), p.title.clone())
        .crumb(kind_href, kind_label(t, kind));
    if let Some(l) = last {
        ctx = ctx.crumb("", l);
        ctx.title = l.to_string();
    }
    ctx
}

// ---- lists ---------------------------------------------------------------------------------

pub(super) struct Cell {
    pub label: &'static str,
    pub value: String,
}

pub(super) struct Row {
    pub href: String,
    pub title: String,
    pub cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "services/list.html")]
pub(super) struct ListPage {
    pub ctx: Ctx,
    pub h: Header,
    pub kind: &'static str,
    pub title_label: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Row>,
    pub next: Option<String>,
    /// Extra links above the list (label, href): the Excel export.
    pub links: Vec<(String, String)>,
    /// A form on the list page (volunteer teams).
    pub extra: Option<FormBox>,
}

pub(super) fn cell(label: &'static str, value: impl Into<String>) -> Cell {
    Cell { label, value: value.into() }
}

// ---- forms ---------------------------------------------------------------------------------

/// One form field. `kind`: text, date, number, tel, textarea, select, multi (select multiple),
/// checks (checkboxes). For select, multi and checks, `options` carry the selection.
pub(super) struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<Choice>,
    pub hint: &'static str,
}

impl Field {
    pub fn new(name: &'static str, label: &'static str, kind: &'static str, value: impl Into<String>) -> Field {
        Field { name, label, kind, value: value.into(), options: Vec::new(), hint: "" }
    }

    pub fn choose(name: &'static str, label: &'static str, kind: &'static str, options: Vec<Choice>) -> Field {
        Field { name, label, kind, value: String::new(), options, hint: "" }
    }

    pub fn hint(mut self, hint: &'static str) -> Field {
        self.hint = hint;
        self
    }
}

/// A form: where it posts, its fields and its errors.
pub(super) struct FormBox {
    pub title: String,
    pub action: String,
    pub fields: Vec<Field>,
    pub errors: FormErrors,
    pub submit: &'static str,
}

#[derive(Template)]
#[template(path = "services/form.html")]
pub(super) struct FormPage {
    pub ctx: Ctx,
    pub h: Header,
    pub form: FormBox,
}

/// A form page; 422 when it carries errors.
pub(super) fn form_page(ctx: Ctx, h: Header, form: FormBox) -> Response {
    let failed = !form.errors.is_empty();
    let res = render(&FormPage { ctx, h, form });
    if failed { unprocessable(res) } else { res }
}

/// The submitted values by name.
pub(super) struct Sent<'a>(pub &'a [(String, String)]);

impl Sent<'_> {
    pub fn get(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    pub fn int(&self, name: &str, label: &str, errors: &mut Vec<db::FieldError>) -> i64 {
        let v = self.get(name);
        if v.is_empty() {
            return 0;
        }
        v.parse().unwrap_or_else(|_| {
            errors.push(db::FieldError::new(name, format!("{label}：应为整数")));
            0
        })
    }

    pub fn date(&self, name: &str, label: &str, errors: &mut Vec<db::FieldError>) -> Option<chrono::NaiveDate> {
        crate::forms::opt_date(&self.get(name), name, label, errors)
    }
}

/// Options of the project's people; `chosen` are selected.
pub(super) async fn people_options(
    state: &AppState,
    actor: &Actor,
    project_id: &str,
    chosen: &[String],
) -> PageResult<Vec<Choice>> {
    let people = db::projects::people(&state.db, actor, project_id).await?;
    Ok(people
        .into_iter()
        .map(|e| Choice { selected: chosen.contains(&e.person_id), value: e.person_id, label: e.person_name })
        .collect())
}

/// The worker select: "myself" first, then the team.
pub(super) fn worker_field(t: Tr, p: &ProjectView, current: &str) -> Field {
    let items = std::iter::once((String::new(), t.get("services.worker_me").to_string()))
        .chain(p.members.iter().map(|m| (m.id.clone(), m.name.clone())));
    Field::choose("worker_member_id", t.get("services.worker"), "select", Choice::list(items, current))
}

/// Validation errors made in the web layer, or the data layer's call.
/// The answer to a form's write: to the page `done` names on success, the form again with its
/// errors (`again`) on bad input, else the error page.
pub(super) async fn saved<T>(
    result: Result<T, AppError>,
    done: impl FnOnce(T) -> String,
    again: impl AsyncFnOnce(FormErrors) -> PageResult<Response>,
) -> PageResult<Response> {
    match result {
        Ok(v) => Ok(see_other(&done(v))),
        Err(e @ AppError::Validation(_)) => again(FormErrors::from_app(&e)).await,
        Err(e) => Err(e.into()),
    }
}

pub(super) fn web_checked(errors: Vec<db::FieldError>) -> Result<(), AppError> {
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

/// Minutes as hours text (90 → "1.5").
pub(super) fn hours(minutes: i64) -> String {
    if minutes % 60 == 0 { (minutes / 60).to_string() } else { format!("{:.1}", minutes as f64 / 60.0) }
}

/// Today in Asia/Shanghai as YYYY-MM-DD (the default date of a new record).
pub(super) fn today(state: &AppState) -> String {
    db::visits::local_date(state.now_ms()).to_string()
}
