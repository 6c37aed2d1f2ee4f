//! Filling an assessment template for a person (one select per item, the assessment date and an
//! optional reassessment date; the score and the level are computed), and reading one back.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use db::AppError;
use db::assessments::{self as repo, AssessmentInput, templates};
use serde::Deserialize;

use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, opt_date};
use crate::pages::{render, see_other, unprocessable};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/assessments/new", get(form).post(save))
        .route("/persons/{id}/assessments/{aid}", get(show))
}

struct Opt {
    index: usize,
    label: String,
    selected: bool,
}

struct ItemField {
    code: String,
    name: String,
    options: Vec<Opt>,
}

struct SectionFields {
    name: String,
    items: Vec<ItemField>,
}

#[derive(Template)]
#[template(path = "registry/assessment_form.html")]
struct FormPage {
    ctx: Ctx,
    id: String,
    template_code: String,
    sections: Vec<SectionFields>,
    assessed_on: String,
    next_on: String,
    reassess_months: u32,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Which {
    template: String,
}

fn form_page(
    viewer: &Viewer,
    person: (&str, &str),
    t: &templates::Template,
    answers: &BTreeMap<String, String>,
    dates: (String, String),
    errors: FormErrors,
) -> Response {
    let tr = viewer.tr;
    let (id, name) = person;
    let ctx = Ctx::new(viewer, "persons", format!("{} · {name}", t.name))
        .crumb("/persons", tr.get("persons.title"))
        .crumb(format!("/persons/{id}"), name)
        .crumb("", t.name.clone());
    let sections = t
        .sections
        .iter()
        .map(|s| SectionFields {
            name: s.name.clone(),
            items: s
                .items
                .iter()
                .map(|i| ItemField {
                    code: i.code.clone(),
                    name: i.name.clone(),
                    options: i
                        .options
                        .iter()
                        .enumerate()
                        .map(|(n, o)| {
                            let (score, words) = templates::option_parts(o);
                            Opt {
                                index: n,
                                label: format!("{words}（{score}分）"),
                                selected: answers.get(&i.code).is_some_and(|v| *v == n.to_string()),
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    render(&FormPage {
        ctx,
        id: id.to_string(),
        template_code: t.code.clone(),
        sections,
        assessed_on: dates.0,
        next_on: dates.1,
        reassess_months: t.reassess_months,
        errors,
    })
}

fn template_of(code: &str) -> PageResult<&'static templates::Template> {
    Ok(templates::get(code).ok_or_else(|| AppError::NotFound("评估表".into()))?)
}

async fn form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(w): Query<Which>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let m = db::persons::find(&state.db, &actor, &id).await?;
    if !db::persons::may_edit(&actor, &m) {
        return Err(AppError::Forbidden.into());
    }
    let t = template_of(&w.template)?;
    let dates = (state.clock.today().to_string(), String::new());
    Ok(form_page(&viewer, (&m.id, &m.name), t, &BTreeMap::new(), dates, FormErrors::default()))
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let m = db::persons::find(&state.db, &actor, &id).await?;
    let field = |k: &str| form.pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let t = template_of(&field("template_code"))?;
    let answers: BTreeMap<String, String> = t.items().map(|i| (i.code.clone(), field(&i.code))).collect();
    let (a_text, n_text) = (field("assessed_on"), field("next_on"));
    let mut errors = Vec::new();
    let assessed_on = opt_date(&a_text, "assessed_on", "评估日期", &mut errors);
    let next_on = opt_date(&n_text, "next_on", "复评日期", &mut errors);
    let input = AssessmentInput { template_code: t.code.clone(), answers: answers.clone(), assessed_on, next_on };
    let result = if errors.is_empty() {
        repo::record(&state.db, &actor, &m.id, &input, state.now_ms()).await
    } else {
        Err(AppError::Validation(errors))
    };
    match result {
        Ok(a) => Ok(see_other(&format!("/persons/{}/assessments/{}?ok=assessed", m.id, a.id))),
        Err(e @ AppError::Validation(_)) => Ok(unprocessable(form_page(
            &viewer,
            (&m.id, &m.name),
            t,
            &answers,
            (a_text, n_text),
            FormErrors::from_app(&e),
        ))),
        Err(e) => Err(e.into()),
    }
}

struct Answer {
    name: String,
    value: String,
}

#[derive(Template)]
#[template(path = "registry/assessment.html")]
struct ShowPage {
    ctx: Ctx,
    id: String,
    a: repo::AssessmentView,
    answers: Vec<(String, Vec<Answer>)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OkQuery {
    ok: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, aid)): Path<(String, String)>,
    Query(q): Query<OkQuery>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let m = db::persons::find(&state.db, &actor, &id).await?;
    let a = repo::get(&state.db, &actor, &m.id, &aid).await?;
    let answers = match templates::get(&a.template_code) {
        Some(t) => t
            .sections
            .iter()
            .map(|s| {
                let rows = s
                    .items
                    .iter()
                    .map(|i| Answer {
                        name: i.name.clone(),
                        value: a.answers.get(&i.code).cloned().unwrap_or_default(),
                    })
                    .collect();
                (s.name.clone(), rows)
            })
            .collect(),
        None => Vec::new(),
    };
    let ctx = Ctx::new(&viewer, "persons", format!("{} · {}", a.template_name, m.name))
        .crumb("/persons", viewer.tr.get("persons.title"))
        .crumb(format!("/persons/{}", m.id), m.name.clone())
        .crumb("", a.template_name.clone())
        .flash_from(q.ok.as_deref());
    Ok(render(&ShowPage { ctx, id: m.id, a, answers }))
}
