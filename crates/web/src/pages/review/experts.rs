//! The expert pool (专家库): list, add and edit experts (funders, operators, administrators).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use db::AppError;
use db::review::{ExpertInput, ExpertView};
use serde::Deserialize;

use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, all, checked};
use crate::pages::{Choice, render, see_other, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/experts", get(list).post(create)).route("/admin/experts/{id}", get(edit).post(update))
}

/// The expert form's values as text.
#[derive(Default)]
struct ExpertForm {
    name: String,
    user_id: String,
    fields: String,
    organization_id: String,
    area_code: String,
    relations: Vec<String>,
    active: bool,
}

impl ExpertForm {
    fn of(e: &ExpertView) -> ExpertForm {
        ExpertForm {
            name: e.name.clone(),
            user_id: e.user_id.clone().unwrap_or_default(),
            fields: e.fields.join("、"),
            organization_id: e.organization_id.clone().unwrap_or_default(),
            area_code: e.area_code.clone().unwrap_or_default(),
            relations: e.relations.clone(),
            active: e.active,
        }
    }

    fn read(pairs: &[(String, String)]) -> ExpertForm {
        let one = |k: &str| all(pairs, k).first().map(|v| v.trim().to_string()).unwrap_or_default();
        ExpertForm {
            name: one("name"),
            user_id: one("user_id"),
            fields: one("fields"),
            organization_id: one("organization_id"),
            area_code: one("area_code"),
            relations: all(pairs, "relations").into_iter().map(str::to_string).collect(),
            active: checked(pairs, "active"),
        }
    }

    fn input(&self) -> ExpertInput {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        ExpertInput {
            name: self.name.clone(),
            user_id: opt(&self.user_id),
            fields: self
                .fields
                .split(|c: char| matches!(c, ',' | '，' | '、' | ';' | '；') || c.is_whitespace())
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect(),
            organization_id: opt(&self.organization_id),
            area_code: opt(&self.area_code),
            relations: self.relations.clone(),
            active: self.active,
        }
    }
}

struct Relation {
    id: String,
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "review/experts.html")]
struct ExpertsPage {
    ctx: Ctx,
    experts: Vec<ExpertView>,
    /// The id being edited, empty for a new expert.
    editing: String,
    form: ExpertForm,
    users: Vec<Choice>,
    orgs: Vec<Choice>,
    relations: Vec<Relation>,
    errors: FormErrors,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    editing: &str,
    form: ExpertForm,
    errors: FormErrors,
    ok: Option<&str>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let tr = viewer.tr;
    let experts = if editing.is_empty() { db::review::list_experts(&state.db, &actor, false).await? } else { vec![] };
    let (users, orgs) = db::review::expert_form_choices(&state.db, &actor).await?;
    let relations = orgs
        .iter()
        .map(|(id, name)| Relation { checked: form.relations.contains(id), id: id.clone(), name: name.clone() })
        .collect();
    let mut user_choices = vec![(String::new(), tr.get("review.expert.no_account").to_string())];
    user_choices.extend(users);
    let mut org_choices = vec![(String::new(), tr.get("review.expert.no_org").to_string())];
    org_choices.extend(orgs);
    let title = tr.get(if editing.is_empty() { "review.experts_title" } else { "review.expert.edit" });
    let mut ctx = Ctx::new(viewer, "review_admin", title).flash_from(ok);
    if !editing.is_empty() {
        ctx = ctx.crumb("/admin/experts", tr.get("review.experts_title")).crumb("", title);
    }
    let failed = !errors.is_empty();
    let page = ExpertsPage {
        ctx,
        experts,
        editing: editing.to_string(),
        users: Choice::list(user_choices, &form.user_id),
        orgs: Choice::list(org_choices, &form.organization_id),
        relations,
        form,
        errors,
    };
    Ok(unprocessable_if(failed, render(&page)))
}

#[derive(Deserialize, Default)]
struct OkQuery {
    #[serde(default)]
    ok: Option<String>,
}

async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<OkQuery>) -> PageResult<Response> {
    let form = ExpertForm { active: true, ..Default::default() };
    page(&state, &viewer, "", form, FormErrors::default(), q.ok.as_deref()).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let f = ExpertForm::read(&form.pairs);
    match db::review::create_expert(&state.db, &actor, &f.input(), state.now_ms()).await {
        Ok(_) => Ok(see_other("/admin/experts?ok=review_expert_saved")),
        Err(e @ AppError::Validation(_)) => page(&state, &viewer, "", f, FormErrors::from_app(&e), None).await,
        Err(e) => Err(e.into()),
    }
}

async fn edit(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let e = db::review::get_expert(&state.db, &actor, &id).await?;
    page(&state, &viewer, &id, ExpertForm::of(&e), FormErrors::default(), None).await
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let f = ExpertForm::read(&form.pairs);
    match db::review::update_expert(&state.db, &actor, &id, &f.input(), state.now_ms()).await {
        Ok(()) => Ok(see_other("/admin/experts?ok=review_expert_saved")),
        Err(e @ AppError::Validation(_)) => page(&state, &viewer, &id, f, FormErrors::from_app(&e), None).await,
        Err(e) => Err(e.into()),
    }
}
