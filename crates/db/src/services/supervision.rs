//! Supervision (督导): a session with its length, supervisor and supervisees (人次). Hangzhou B
//! asks for ≥60 person-times and 120 hours; hours are session hours, not multiplied by the
//! number of supervisees.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use super::{WorkerInput, count, recordable, required, today, validated, work_date, worker};
use crate::audit::Event;
use crate::entity::supervision;
use crate::{Actor, AppError, AppResult, FieldError, Page, PageRequest, db_err, new_id};

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupervisionInput {
    pub topic: String,
    pub held_on: Option<NaiveDate>,
    pub minutes: i64,
    /// Number of supervisees (人次).
    pub supervisees: i64,
    /// Their names, one per line (optional).
    #[serde(default)]
    pub supervisee_names: String,
    /// The supervisor.
    #[serde(flatten)]
    pub worker: WorkerInput,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupervisionView {
    pub id: String,
    pub project_id: String,
    pub topic: String,
    pub held_on: NaiveDate,
    pub minutes: i32,
    pub supervisees: i32,
    pub supervisee_names: String,
    pub worker_member_id: Option<String>,
    pub worker_name: String,
    pub notes: String,
    pub created_ms: i64,
}

fn view(r: supervision::Model) -> SupervisionView {
    SupervisionView {
        id: r.id,
        project_id: r.project_id,
        topic: r.topic,
        held_on: r.held_on,
        minutes: r.minutes,
        supervisees: r.supervisees,
        supervisee_names: r.supervisee_names,
        worker_member_id: r.worker_member_id,
        worker_name: r.worker_name,
        notes: r.notes,
        created_ms: r.created_ms,
    }
}

async fn check<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    input: &SupervisionInput,
    now_ms: i64,
    a: &mut supervision::ActiveModel,
) -> AppResult<()> {
    let p = recordable(db, actor, project_id).await?;
    let mut e: Vec<FieldError> = Vec::new();
    let topic = required(&input.topic, 200, "topic", "督导主题", &mut e);
    let held_on = work_date(input.held_on, &p, today(now_ms), "held_on", "督导日期", &mut e);
    let minutes = count(input.minutes, 24 * 60, "minutes", "督导时长（分钟）", &mut e);
    if minutes == 0 && !e.iter().any(|x| x.field == "minutes") {
        e.push(FieldError::new("minutes", "督导时长（分钟）：应大于0"));
    }
    let supervisees = count(input.supervisees, 10_000, "supervisees", "受督导人数", &mut e);
    if supervisees == 0 && !e.iter().any(|x| x.field == "supervisees") {
        e.push(FieldError::new("supervisees", "受督导人数：至少1人"));
    }
    let (member, name) = worker(&p, actor, &input.worker, &mut e);
    validated(e)?;
    a.topic = Set(topic);
    a.held_on = Set(held_on);
    a.minutes = Set(minutes);
    a.supervisees = Set(supervisees);
    a.supervisee_names = Set(input.supervisee_names.trim().to_string());
    a.worker_member_id = Set(member);
    a.worker_name = Set(name);
    a.notes = Set(input.notes.trim().to_string());
    a.updated_ms = Set(now_ms);
    Ok(())
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    input: &SupervisionInput,
    now_ms: i64,
) -> AppResult<SupervisionView> {
    let mut a = supervision::ActiveModel {
        id: Set(new_id()),
        project_id: Set(project_id.to_string()),
        created_by: Set(actor.user_id.clone()),
        created_ms: Set(now_ms),
        ..Default::default()
    };
    check(db, actor, project_id, input, now_ms, &mut a).await?;
    let v = view(a.insert(db).await.map_err(db_err)?);
    Event::new(actor, now_ms, "supervision.create", "supervision", &v.id).after(&v).write(db).await?;
    Ok(v)
}

async fn find<C: ConnectionTrait>(db: &C, project_id: &str, id: &str) -> AppResult<supervision::Model> {
    supervision::Entity::find_by_id(id)
        .filter(supervision::Column::ProjectId.eq(project_id))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("督导".into()))
}

pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, project_id: &str, id: &str) -> AppResult<SupervisionView> {
    let p = super::project(db, actor, project_id).await?;
    Ok(view(find(db, &p.id, id).await?))
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    id: &str,
    input: &SupervisionInput,
    now_ms: i64,
) -> AppResult<SupervisionView> {
    let p = super::project(db, actor, project_id).await?;
    let current = find(db, &p.id, id).await?;
    let before = view(current.clone());
    let mut a = current.into_active_model();
    check(db, actor, project_id, input, now_ms, &mut a).await?;
    let v = view(a.update(db).await.map_err(db_err)?);
    Event::new(actor, now_ms, "supervision.update", "supervision", id).before(&before).after(&v).write(db).await?;
    Ok(v)
}

/// The project's supervision sessions, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    page: &PageRequest,
) -> AppResult<Page<SupervisionView>> {
    let p = super::project(db, actor, project_id).await?;
    let mut q = supervision::Entity::find().filter(supervision::Column::ProjectId.eq(p.id.as_str()));
    if let Some(after) = &page.after {
        q = q.filter(supervision::Column::Id.lt(after.as_str()));
    }
    let limit = page.limit();
    let rows = q.order_by_desc(supervision::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    Ok(Page::from_rows(rows, limit, |r| r.id.clone()).map(view))
}
