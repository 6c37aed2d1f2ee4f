//! The registry around a person's file (一户一档): households with members and a head, needs
//! assessments from templates, the child risk grade, the home map point, and the Excel import
//! and export of persons. The person page shows these as sections ([`PersonExtras`]).

mod assessments;
mod households;
mod location;
mod photo;
mod risk;
mod sheet;
mod transfer;

use axum::Router;
use db::assessments::{self as assess, risk as risk_repo};
use db::entity::person;
use domain::role::Role;

use crate::error::PageResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(households::routes())
        .merge(assessments::routes())
        .merge(risk::routes())
        .merge(location::routes())
        .merge(photo::routes())
        .merge(transfer::routes())
}

pub struct AssessRow {
    pub id: String,
    pub name: String,
    pub assessed_on: String,
    pub score: String,
    pub result: String,
    pub next_on: String,
    pub assessor: String,
}

pub struct RiskRow {
    pub grade: &'static str,
    pub grade_code: &'static str,
    pub reason: String,
    pub set_on: String,
    pub set_by: String,
}

/// What the person page shows beyond the basic facts.
pub struct PersonExtras {
    pub household_id: Option<String>,
    pub has_photo: bool,
    pub lat: String,
    pub lng: String,
    pub assessments: Vec<AssessRow>,
    pub templates: Vec<(String, String)>,
    pub risks: Vec<RiskRow>,
}

fn grade_code(g: domain::delivery::Grade) -> &'static str {
    match g {
        domain::delivery::Grade::Red => "red",
        domain::delivery::Grade::Yellow => "yellow",
        domain::delivery::Grade::Blue => "blue",
        domain::delivery::Grade::Green => "green",
    }
}

pub async fn person_extras(state: &AppState, actor: &db::Actor, m: &person::Model) -> PageResult<PersonExtras> {
    let point = db::persons::point_of(m);
    let assessments = assess::history(&state.db, actor, &m.id)
        .await?
        .into_iter()
        .map(|a| AssessRow {
            id: a.id,
            name: a.template_name,
            assessed_on: a.assessed_on.to_string(),
            score: format!("{}/{}", a.score, a.max_score),
            result: if a.adjusted_by.is_empty() {
                a.result
            } else {
                format!("{}（{}）", a.result, a.adjusted_by.join("；"))
            },
            next_on: a.next_on.map(|d| d.to_string()).unwrap_or_default(),
            assessor: a.assessor_name,
        })
        .collect();
    let risks = risk_repo::history(&state.db, actor, &m.id)
        .await?
        .into_iter()
        .map(|r| RiskRow {
            grade: r.grade.label(),
            grade_code: grade_code(r.grade),
            reason: r.reason,
            set_on: r.set_on.to_string(),
            set_by: r.set_by_name,
        })
        .collect();
    Ok(PersonExtras {
        household_id: m.household_id.clone(),
        has_photo: m.photo_key.is_some(),
        lat: point.map(|p| format!("{:.6}", p.lat)).unwrap_or_default(),
        lng: point.map(|p| format!("{:.6}", p.lon)).unwrap_or_default(),
        assessments,
        templates: assess::templates::all().iter().map(|t| (t.code.clone(), t.name.clone())).collect(),
        risks,
    })
}

/// Roles that keep persons' files (the registering organization's people).
pub fn may_keep(role: Role) -> bool {
    matches!(role, Role::OrgAdmin | Role::OrgStaff | Role::FieldWorker)
}
