//! Applications (申报书) for social organizations: start from a call item, fill in the sections
//! on one page (budget totals computed here), see the eligibility checks, submit, withdraw, and
//! read the screening outcome. The operators' screening queue is in `screening.rs`.

mod export;
mod extras;
mod form;
mod print;
mod screening;
mod show;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::applications::{ApplicationFilter, ApplicationView};
use db::programs::ItemView;
use db::{Actor, AppError, PageRequest};
use domain::eligibility::{Outcome, RuleResult};
use serde::Deserialize;

use super::{render, see_other};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::pages::Choice;
use crate::pages::unprocessable_if;
use crate::state::AppState;
use crate::view::Ctx;
use form::{AppForm, categories, output_rows};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/applications", get(list))
        .route("/applications/new", get(new_form).post(create))
        .route("/applications/{id}", get(show::show))
        .route("/applications/{id}/edit", get(edit_form).post(update))
        .route("/applications/{id}/submit", post(show::submit))
        .route("/applications/{id}/withdraw", post(show::withdraw))
        .merge(screening::routes())
        .merge(extras::routes())
        .merge(print::routes())
        .merge(export::routes())
}

/// The label of an application status.
pub fn status_label(tr: Tr, status: &str) -> &'static str {
    tr.get(match status {
        "draft" => "applications.status.draft",
        "submitted" => "applications.status.submitted",
        "returned" => "applications.status.returned",
        "withdrawn" => "applications.status.withdrawn",
        "screened_pass" => "applications.status.screened_pass",
        "screened_fail" => "applications.status.screened_fail",
        _ => "applications.status.unknown",
    })
}

/// One rule result as shown: the verdict label and the engine's Chinese explanation.
pub struct Check {
    pub outcome: &'static str,
    pub label: &'static str,
    pub explanation: String,
}

pub fn outcome_label(tr: Tr, o: Outcome) -> &'static str {
    tr.get(match o {
        Outcome::Pass => "applications.check.pass",
        Outcome::NeedsCheck => "applications.check.needs_check",
        Outcome::Fail => "applications.check.fail",
    })
}

pub fn checks(tr: Tr, results: &[RuleResult]) -> Vec<Check> {
    results
        .iter()
        .map(|r| Check {
            outcome: r.outcome.as_str(),
            label: outcome_label(tr, r.outcome),
            explanation: r.explanation.clone(),
        })
        .collect()
}

/// A local time (Asia/Shanghai) of an instant, "YYYY-MM-DD HH:MM".
pub use crate::describe::shanghai_minute as shanghai_time;

struct Row {
    id: String,
    title: String,
    item: String,
    requested: String,
    status: String,
    status_label: &'static str,
    submitted: String,
}

#[derive(Template)]
#[template(path = "applications/list.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<Row>,
    next: Option<String>,
    /// Requests to act as a joint applicant, with the status label; answerable by org admins.
    requests: Vec<show::JointRow>,
    can_answer: bool,
    /// Managers may export the list.
    can_export: bool,
}

async fn item_names(
    state: &AppState,
    list: &[ApplicationView],
) -> PageResult<std::collections::HashMap<String, String>> {
    let mut out = std::collections::HashMap::new();
    for id in list.iter().filter_map(|a| a.call_item_id.clone()) {
        if !out.contains_key(&id)
            && let Ok(i) = db::programs::item(&state.db, Some(&Actor::system()), &id).await
        {
            out.insert(id, format!("{} {}", i.item.code, i.item.name));
        }
    }
    Ok(out)
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<super::ListQuery>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let page = db::applications::list(
        &state.db,
        &actor,
        &ApplicationFilter::default(),
        &PageRequest { after: q.after, limit: Some(50) },
    )
    .await?;
    let names = item_names(&state, &page.items).await?;
    let tr = viewer.tr;
    let rows = page
        .items
        .iter()
        .map(|a| Row {
            id: a.id.clone(),
            title: a.input.title.clone(),
            item: a.call_item_id.as_ref().and_then(|i| names.get(i).cloned()).unwrap_or_default(),
            requested: a.requested.yuan_string(),
            status: a.status.clone(),
            status_label: status_label(tr, &a.status),
            submitted: a.submitted_ms.map(shanghai_time).unwrap_or_default(),
        })
        .collect();
    let requests = db::applications::joint_requests(&state.db, &actor)
        .await?
        .into_iter()
        .map(|j| show::JointRow { label: show::joint_label(tr, &j.status), j })
        .collect();
    let can_answer = actor.role == domain::role::Role::OrgAdmin;
    let can_export = export::may_export(&actor);
    let ctx = Ctx::new(&viewer, "applications", tr.get("applications.title")).flash_from(q.ok.as_deref());
    Ok(render(&ListPage { ctx, rows, next: page.next_cursor, requests, can_answer, can_export }))
}

