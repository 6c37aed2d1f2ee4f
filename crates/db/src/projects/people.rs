//! Beneficiaries enrolled in a project (项目服务对象): the visit rule, remote contact, the paired
//! worker and the date the file was built. A person registered by another organization can be
//! linked by their full resident ID without anything else of theirs being shown.

use chrono::NaiveDate;
use domain::delivery::{RiskVisitTable, VisitRule};
use domain::ids::ResidentId;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use super::ProjectView;
use crate::audit::Event;
use crate::crypto::Keys;
use crate::entity::{person, project_person};
use crate::{Actor, AppError, AppResult, FieldError, db_err, new_id};

/// One person in one project. Carries the person's name only: identifiers stay in `db::persons`.
#[derive(Debug, Clone, Serialize)]
pub struct EnrolmentView {
    pub id: String,
    pub project_id: String,
    pub person_id: String,
    pub person_name: String,
    pub person_area_code: Option<String>,
    pub worker_member_id: Option<String>,
    pub worker_name: Option<String>,
    pub worker_phone: Option<String>,
    /// The rule as set (a remote person is contacted by phone weekly: see `effective_rule`).
    pub rule: VisitRule,
    pub remote: bool,
    pub enrolled_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub file_built_on: Option<NaiveDate>,
    pub created_ms: i64,
}

impl EnrolmentView {
    /// The rule that applies: weekly phone contact for a person living away (Hangzhou).
    pub fn effective_rule(&self) -> VisitRule {
        if self.remote { VisitRule::RemoteWeekly } else { self.rule }
    }

    /// The days the person is served (their enrolment), `None` when it ends before it starts.
    pub fn served(&self) -> Option<domain::delivery::DateSpan> {
        let end = self.left_on.unwrap_or(NaiveDate::MAX);
        domain::delivery::DateSpan::new(self.enrolled_on, end)
    }
}

/// weekly / monthly / quarterly / by_risk / remote_weekly
pub fn rule_code(r: &VisitRule) -> &'static str {
    match r {
        VisitRule::Weekly => "weekly",
        VisitRule::Monthly => "monthly",
        VisitRule::Quarterly => "quarterly",
        VisitRule::ByRisk(_) => "by_risk",
        VisitRule::RemoteWeekly => "remote_weekly",
    }
}

pub fn rule_from_code(code: &str) -> Option<VisitRule> {
    Some(match code {
        "weekly" => VisitRule::Weekly,
        "monthly" => VisitRule::Monthly,
        "quarterly" => VisitRule::Quarterly,
        "by_risk" => VisitRule::ByRisk(RiskVisitTable::default()),
        "remote_weekly" => VisitRule::RemoteWeekly,
        _ => return None,
    })
}

fn parse_rule(json: &str) -> VisitRule {
    serde_json::from_str(json).unwrap_or(VisitRule::Monthly)
}

/// The person ids enrolled in a project, as a subquery: a project of thousands of people is one
/// query parameter, not thousands (a long `IN` list is slow to bind on PostgreSQL).
pub(crate) fn person_ids_of(project_id: &str) -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(project_person::Column::PersonId)
        .from(project_person::Entity)
        .and_where(project_person::Column::ProjectId.eq(project_id))
        .to_owned()
}

/// Views of enrolments of `p`; `whole_project` when `rows` are all its enrolments.
async fn views<C: ConnectionTrait>(
    db: &C,
    p: &ProjectView,
    rows: Vec<project_person::Model>,
    whole_project: bool,
) -> AppResult<Vec<EnrolmentView>> {
    let which = if whole_project {
        person::Column::Id.in_subquery(person_ids_of(&p.id))
    } else {
        person::Column::Id.is_in(rows.iter().map(|r| r.person_id.clone()))
    };
    let persons: Vec<(String, String, Option<String>)> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .column(person::Column::Name)
        .column(person::Column::AreaCode)
        .filter(which)
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let names: std::collections::HashMap<&str, (&String, &Option<String>)> =
        persons.iter().map(|(id, name, area)| (id.as_str(), (name, area))).collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let worker = r.worker_member_id.as_ref().and_then(|w| p.members.iter().find(|m| &m.id == w));
            let who = names.get(r.person_id.as_str());
            EnrolmentView {
                person_name: who.map(|x| x.0.clone()).unwrap_or_default(),
                person_area_code: who.and_then(|x| x.1.clone()),
                worker_name: worker.map(|m| m.name.clone()),
                worker_phone: worker.map(|m| m.phone.clone()).filter(|s| !s.is_empty()),
                rule: parse_rule(&r.visit_rule_json),
                id: r.id,
                project_id: r.project_id,
                person_id: r.person_id,
                worker_member_id: r.worker_member_id,
                remote: r.remote,
                enrolled_on: r.enrolled_on,
                left_on: r.left_on,
                file_built_on: r.file_built_on,
                created_ms: r.created_ms,
            }
        })
        .collect())
}

