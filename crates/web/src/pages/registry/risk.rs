//! The child risk grade form: guardianship, behaviour and physiological risk (无/低/中/高) and the
//! date; the grade comes from the default rule table (`domain::delivery::risk`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use db::AppError;
use db::assessments::risk::{self as repo, RiskInput};
use domain::delivery::{RiskInputs, RiskLevel};
use serde::Deserialize;

use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, opt_date};
use crate::pages::{Choice, render, see_other, unprocessable};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new().route("/persons/{id}/risk", get(form).post(save))
}

const LEVELS: [(RiskLevel, &str); 4] =
    [(RiskLevel::NoRisk, "none"), (RiskLevel::Low, "low"), (RiskLevel::Medium, "medium"), (RiskLevel::High, "high")];

fn level(code: &str) -> Option<RiskLevel> {
    LEVELS.iter().find(|(_, c)| *c == code).map(|(l, _)| *l)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RiskForm {
    guardianship: String,
    behaviour: String,
    physiological: String,
    set_on: String,
}

struct Dimension {
    name: &'static str,
    label: &'static str,
    choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "registry/risk.html")]
struct RiskPage {
    ctx: Ctx,
    id: String,
    dims: Vec<Dimension>,
    set_on: String,
    errors: FormErrors,
}

fn page(viewer: &Viewer, id: &str, name: &str, f: &RiskForm, errors: FormErrors) -> Response {
    let t = viewer.tr;
    let title = t.get("registry.risk_title");
    let ctx = Ctx::new(viewer, "persons", format!("{title} · {name}"))
        .crumb("/persons", t.get("persons.title"))
        .crumb(format!("/persons/{id}"), name)
        .crumb("", title);
    let choices = |cur: &str| {
        Choice::list(
            [
                ("none", t.get("registry.level_none")),
                ("low", t.get("registry.level_low")),
                ("medium", t.get("registry.level_medium")),
                ("high", t.get("registry.level_high")),
            ],
            cur,
        )
    };
    let dims = vec![
        Dimension { name: "guardianship", label: t.get("registry.guardianship"), choices: choices(&f.guardianship) },
        Dimension { name: "behaviour", label: t.get("registry.behaviour"), choices: choices(&f.behaviour) },
        Dimension { name: "physiological", label: t.get("registry.physiological"), choices: choices(&f.physiological) },
    ];
    render(&RiskPage { ctx, id: id.to_string(), dims, set_on: f.set_on.clone(), errors })
}

async fn form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let m = db::persons::find(&state.db, &actor, &id).await?;
    if !db::persons::may_edit(&actor, &m) {
        return Err(AppError::Forbidden.into());
    }
    let f = RiskForm { set_on: state.clock.today().to_string(), ..Default::default() };
    Ok(page(&viewer, &m.id, &m.name, &f, FormErrors::default()))
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<RiskForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let m = db::persons::find(&state.db, &actor, &id).await?;
    let f = form.data;
    let mut errors = Vec::new();
    let mut pick = |v: &str, field: &str, label: &str| {
        let l = level(v);
        if l.is_none() {
            errors.push(db::FieldError::new(field, format!("{label}：请选择无、低、中或高")));
        }
        l.unwrap_or(RiskLevel::NoRisk)
    };
    let inputs = RiskInputs {
        guardianship: pick(&f.guardianship, "guardianship", "监护风险"),
        behaviour: pick(&f.behaviour, "behaviour", "行为风险"),
        physiological: pick(&f.physiological, "physiological", "生理风险"),
    };
    let set_on = opt_date(&f.set_on, "set_on", "评定日期", &mut errors);
    if set_on.is_none() && !errors.iter().any(|e| e.field == "set_on") {
        errors.push(db::FieldError::new("set_on", "评定日期：不能为空"));
    }
    let result = match (set_on, errors.is_empty()) {
        (Some(set_on), true) => {
            repo::set(&state.db, &actor, &m.id, &RiskInput { inputs, set_on }, state.now_ms()).await
        }
        _ => Err(AppError::Validation(errors)),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/persons/{}?ok=graded#risk", m.id))),
        Err(e @ AppError::Validation(_)) => {
            Ok(unprocessable(page(&viewer, &m.id, &m.name, &f, FormErrors::from_app(&e))))
        }
        Err(e) => Err(e.into()),
    }
}