#[derive(Template)]
#[template(path = "applications/form.html")]
struct FormPage {
    ctx: Ctx,
    f: AppForm,
    errors: FormErrors,
    action: String,
    cancel: String,
    item_label: String,
    categories: Vec<Choice>,
}

fn form_page(
    viewer: &Viewer,
    item: &ItemView,
    mut f: AppForm,
    errors: FormErrors,
    action: String,
    cancel: String,
) -> Response {
    let title = viewer.tr.get("applications.form_title");
    let ctx = Ctx::new(viewer, "applications", title)
        .crumb("/applications", viewer.tr.get("applications.title"))
        .crumb("", title);
    let failed = !errors.is_empty();
    f.mark(&errors);
    let item_label = format!("{} {}", item.item.code, item.item.name);
    unprocessable_if(
        failed,
        render(&FormPage { ctx, f, errors, action, cancel, item_label, categories: categories(viewer.tr) }),
    )
}

#[derive(Deserialize)]
struct NewQuery {
    item: String,
}

async fn new_form(State(state): State<AppState>, viewer: Viewer, Query(q): Query<NewQuery>) -> PageResult<Response> {
    let actor = viewer.require()?;
    actor.require(&[domain::role::Role::OrgAdmin, domain::role::Role::OrgStaff])?;
    let item = db::programs::item(&state.db, Some(&actor), &q.item).await?;
    let mut f = AppForm { outputs: output_rows(Some(&item), &[]), ..Default::default() };
    f.pad();
    let action = format!("/applications/new?item={}", item.id);
    Ok(form_page(&viewer, &item, f, FormErrors::default(), action, format!("/admin/items/{}", item.id)))
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NewQuery>,
    form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let item = db::programs::item(&state.db, Some(&actor), &q.item).await?;
    let f = AppForm::from_pairs(&form.pairs, Some(&item));
    let result = match f.to_input() {
        Ok(input) => db::applications::create(&state.db, &actor, &item.id, &input, state.now_ms()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/applications/{id}?ok=saved"))),
        Err(e @ AppError::Validation(_)) => {
            let action = format!("/applications/new?item={}", item.id);
            Ok(form_page(&viewer, &item, f, FormErrors::from_app(&e), action, format!("/admin/items/{}", item.id)))
        }
        Err(e) => Err(e.into()),
    }
}

async fn item_of(state: &AppState, a: &ApplicationView) -> PageResult<Option<ItemView>> {
    Ok(match &a.call_item_id {
        Some(i) => Some(db::programs::item(&state.db, Some(&Actor::system()), i).await?),
        None => None,
    })
}

async fn edit_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let a = db::applications::get(&state.db, &actor, &id).await?;
    let item = item_of(&state, &a).await?.ok_or_else(|| AppError::NotFound("项目清单条目".into()))?;
    let f = AppForm::of(&a.input, Some(&item));
    Ok(form_page(
        &viewer,
        &item,
        f,
        FormErrors::default(),
        format!("/applications/{id}/edit"),
        format!("/applications/{id}"),
    ))
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let a = db::applications::get(&state.db, &actor, &id).await?;
    let item = item_of(&state, &a).await?.ok_or_else(|| AppError::NotFound("项目清单条目".into()))?;
    let f = AppForm::from_pairs(&form.pairs, Some(&item));
    let result = match f.to_input() {
        Ok(input) => db::applications::update(&state.db, &actor, &id, &input, state.now_ms()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/applications/{id}?ok=saved"))),
        Err(e @ AppError::Validation(_)) => Ok(form_page(
            &viewer,
            &item,
            f,
            FormErrors::from_app(&e),
            format!("/applications/{id}/edit"),
            format!("/applications/{id}"),
        )),
        Err(e) => Err(e.into()),
    }
}