/// Everyone enrolled in a project in scope, in enrolment order.
pub async fn people<C: ConnectionTrait>(db: &C, actor: &Actor, project_id: &str) -> AppResult<Vec<EnrolmentView>> {
    let p = super::get(db, actor, project_id).await?;
    let rows = project_person::Entity::find()
        .filter(project_person::Column::ProjectId.eq(p.id.as_str()))
        .order_by_asc(project_person::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    views(db, &p, rows, true).await
}

/// One enrolment, if its project is in scope.
pub async fn enrolment<C: ConnectionTrait>(db: &C, actor: &Actor, project_person_id: &str) -> AppResult<EnrolmentView> {
    let row = project_person::Entity::find_by_id(project_person_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("服务对象".into()))?;
    let p = super::get(db, actor, &row.project_id).await.map_err(|_| AppError::NotFound("服务对象".into()))?;
    views(db, &p, vec![row], false).await?.pop().ok_or_else(|| AppError::NotFound("服务对象".into()))
}

#[derive(Debug, Clone, Deserialize)]
pub struct EnrolInput {
    pub person_id: String,
    pub rule: VisitRule,
    #[serde(default)]
    pub remote: bool,
    #[serde(default)]
    pub worker_member_id: Option<String>,
    /// Default: the project's start.
    #[serde(default)]
    pub enrolled_on: Option<NaiveDate>,
    #[serde(default)]
    pub file_built_on: Option<NaiveDate>,
}

fn check(p: &ProjectView, input: &EnrolInput) -> AppResult<(NaiveDate, Option<String>)> {
    let mut errors = Vec::new();
    let enrolled_on = input.enrolled_on.unwrap_or(p.start_on);
    if enrolled_on > p.end_on {
        errors.push(FieldError::new("enrolled_on", "纳入日期：不能晚于项目结束日期"));
    }
    let worker = input.worker_member_id.as_deref().map(str::trim).filter(|w| !w.is_empty());
    if let Some(w) = worker
        && !p.members.iter().any(|m| m.id == w)
    {
        errors.push(FieldError::new("worker_member_id", "结对社工：请从项目团队中选择"));
    }
    if errors.is_empty() { Ok((enrolled_on, worker.map(str::to_string))) } else { Err(AppError::Validation(errors)) }
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    p: &ProjectView,
    input: &EnrolInput,
    action: &str,
    now_ms: i64,
) -> AppResult<String> {
    let (enrolled_on, worker) = check(p, input)?;
    let exists = project_person::Entity::find()
        .filter(project_person::Column::ProjectId.eq(p.id.as_str()))
        .filter(project_person::Column::PersonId.eq(input.person_id.as_str()))
        .one(db)
        .await
        .map_err(db_err)?;
    if exists.is_some() {
        return Err(AppError::field("person_id", "服务对象：已在本项目中"));
    }
    let id = new_id();
    project_person::ActiveModel {
        id: Set(id.clone()),
        project_id: Set(p.id.clone()),
        person_id: Set(input.person_id.clone()),
        worker_member_id: Set(worker.clone()),
        visit_rule_json: Set(super::to_json(&input.rule)),
        remote: Set(input.remote),
        enrolled_on: Set(enrolled_on),
        left_on: Set(None),
        file_built_on: Set(input.file_built_on),
        created_ms: Set(now_ms),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    let after = serde_json::json!({
        "project_id": p.id, "person_id": input.person_id, "rule": rule_code(&input.rule),
        "remote": input.remote, "worker_member_id": worker, "enrolled_on": enrolled_on,
        "file_built_on": input.file_built_on,
    });
    Event::new(actor, now_ms, action, "project_person", &id).after(&after).write(db).await?;
    Ok(id)
}

/// Enrol a person the actor can see (a person of their organization) in a project they manage.
pub async fn enrol<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    input: &EnrolInput,
    now_ms: i64,
) -> AppResult<String> {
    let p = super::get(db, actor, project_id).await?;
    if !super::may_manage(actor, &p) {
        return Err(AppError::Forbidden);
    }
    crate::persons::find(db, actor, &input.person_id)
        .await
        .map_err(|_| AppError::field("person_id", "服务对象：请选择本机构登记的服务对象"))?;
    insert(db, actor, &p, input, "project.enrol", now_ms).await
}

/// Link a person registered anywhere in the deployment by their full resident ID. Nothing about
/// the person is returned but the new enrolment id; the lookup is audited with the masked ID.
pub async fn link_by_resident_id<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    project_id: &str,
    resident_id: &str,
    input: &EnrolInput,
    now_ms: i64,
) -> AppResult<String> {
    let p = super::get(db, actor, project_id).await?;
    if !super::may_manage(actor, &p) {
        return Err(AppError::Forbidden);
    }
    let rid = ResidentId::parse(resident_id).map_err(|e| AppError::field("resident_id", e.to_string()))?;
    let found = person::Entity::find()
        .filter(person::Column::ResidentIdHash.eq(keys.hash(rid.as_str())))
        .one(db)
        .await
        .map_err(db_err)?;
    let lookup = serde_json::json!({ "project_id": p.id, "resident_id": rid.masked(), "found": found.is_some() });
    Event::new(actor, now_ms, "project.link_lookup", "project", &p.id).after(&lookup).write(db).await?;
    let Some(found) = found else {
        return Err(AppError::field("resident_id", "公民身份号码：未找到已登记的服务对象，请先登记"));
    };
    let input = EnrolInput { person_id: found.id, ..input.clone() };
    insert(db, actor, &p, &input, "project.link", now_ms).await
}

/// End a person's enrolment on a day (they stay in the history; visits after it do not count).
pub async fn leave<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_person_id: &str,
    left_on: NaiveDate,
    now_ms: i64,
) -> AppResult<()> {
    let e = enrolment(db, actor, project_person_id).await?;
    let p = super::get(db, actor, &e.project_id).await?;
    if !super::may_manage(actor, &p) {
        return Err(AppError::Forbidden);
    }
    if left_on < e.enrolled_on {
        return Err(AppError::field("left_on", "退出日期：不能早于纳入日期"));
    }
    project_person::ActiveModel { id: Set(e.id.clone()), left_on: Set(Some(left_on)), ..Default::default() }
        .update(db)
        .await
        .map_err(db_err)?;
    let after = serde_json::json!({ "left_on": left_on });
    Event::new(actor, now_ms, "project.leave", "project_person", &e.id).after(&after).write(db).await?;
    Ok(())
}
