//! A field worker's home screen (今日待访): the people due or overdue today across the active
//! projects where the worker is a team member — the people paired with them and the people of
//! those projects nobody is paired with — most urgent first.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::delivery::{Assignment, Channel, Contact, Urgency, VisitPlan, day_list};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use crate::entity::project_member;
use crate::{Actor, AppResult, db_err};

#[derive(Debug, Clone, Serialize)]
pub struct TodayItem {
    pub project_id: String,
    pub project_title: String,
    pub project_person_id: String,
    pub person_name: String,
    /// Contacted by phone (长期不在登记地居住) rather than visited.
    pub phone_contact: bool,
    pub overdue: bool,
    pub due_today: bool,
    /// "已逾期8天，本周还需上门探访1次（2026-11-29前）" …
    pub reason: String,
}

/// The actor's list for `day` (empty for users who are no project's member).
pub async fn today<C: ConnectionTrait>(db: &C, actor: &Actor, day: NaiveDate) -> AppResult<Vec<TodayItem>> {
    let Some(uid) = actor.user_id.as_deref() else { return Ok(Vec::new()) };
    let mine =
        project_member::Entity::find().filter(project_member::Column::UserId.eq(uid)).all(db).await.map_err(db_err)?;
    let mut project_ids: Vec<String> = mine.iter().map(|m| m.project_id.clone()).collect();
    project_ids.sort();
    project_ids.dedup();
    let mut enrolments = Vec::new();
    let mut titles = HashMap::new();
    let mut spans = HashMap::new();
    // counted contacts by enrolment, and current risk grades by person, read per project
    let mut contacts: HashMap<String, Vec<Contact>> = HashMap::new();
    let mut grades = HashMap::new();
    for pid in project_ids {
        let Ok(p) = crate::projects::get(db, actor, &pid).await else { continue };
        let Some(span) = p.span() else { continue };
        if p.status != "active" {
            continue;
        }
        for (pp, _, c) in super::tally::of_project(db, &pid).await? {
            contacts.insert(pp, c);
        }
        grades.extend(crate::assessments::risk::latest_in_project(db, &pid).await?);
        for e in crate::projects::people(db, actor, &pid).await? {
            let paired = e.worker_member_id.as_ref().is_none_or(|w| mine.iter().any(|m| &m.id == w));
            if paired {
                enrolments.push(e);
            }
        }
        titles.insert(pid.clone(), p.title.clone());
        spans.insert(pid, span);
    }
    // people on a by-risk rule are visited as often as their current grade says (`grades`)
    let assignments: Vec<Assignment> = enrolments
        .iter()
        .filter_map(|e| {
            let span = *spans.get(&e.project_id)?;
            let plan = VisitPlan { rule: e.effective_rule(), min_per_year: None };
            let grade = grades.get(&e.person_id).copied();
            let empty = Vec::new();
            let c = contacts.get(&e.id).unwrap_or(&empty);
            Some(Assignment { person_id: e.id.clone(), grade, status: plan.status(grade, span, e.served(), c, day) })
        })
        .collect();
    let by_id: HashMap<&str, &crate::projects::EnrolmentView> = enrolments.iter().map(|e| (e.id.as_str(), e)).collect();
    Ok(day_list(day, &assignments)
        .into_iter()
        .filter_map(|w| {
            let e = by_id.get(w.person_id.as_str())?;
            Some(TodayItem {
                project_id: e.project_id.clone(),
                project_title: titles.get(&e.project_id).cloned().unwrap_or_default(),
                project_person_id: e.id.clone(),
                person_name: e.person_name.clone(),
                phone_contact: e.effective_rule().requirement(grades.get(&e.person_id).copied()).channel
                    == Channel::Phone,
                overdue: matches!(w.urgency, Urgency::Overdue { .. }),
                due_today: matches!(w.urgency, Urgency::DueToday),
                reason: w.reason,
            })
        })
        .collect())
}
