//! The people of a project: everyone behind the people metrics (served, files built, assessed),
//! with the visit rule and due / overdue per person, the enrol form (persons of the organization)
//! and the "link existing person" form (full resident ID; nothing else of the person is shown).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use db::persons::PersonFilter;
use db::projects::{EnrolInput, rule_code, rule_from_code};
use db::{AppError, FieldError, PageRequest};
use domain::delivery::visit_status;
use domain::program::Metric;

use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, checked, opt_date};
use crate::i18n::Tr;
use crate::pages::{Choice, ListQuery, render, see_other, unprocessable_if, zh};
use crate::state::AppState;
use crate::view::Ctx;

pub struct PersonRow {
    pub id: String,
    pub person_id: String,
    pub name: String,
    pub rule: String,
    pub worker: String,
    pub file_built_on: String,
    pub assessed_on: String,
    pub contacts: usize,
    /// "overdue" / "due" / "done" / "left"
    pub state: &'static str,
    pub state_text: String,
}

#[derive(Template)]
#[template(path = "projects/people.html")]
struct PeoplePage {
    ctx: Ctx,
    id: String,
    rows: Vec<PersonRow>,
    overdue: usize,
    can_manage: bool,
    persons: Vec<Choice>,
    rules: Vec<Choice>,
    workers: Vec<Choice>,
    errors: FormErrors,
    link_errors: FormErrors,
}

fn rule_label(t: Tr, code: &str) -> &'static str {
    t.get(match code {
        "weekly" => "projects.rule.weekly",
        "quarterly" => "projects.rule.quarterly",
        "by_risk" => "projects.rule.by_risk",
        "remote_weekly" => "projects.rule.remote_weekly",
        _ => "projects.rule.monthly",
    })
}

fn rule_choices(t: Tr, current: &str) -> Vec<Choice> {
    let codes = ["weekly", "monthly", "quarterly", "by_risk"];
    Choice::list(codes.iter().map(|c| (*c, rule_label(t, c))), current)
}

async fn render_page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    errors: FormErrors,
    link_errors: FormErrors,
    flash: Option<&str>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let as_of = state.clock.today();
    let project = db::projects::get(&state.db, &actor, id).await?;
    let people = db::projects::people(&state.db, &actor, id).await?;
    let facts = db::progress::facts(&state.db, &project.id, &people, as_of).await?;
    let grades = db::assessments::risk::latest_in_project(&state.db, &project.id).await?;
    let min_per_year =
        project.targets.iter().find(|x| x.metric == Metric::Visits && x.per_beneficiary).and_then(|x| x.min_per_year);
    let span = project.span();
    let mut overdue = 0;
    let rows = people
        .iter()
        .zip(facts.people.iter())
        .map(|(e, f)| {
            let rule = e.effective_rule();
            let req = rule.requirement(grades.get(&e.person_id).copied());
            let (state_key, text) = match (span, e.served()) {
                (Some(span), served) if e.left_on.is_none_or(|l| l >= as_of) => {
                    let st = visit_status(&req, min_per_year, span, served, &f.contacts, as_of);
                    match (st.overdue, st.next_due) {
                        (Some(o), _) => {
                            overdue += 1;
                            ("overdue", t.get("projects.overdue_days").replace("{n}", &o.days.to_string()))
                        }
                        (None, Some(d)) if d.remaining > 0 => {
                            ("due", t.get("projects.due_by").replace("{date}", &d.by.to_string()))
                        }
                        _ => ("done", t.get("projects.up_to_date").to_string()),
                    }
                }
                _ => ("left", t.get("projects.left").to_string()),
            };
            PersonRow {
                id: e.id.clone(),
                person_id: e.person_id.clone(),
                name: e.person_name.clone(),
                rule: match rule_code(&rule) {
                    "by_risk" => format!("{}（{}）", rule_label(t, "by_risk"), req.describe()),
                    _ => req.describe(),
                },
                worker: e.worker_name.clone().unwrap_or_default(),
                file_built_on: e.file_built_on.map(|d| d.to_string()).unwrap_or_default(),
                assessed_on: f.assessed_on.map(|d| d.to_string()).unwrap_or_default(),
                contacts: f.contacts.len(),
                state: state_key,
                state_text: text,
            }
        })
        .collect();
    let can_manage = db::projects::may_manage(&actor, &project);
    let mut persons = Vec::new();
    if can_manage && actor.organization_id.is_some() {
        let page = db::persons::list(
            &state.db,
            &actor,
            &state.keys,
            &PersonFilter::default(),
            &PageRequest { after: None, limit: Some(200) },
        )
        .await?;
        let enrolled: std::collections::HashSet<&str> = people.iter().map(|e| e.person_id.as_str()).collect();
        persons = page
            .items
            .iter()
            .filter(|p| !enrolled.contains(p.id.as_str()))
            .map(|p| Choice {
                value: p.id.clone(),
                label: format!("{} {}", p.name, p.resident_id_masked),
                selected: false,
            })
            .collect();
    }
    let workers = std::iter::once(Choice { value: String::new(), label: "—".into(), selected: false })
        .chain(project.members.iter().filter(|m| m.role != "supervisor").map(|m| Choice {
            value: m.id.clone(),
            label: m.name.clone(),
            selected: false,
        }))
        .collect();
    let failed = !errors.is_empty() || !link_errors.is_empty();
    let ctx = Ctx::new(viewer, "projects", t.get("projects.people"))
        .crumb("/projects", t.get("projects.title"))
        .crumb(format!("/projects/{id}"), project.title.clone())
        .crumb("", t.get("projects.people"))
        .flash_from(flash);
    Ok(unprocessable_if(
        failed,
        render(&PeoplePage {
            ctx,
            id: id.to_string(),
            rows,
            overdue,
            can_manage,
            persons,
            rules: rule_choices(t, "monthly"),
            workers,
            errors,
            link_errors,
        }),
    ))
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    render_page(&state, &viewer, &id, FormErrors::default(), FormErrors::default(), q.ok.as_deref()).await
}

