//! Service records (服务记录): a service of a listed type (`service_types.toml`: 助洁, 助浴, 助医,
//! 助餐, 陪聊, 代买代办, 心理疏导, 政策咨询, 康复训练 …) given on a date by a worker to one or
//! more people of the project, with its length and notes.

use std::sync::LazyLock;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};

use super::{
    PersonRef, WorkerInput, count, enrolled, ids_of, json_of, one, person_names, recordable, refs, today, validated,
    work_date, worker,
};
use crate::audit::Event;
use crate::entity::service_record;
use crate::{Actor, AppResult, FieldError, Page, PageRequest, db_err, new_id};

/// One service type of the data list.
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceType {
    pub code: String,
    /// 中文名称
    pub name: String,
    pub en: String,
}

#[derive(Deserialize)]
struct TypeList {
    types: Vec<ServiceType>,
}

static TYPES: LazyLock<Vec<ServiceType>> = LazyLock::new(|| {
    toml::from_str::<TypeList>(include_str!("service_types.toml")).map(|l| l.types).unwrap_or_default()
});

/// The service types, in list order.
pub fn service_types() -> &'static [ServiceType] {
    &TYPES
}

/// The Chinese name of a type code (the code itself when unknown).
pub fn type_name(code: &str) -> &str {
    TYPES.iter().find(|t| t.code == code).map_or(code, |t| t.name.as_str())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceRecordInput {
    /// A code of the service type list (cleaning, bathing, medical …).
    pub service_type: String,
    pub served_on: Option<NaiveDate>,
    #[serde(flatten)]
    pub worker: WorkerInput,
    /// Persons (ids) of the project served.
    #[serde(default)]
    pub person_ids: Vec<String>,
    #[serde(default)]
    pub minutes: i64,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceRecordView {
    pub id: String,
    pub project_id: String,
    pub service_type: String,
    pub service_type_name: String,
    pub served_on: NaiveDate,
    pub worker_member_id: Option<String>,
    pub worker_name: String,
    pub people: Vec<PersonRef>,
    pub minutes: i32,
    pub notes: String,
    pub created_ms: i64,
}

async fn views<C: ConnectionTrait>(db: &C, rows: Vec<service_record::Model>) -> AppResult<Vec<ServiceRecordView>> {
    let all: Vec<String> = rows.iter().flat_map(|r| ids_of(&r.person_ids_json)).collect();
    let names = person_names(db, &all).await?;
    Ok(rows
        .into_iter()
        .map(|r| ServiceRecordView {
            service_type_name: type_name(&r.service_type).to_string(),
            people: refs(&ids_of(&r.person_ids_json), &names),
            id: r.id,
            project_id: r.project_id,
            service_type: r.service_type,
            served_on: r.served_on,
            worker_member_id: r.worker_member_id,
            worker_name: r.worker_name,
            minutes: r.minutes,
            notes: r.notes,
            created_ms: r.created_ms,
        })
        .collect())
}

async fn check<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    input: &ServiceRecordInput,
    now_ms: i64,
    a: &mut service_record::ActiveModel,
) -> AppResult<()> {
    let p = recordable(db, actor, project_id).await?;
    let mut e: Vec<FieldError> = Vec::new();
    if !TYPES.iter().any(|t| t.code == input.service_type) {
        e.push(FieldError::new("service_type", "服务类型：请从列表中选择"));
    }
    let served_on = work_date(input.served_on, &p, today(now_ms), "served_on", "服务日期", &mut e);
    let (member, name) = worker(&p, actor, &input.worker, &mut e);
    let people = enrolled(db, &p.id, &input.person_ids, "person_ids", "服务对象", &mut e).await?;
    if people.is_empty() {
        e.push(FieldError::new("person_ids", "服务对象：请至少选择一人"));
    }
    let minutes = count(input.minutes, 24 * 60, "minutes", "服务时长（分钟）", &mut e);
    if input.notes.chars().count() > 2000 {
        e.push(FieldError::new("notes", "服务内容：不超过2000字"));
    }
    validated(e)?;
    a.service_type = Set(input.service_type.clone());
    a.served_on = Set(served_on);
    a.worker_member_id = Set(member);
    a.worker_name = Set(name);
    a.person_ids_json = Set(json_of(&people));
    a.minutes = Set(minutes);
    a.notes = Set(input.notes.trim().to_string());
    a.updated_ms = Set(now_ms);
    Ok(())
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    input: &ServiceRecordInput,
    now_ms: i64,
) -> AppResult<ServiceRecordView> {
    let mut a = service_record::ActiveModel {
        id: Set(new_id()),
        project_id: Set(project_id.to_string()),
        created_by: Set(actor.user_id.clone()),
        created_ms: Set(now_ms),
        ..Default::default()
    };
    check(db, actor, project_id, input, now_ms, &mut a).await?;
    let m = a.insert(db).await.map_err(db_err)?;
    let v = one(views(db, vec![m]).await?)?;
    Event::new(actor, now_ms, "service_record.create", "service_record", &v.id).after(&v).write(db).await?;
    Ok(v)
}

async fn find<C: ConnectionTrait>(db: &C, project_id: &str, id: &str) -> AppResult<service_record::Model> {
    let cols = (service_record::Column::Id, service_record::Column::ProjectId);
    super::find_in::<service_record::Entity, _>(db, cols, project_id, id, "服务记录").await
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    id: &str,
) -> AppResult<ServiceRecordView> {
    let p = super::project(db, actor, project_id).await?;
    let m = find(db, &p.id, id).await?;
    one(views(db, vec![m]).await?)
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    id: &str,
    input: &ServiceRecordInput,
    now_ms: i64,
) -> AppResult<ServiceRecordView> {
    let p = super::project(db, actor, project_id).await?;
    let current = find(db, &p.id, id).await?;
    let before = one(views(db, vec![current.clone()]).await?)?;
    let mut a = current.into_active_model();
    check(db, actor, project_id, input, now_ms, &mut a).await?;
    let m = a.update(db).await.map_err(db_err)?;
    let v = one(views(db, vec![m]).await?)?;
    Event::new(actor, now_ms, "service_record.update", "service_record", id)
        .before(&before)
        .after(&v)
        .write(db)
        .await?;
    Ok(v)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RecordFilter {
    /// Only records serving this person.
    pub person_id: Option<String>,
    pub service_type: Option<String>,
}

/// The project's service records, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    filter: &RecordFilter,
    page: &PageRequest,
) -> AppResult<Page<ServiceRecordView>> {
    let p = super::project(db, actor, project_id).await?;
    let mut q = service_record::Entity::find().filter(service_record::Column::ProjectId.eq(p.id.as_str()));
    if let Some(person) = filter.person_id.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(service_record::Column::PersonIdsJson.contains(format!("\"{person}\"")));
    }
    if let Some(t) = filter.service_type.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(service_record::Column::ServiceType.eq(t));
    }
    let page = super::newest_first(db, q, service_record::Column::Id, page, |r| r.id.clone()).await?;
    Ok(Page { items: views(db, page.items).await?, next_cursor: page.next_cursor })
}

/// Every service record of the project (oldest first), for the Excel export.
pub async fn all<C: ConnectionTrait>(db: &C, actor: &Actor, project_id: &str) -> AppResult<Vec<ServiceRecordView>> {
    let p = super::project(db, actor, project_id).await?;
    let rows = service_record::Entity::find()
        .filter(service_record::Column::ProjectId.eq(p.id.as_str()))
        .order_by_asc(service_record::Column::ServedOn)
        .order_by_asc(service_record::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    views(db, rows).await
}
