//! A funder creates a project directly (街道计划, 招标标段): title, organization, program and call
//! item (optional), area, period and the output targets as rows. Left empty, the targets are
//! the call item's required outputs.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use db::projects::ProjectInput;
use db::{Actor, AppError, FieldError};
use domain::program::{Metric, OutputTarget, Period};

use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, checked};
use crate::pages::{Choice, render, see_other, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

const ROWS: usize = 6;

const METRICS: [Metric; 22] = [
    Metric::Beneficiaries,
    Metric::FilesBuilt,
    Metric::NeedsAssessments,
    Metric::Visits,
    Metric::RemoteContacts,
    Metric::ServiceRecords,
    Metric::Cases,
    Metric::Groups,
    Metric::GroupSessions,
    Metric::Activities,
    Metric::Participants,
    Metric::Trainings,
    Metric::Trainees,
    Metric::TrainingHours,
    Metric::PassRate,
    Metric::SupervisionPersonTimes,
    Metric::SupervisionHours,
    Metric::Volunteers,
    Metric::VolunteerHours,
    Metric::Satisfaction,
    Metric::Documents,
    Metric::Other,
];

fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

#[derive(Default)]
pub struct TargetRow {
    pub i: usize,
    pub invalid: bool,
    pub metrics: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub quantity: String,
    pub unit: String,
    pub per_beneficiary: bool,
    pub description: String,
}

#[derive(Default)]
pub struct Form {
    pub title: String,
    pub organization_id: String,
    pub program_id: String,
    pub call_item_id: String,
    pub area_code: String,
    pub start_on: String,
    pub end_on: String,
    pub targets: Vec<TargetRow>,
}

fn row(metric: &str, period: &str, quantity: String, unit: String, per: bool, description: String) -> TargetRow {
    let metrics = Choice::list(METRICS.iter().map(|m| (code(m), domain::delivery::metric_label(*m))), metric);
    let periods = Choice::list(
        [
            ("", "—"),
            ("week", "每周"),
            ("month", "每月"),
            ("quarter", "每季度"),
            ("year", "每年"),
            ("project", "项目期"),
        ],
        period,
    );
    TargetRow { i: 0, invalid: false, metrics, periods, quantity, unit, per_beneficiary: per, description }
}

fn blank_rows(n: usize) -> Vec<TargetRow> {
    (0..n).map(|i| TargetRow { i, ..row("", "", String::new(), String::new(), false, String::new()) }).collect()
}

#[derive(Template)]
#[template(path = "projects/form.html")]
struct FormPage {
    ctx: Ctx,
    f: Form,
    errors: FormErrors,
    organizations: Vec<Choice>,
    programs: Vec<Choice>,
    items: Vec<Choice>,
}

async fn render_form(
    state: &AppState,
    viewer: &Viewer,
    actor: &Actor,
    f: Form,
    errors: FormErrors,
) -> PageResult<Response> {
    let t = viewer.tr;
    let c = db::projects::form_choices(&state.db, actor).await?;
    let none = || std::iter::once((String::new(), "—".to_string()));
    let organizations = Choice::list(none().chain(c.organizations), &f.organization_id);
    let programs = Choice::list(none().chain(c.programs), &f.program_id);
    let items = Choice::list(none().chain(c.items.into_iter().map(|(id, _, l)| (id, l))), &f.call_item_id);
    let failed = !errors.is_empty();
    let ctx = Ctx::new(viewer, "projects", t.get("projects.new"))
        .crumb("/projects", t.get("projects.title"))
        .crumb("", t.get("projects.new"));
    Ok(unprocessable_if(failed, render(&FormPage { ctx, f, errors, organizations, programs, items })))
}

pub async fn form(State(state): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    let actor = viewer.require()?;
    let f = Form { targets: blank_rows(ROWS), ..Default::default() };
    render_form(&state, &viewer, &actor, f, FormErrors::default()).await
}

fn date(v: &str, field: &str, label: &str, e: &mut Vec<FieldError>) -> NaiveDate {
    match NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
        Ok(d) => d,
        Err(_) => {
            e.push(FieldError::new(field, format!("{label}：请填写日期（年-月-日）")));
            NaiveDate::default()
        }
    }
}

/// Read the form: the fields as typed and the input (or the field errors).
fn read(pairs: &[(String, String)]) -> (Form, Result<ProjectInput, AppError>) {
    let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let mut e = Vec::new();
    let mut rows = Vec::new();
    let mut targets = Vec::new();
    for i in 0..ROWS {
        let k = |s: &str| format!("t{i}_{s}");
        let (metric, period, qty) = (one(&k("metric")), one(&k("period")), one(&k("quantity")));
        let (unit, desc, per) = (one(&k("unit")), one(&k("description")), checked(pairs, &k("per")));
        if !(metric.is_empty() && qty.is_empty() && desc.is_empty()) {
            let quantity = qty.parse::<u32>().ok().filter(|q| *q > 0);
            if quantity.is_none() {
                e.push(FieldError::new(k("quantity"), format!("产出指标第{}行 数量：请填写大于0的整数", i + 1)));
            }
            targets.push(OutputTarget {
                metric: parse(&metric).unwrap_or(Metric::Other),
                description: desc.clone(),
                quantity,
                quantity_max: None,
                unit: unit.clone(),
                per_beneficiary: per,
                period: parse::<Period>(&period),
                min_per_year: None,
                within_days_of_start: None,
                min_members: None,
                min_sessions: None,
                min_months: None,
            });
        }
        let invalid = e.iter().any(|x: &FieldError| x.field == k("quantity"));
        rows.push(TargetRow { i, invalid, ..row(&metric, &period, qty, unit, per, desc) });
    }
    let f = Form {
        title: one("title"),
        organization_id: one("organization_id"),
        program_id: one("program_id"),
        call_item_id: one("call_item_id"),
        area_code: one("area_code"),
        start_on: one("start_on"),
        end_on: one("end_on"),
        targets: rows,
    };
    let start_on = date(&f.start_on, "start_on", "开始日期", &mut e);
    let end_on = date(&f.end_on, "end_on", "结束日期", &mut e);
    let input = ProjectInput {
        title: f.title.clone(),
        organization_id: f.organization_id.clone(),
        program_id: Some(f.program_id.clone()).filter(|s| !s.is_empty()),
        call_item_id: Some(f.call_item_id.clone()).filter(|s| !s.is_empty()),
        area_code: f.area_code.clone(),
        start_on,
        end_on,
        targets,
    };
    (f, if e.is_empty() { Ok(input) } else { Err(AppError::Validation(e)) })
}

pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let (f, input) = read(&form.pairs);
    let result = match input {
        Ok(mut input) => {
            if input.targets.is_empty()
                && let Some(item) = &input.call_item_id
                && let Ok(i) = db::programs::item(&state.db, Some(&actor), item).await
            {
                input.targets = i.item.outputs.clone();
            }
            db::projects::create(&state.db, &actor, &input, state.now_ms()).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/projects/{id}?ok=created"))),
        Err(e @ AppError::Validation(_)) => render_form(&state, &viewer, &actor, f, FormErrors::from_app(&e)).await,
        Err(e) => Err(e.into()),
    }
}
