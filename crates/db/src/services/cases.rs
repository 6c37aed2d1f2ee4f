//! Casework (个案): a case of one person of the project goes through dated stages — intake
//! (接案), assessment (预估), plan with goals (服务计划), interventions (介入, repeated),
//! evaluation (评估) and closure (结案). Opening a case writes its intake entry; a closure entry
//! closes it and no entry can follow. Duration is whole months from intake to closure (or to
//! today while open); Hangzhou asks for at least six.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::{
    PersonRef, WorkerInput, enrolled, full_months, one, person_names, recordable, required, today, validated,
    work_date, worker,
};
use crate::audit::Event;
use crate::entity::{case_entry, case_file};
use crate::{Actor, AppResult, FieldError, Page, PageRequest, db_err, new_id};

/// The stages in order.
pub const STAGES: [(&str, &str); 6] = [
    ("intake", "接案"),
    ("assessment", "预估"),
    ("plan", "服务计划"),
    ("intervention", "介入"),
    ("evaluation", "评估"),
    ("closure", "结案"),
];

/// Months a case should run (Hangzhou: 服务周期不少于6个月).
pub const MIN_MONTHS: u32 = 6;

pub fn stage_name(code: &str) -> &str {
    STAGES.iter().find(|(c, _)| *c == code).map_or(code, |(_, n)| n)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseInput {
    pub person_id: String,
    /// A short title (presenting problem).
    pub title: String,
    /// Intake date (接案日期).
    pub opened_on: Option<NaiveDate>,
    #[serde(flatten)]
    pub worker: WorkerInput,
    /// What was learnt at intake.
    #[serde(default)]
    pub summary: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryInput {
    /// assessment / plan / intervention / evaluation / closure
    pub stage: String,
    pub entry_on: Option<NaiveDate>,
    pub summary: String,
    /// Goals of a plan (服务目标), one per item.
    #[serde(default)]
    pub goals: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseView {
    pub id: String,
    pub project_id: String,
    pub person: PersonRef,
    pub title: String,
    pub stage: String,
    pub stage_name: String,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub worker_member_id: Option<String>,
    pub worker_name: String,
    /// Whole months from intake to closure, or to today while open.
    pub months: u32,
    /// At least six months (服务满6个月).
    pub six_months: bool,
    pub created_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryView {
    pub id: String,
    pub stage: String,
    pub stage_name: String,
    pub entry_on: NaiveDate,
    pub summary: String,
    pub goals: Vec<String>,
}

async fn views<C: ConnectionTrait>(db: &C, rows: Vec<case_file::Model>, now_ms: i64) -> AppResult<Vec<CaseView>> {
    let ids: Vec<String> = rows.iter().map(|r| r.person_id.clone()).collect();
    let names = person_names(db, &ids).await?;
    let day = today(now_ms);
    Ok(rows
        .into_iter()
        .map(|r| {
            let months = full_months(r.opened_on, r.closed_on.unwrap_or(day));
            CaseView {
                person: PersonRef { name: names.get(&r.person_id).cloned().unwrap_or_default(), id: r.person_id },
                stage_name: stage_name(&r.stage).to_string(),
                months,
                six_months: months >= MIN_MONTHS,
                id: r.id,
                project_id: r.project_id,
                title: r.title,
                stage: r.stage,
                opened_on: r.opened_on,
                closed_on: r.closed_on,
                worker_member_id: r.worker_member_id,
                worker_name: r.worker_name,
                created_ms: r.created_ms,
            }
        })
        .collect())
}

fn entry_view(e: case_entry::Model) -> EntryView {
    EntryView {
        stage_name: stage_name(&e.stage).to_string(),
        goals: super::ids_of(&e.goals_json),
        id: e.id,
        stage: e.stage,
        entry_on: e.entry_on,
        summary: e.summary,
    }
}

/// Open a case: the case and its intake entry.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    project_id: &str,
    input: &CaseInput,
    now_ms: i64,
) -> AppResult<CaseView> {
    let p = recordable(db, actor, project_id).await?;
    let mut e: Vec<FieldError> = Vec::new();
    let title = required(&input.title, 200, "title", "个案名称", &mut e);
    let opened_on = work_date(input.opened_on, &p, today(now_ms), "opened_on", "接案日期", &mut e);
    let (member, name) = worker(&p, actor, &input.worker, &mut e);
    let person = enrolled(db, &p.id, std::slice::from_ref(&input.person_id), "person_id", "服务对象", &mut e).await?;
    if person.is_empty() {
        e.push(FieldError::new("person_id", "服务对象：请选择本项目的服务对象"));
    }
    validated(e)?;
    let txn = db.begin().await.map_err(db_err)?;
    let id = new_id();
    let m = case_file::ActiveModel {
        id: Set(id.clone()),
        project_id: Set(p.id.clone()),
        worker_member_id: Set(member),
        worker_name: Set(name),
        created_by: Set(actor.user_id.clone()),
        created_ms: Set(now_ms),
        updated_ms: Set(now_ms),
        person_id: Set(input.person_id.trim().to_string()),
        title: Set(title),
        stage: Set("intake".into()),
        opened_on: Set(opened_on),
        closed_on: Set(None),
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    case_entry::ActiveModel {
        id: Set(new_id()),
        case_id: Set(id.clone()),
        stage: Set("intake".into()),
        entry_on: Set(opened_on),
        summary: Set(input.summary.trim().to_string()),
        goals_json: Set("[]".into()),
        created_by: Set(actor.user_id.clone()),
        created_ms: Set(now_ms),
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    let v = one(views(&txn, vec![m], now_ms).await?)?;
    Event::new(actor, now_ms, "case.create", "case", &id).after(&v).write(&txn).await?;
    txn.commit().await.map_err(db_err)?;
    Ok(v)
}

async fn find<C: ConnectionTrait>(db: &C, project_id: &str, id: &str) -> AppResult<case_file::Model> {
    let cols = (case_file::Column::Id, case_file::Column::ProjectId);
    super::find_in::<case_file::Entity, _>(db, cols, project_id, id, "个案").await
}

/// Add a stage entry; a closure closes the case.
pub async fn add_entry(
    db: &DatabaseConnection,
    actor: &Actor,
    project_id: &str,
    case_id: &str,
    input: &EntryInput,
    now_ms: i64,
) -> AppResult<EntryView> {
    let p = super::project(db, actor, project_id).await?;
    let c = find(db, &p.id, case_id).await?;
    let p = recordable(db, actor, &p.id).await?;
    let mut e: Vec<FieldError> = Vec::new();
    if c.closed_on.is_some() {
        e.push(FieldError::new("stage", "阶段：个案已结案，不能再添加记录"));
    }
    if input.stage == "intake" || !STAGES.iter().any(|(s, _)| *s == input.stage) {
        e.push(FieldError::new("stage", "阶段：请选择预估、服务计划、介入、评估或结案"));
    }
    let on = work_date(input.entry_on, &p, today(now_ms), "entry_on", "日期", &mut e);
    if on < c.opened_on {
        e.push(FieldError::new("entry_on", format!("日期：不能早于接案日期{}", c.opened_on)));
    }
    let summary = required(&input.summary, 4000, "summary", "记录内容", &mut e);
    let goals: Vec<String> = input.goals.iter().map(|g| g.trim().to_string()).filter(|g| !g.is_empty()).collect();
    if input.stage == "plan" && goals.is_empty() {
        e.push(FieldError::new("goals", "服务目标：服务计划至少写一个目标"));
    }
    validated(e)?;
    let txn = db.begin().await.map_err(db_err)?;
    let entry = case_entry::ActiveModel {
        id: Set(new_id()),
        case_id: Set(c.id.clone()),
        stage: Set(input.stage.clone()),
        entry_on: Set(on),
        summary: Set(summary),
        goals_json: Set(super::json_of(&goals)),
        created_by: Set(actor.user_id.clone()),
        created_ms: Set(now_ms),
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    let mut a = c.clone().into_active_model();
    a.stage = Set(input.stage.clone());
    if input.stage == "closure" {
        a.closed_on = Set(Some(on));
    }
    a.updated_ms = Set(now_ms);
    a.update(&txn).await.map_err(db_err)?;
    let v = entry_view(entry);
    Event::new(actor, now_ms, "case.entry", "case", &c.id).after(&v).write(&txn).await?;
    txn.commit().await.map_err(db_err)?;
    Ok(v)
}

/// A case with its entries in date order.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    id: &str,
    now_ms: i64,
) -> AppResult<(CaseView, Vec<EntryView>)> {
    let p = super::project(db, actor, project_id).await?;
    let c = find(db, &p.id, id).await?;
    let entries = case_entry::Entity::find()
        .filter(case_entry::Column::CaseId.eq(c.id.as_str()))
        .order_by_asc(case_entry::Column::EntryOn)
        .order_by_asc(case_entry::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    Ok((one(views(db, vec![c], now_ms).await?)?, entries.into_iter().map(entry_view).collect()))
}

/// The project's cases, newest first (of one person when `person_id` is given).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    person_id: Option<&str>,
    page: &PageRequest,
    now_ms: i64,
) -> AppResult<Page<CaseView>> {
    let p = super::project(db, actor, project_id).await?;
    let mut q = case_file::Entity::find().filter(case_file::Column::ProjectId.eq(p.id.as_str()));
    if let Some(person) = person_id.filter(|s| !s.is_empty()) {
        q = q.filter(case_file::Column::PersonId.eq(person));
    }
    let page = super::newest_first(db, q, case_file::Column::Id, page, |r| r.id.clone()).await?;
    Ok(Page { items: views(db, page.items, now_ms).await?, next_cursor: page.next_cursor })
}