/// The common fields of the enrol and link forms.
fn enrol_input(pairs: &[(String, String)], person_id: String) -> Result<EnrolInput, AppError> {
    let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let mut e: Vec<FieldError> = Vec::new();
    let rule = rule_from_code(&one("rule"));
    if rule.is_none() {
        e.push(FieldError::new("rule", "探访规则：请从列表中选择"));
    }
    let enrolled_on: Option<NaiveDate> =
        opt_date(&one("enrolled_on"), "enrolled_on", zh("projects.enrolled_on"), &mut e);
    let file_built_on = opt_date(&one("file_built_on"), "file_built_on", zh("projects.file_built_on"), &mut e);
    match rule {
        Some(rule) if e.is_empty() => Ok(EnrolInput {
            person_id,
            rule,
            remote: checked(pairs, "remote"),
            worker_member_id: Some(one("worker_member_id")).filter(|s| !s.is_empty()),
            enrolled_on,
            file_built_on,
        }),
        _ => Err(AppError::Validation(e)),
    }
}

pub async fn enrol(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let person = form.pairs.iter().find(|(k, _)| k == "person_id").map(|(_, v)| v.clone()).unwrap_or_default();
    let result = match enrol_input(&form.pairs, person.clone()) {
        Ok(_) if person.is_empty() => Err(AppError::field("person_id", "服务对象：请选择")),
        Ok(input) => db::projects::enrol(&state.db, &actor, &id, &input, state.now_ms()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/projects/{id}/people?ok=saved"))),
        Err(e @ AppError::Validation(_)) => {
            render_page(&state, &viewer, &id, FormErrors::from_app(&e), FormErrors::default(), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn link(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let rid = form.pairs.iter().find(|(k, _)| k == "resident_id").map(|(_, v)| v.clone()).unwrap_or_default();
    let result = match enrol_input(&form.pairs, String::new()) {
        Ok(input) => {
            db::projects::link_by_resident_id(&state.db, &actor, &state.keys, &id, &rid, &input, state.now_ms()).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/projects/{id}/people?ok=saved"))),
        Err(e @ AppError::Validation(_)) => {
            render_page(&state, &viewer, &id, FormErrors::default(), FormErrors::from_app(&e), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn leave(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, pp)): Path<(String, String)>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let e = db::projects::enrolment(&state.db, &actor, &pp).await?;
    if e.project_id != id {
        return Err(AppError::NotFound("服务对象".into()).into());
    }
    db::projects::leave(&state.db, &actor, &pp, state.clock.today(), state.now_ms()).await?;
    Ok(see_other(&format!("/projects/{id}/people?ok=saved")))
}
