//! Live output progress of projects (产出进度): the counted facts of a project — its enrolled
//! people (files built, assessments), visits (`db::visits::add_facts`) and services, cases,
//! groups, activities, trainings, supervision and volunteers (`db::services::add_facts`) — against
//! each output target, with pace. Numbers are computed on every call, never stored.

use chrono::NaiveDate;
use domain::delivery::{DeliveryFacts, PersonFacts, Progress};
use domain::program::{Metric, OutputTarget};
use sea_orm::ConnectionTrait;
use serde::Serialize;

use crate::projects::{EnrolmentView, ProjectView};
use crate::{Actor, AppError, AppResult};

/// One target of a project with its computed progress and the page listing the records behind it.
#[derive(Debug, Clone, Serialize)]
pub struct TargetProgress {
    pub index: usize,
    pub target: OutputTarget,
    pub progress: Progress,
    /// The drill-down URL of the records counted, when there is one.
    pub link: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectProgress {
    pub project: ProjectView,
    pub as_of: NaiveDate,
    /// People enrolled (ever).
    pub people: usize,
    pub targets: Vec<TargetProgress>,
}

/// The page listing the records a metric counts.
pub fn drill_down(project_id: &str, m: Metric) -> Option<String> {
    let kind = match m {
        Metric::Beneficiaries | Metric::FilesBuilt | Metric::NeedsAssessments => {
            return Some(format!("/projects/{project_id}/people"));
        }
        Metric::Visits | Metric::RemoteContacts => return Some(format!("/projects/{project_id}/visits")),
        Metric::ServiceRecords => "services",
        Metric::Cases => "cases",
        Metric::Groups | Metric::GroupSessions => "groups",
        Metric::Activities | Metric::Participants => "activities",
        Metric::Trainings | Metric::Trainees | Metric::TrainingHours | Metric::PassRate => "trainings",
        Metric::SupervisionPersonTimes | Metric::SupervisionHours => "supervision",
        Metric::Volunteers | Metric::VolunteerHours => "volunteers",
        Metric::Satisfaction | Metric::Documents | Metric::Other => return None,
    };
    Some(format!("/projects/{project_id}/records/{kind}"))
}

/// The counted facts of a project as of a day (the people from its enrolments).
pub async fn facts<C: ConnectionTrait>(
    db: &C,
    project_id: &str,
    people: &[EnrolmentView],
    as_of: NaiveDate,
) -> AppResult<DeliveryFacts> {
    let assessed = crate::assessments::first_in_project(db, project_id).await?;
    let mut facts = DeliveryFacts {
        people: people
            .iter()
            .map(|e| PersonFacts {
                id: e.person_id.clone(),
                enrolled_on: Some(e.enrolled_on),
                left_on: e.left_on,
                remote: e.remote,
                file_built_on: e.file_built_on,
                assessed_on: assessed.get(&e.person_id).copied(),
                contacts: Vec::new(),
            })
            .collect(),
        ..Default::default()
    };
    crate::visits::add_facts(db, project_id, &mut facts, as_of).await?;
    crate::services::add_facts(db, project_id, &mut facts, as_of).await?;
    Ok(facts)
}

fn compute(project: ProjectView, people: usize, facts: &DeliveryFacts, as_of: NaiveDate) -> AppResult<ProjectProgress> {
    let span = project.span().ok_or_else(|| AppError::Conflict("项目起止日期有误".into()))?;
    let targets = project
        .targets
        .iter()
        .enumerate()
        .map(|(index, t)| TargetProgress {
            index,
            target: t.clone(),
            progress: domain::delivery::progress(t, span, as_of, facts),
            link: drill_down(&project.id, t.metric),
        })
        .collect();
    Ok(ProjectProgress { project, as_of, people, targets })
}

/// Every output target of a project in scope, computed from its records as of a day.
pub async fn project_progress<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    as_of: NaiveDate,
) -> AppResult<ProjectProgress> {
    let project = crate::projects::get(db, actor, project_id).await?;
    let people = crate::projects::people(db, actor, project_id).await?;
    let facts = facts(db, &project.id, &people, as_of).await?;
    compute(project, people.len(), &facts, as_of)
}

/// The progress of every project of a program the actor can see (a funder sees all of them).
pub async fn program_progress<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    program_id: &str,
    as_of: NaiveDate,
) -> AppResult<Vec<ProjectProgress>> {
    let mut out = Vec::new();
    for p in crate::projects::of_program(db, actor, program_id).await? {
        out.push(project_progress(db, actor, &p.id, as_of).await?);
    }
    Ok(out)
}
