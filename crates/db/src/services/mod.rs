//! Services and professional work (服务与专业服务) of a project, each a record with its date,
//! worker, people and notes: service records (`records`), casework with dated stages (`cases`),
//! groups with members, sessions and attendance (`groups`), community activities with a public
//! sign-in (`activities`), trainings (`trainings`), supervision (`supervision`), volunteers with
//! teams, pairing and service hours (`volunteers`). `facts` adds them to the delivery facts that
//! output progress is computed from; `demo` fills the demo projects.
//!
//! Scope: every function goes through the project (`crate::projects::get`): a project outside
//! the actor's scope, and every record of it, is "not found"; writing needs `may_record`.
//! Lists are newest first, keyset-paged by id (UUIDv7, so by creation).

pub mod activities;
pub mod cases;
pub mod demo;
mod facts;
pub mod groups;
pub mod records;
pub mod supervision;
pub mod trainings;
pub mod volunteers;

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use serde::{Deserialize, Serialize};

pub use facts::add_facts;

use crate::entity::{person, project_person};
use crate::projects::{self, ProjectView};
use crate::{Actor, AppError, AppResult, FieldError, Page, PageRequest, db_err};

/// The record kinds and their URL names (`/projects/{id}/records/{kind}`).
pub const KINDS: [&str; 7] = ["services", "cases", "groups", "activities", "trainings", "supervision", "volunteers"];

/// The project, if the actor may see it (NotFound otherwise).
pub async fn project<C: ConnectionTrait>(db: &C, actor: &Actor, project_id: &str) -> AppResult<ProjectView> {
    projects::get(db, actor, project_id).await
}

/// The project, if the actor may record in it (NotFound outside the scope, Forbidden when only
/// allowed to read it).
pub async fn recordable<C: ConnectionTrait>(db: &C, actor: &Actor, project_id: &str) -> AppResult<ProjectView> {
    let p = projects::get(db, actor, project_id).await?;
    if !projects::may_record(actor, &p) {
        return Err(AppError::Forbidden);
    }
    Ok(p)
}

/// Who did the work, as a form or the API gives it: a team member, or a name.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkerInput {
    /// A member of the project team (`project_members.id`).
    #[serde(default)]
    pub worker_member_id: Option<String>,
    /// The worker's name when not a team member; empty = the recording user's team entry or name.
    #[serde(default)]
    pub worker_name: String,
}

/// The worker as stored: (member id, name).
pub(crate) fn worker(
    p: &ProjectView,
    actor: &Actor,
    w: &WorkerInput,
    errors: &mut Vec<FieldError>,
) -> (Option<String>, String) {
    if let Some(id) = w.worker_member_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        return match p.members.iter().find(|m| m.id == id) {
            Some(m) => (Some(m.id.clone()), m.name.clone()),
            None => {
                errors.push(FieldError::new("worker_member_id", "服务人员：不是本项目团队的成员"));
                (None, String::new())
            }
        };
    }
    let name = w.worker_name.trim();
    if name.chars().count() > 100 {
        errors.push(FieldError::new("worker_name", "服务人员：不超过100字"));
    }
    if !name.is_empty() {
        return (None, name.to_string());
    }
    let uid = actor.user_id.as_deref();
    match p.members.iter().find(|m| uid.is_some() && m.user_id.as_deref() == uid) {
        Some(m) => (Some(m.id.clone()), m.name.clone()),
        None => (None, actor.username.clone()),
    }
}

/// A required text of at most `max` characters.
pub(crate) fn required(value: &str, max: usize, field: &str, label: &str, errors: &mut Vec<FieldError>) -> String {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > max {
        errors.push(FieldError::new(field, format!("{label}：不能为空，且不超过{max}字")));
    }
    v.to_string()
}

/// A work date: not in the future (`today`), and not before the project started a year earlier.
pub(crate) fn work_date(
    d: Option<NaiveDate>,
    p: &ProjectView,
    today: NaiveDate,
    field: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> NaiveDate {
    match d {
        None => {
            errors.push(FieldError::new(field, format!("{label}：请填写日期")));
            today
        }
        Some(d) if d > today => {
            errors.push(FieldError::new(field, format!("{label}：不能晚于今天")));
            d
        }
        Some(d) if d < p.start_on => {
            errors.push(FieldError::new(field, format!("{label}：不能早于项目开始日期{}", p.start_on)));
            d
        }
        Some(d) => d,
    }
}

/// A non-negative count.
pub(crate) fn count(v: i64, max: i64, field: &str, label: &str, errors: &mut Vec<FieldError>) -> i32 {
    if !(0..=max).contains(&v) {
        errors.push(FieldError::new(field, format!("{label}：应在0到{max}之间")));
        return 0;
    }
    i32::try_from(v).unwrap_or(0)
}

/// The Asia/Shanghai date of an instant.
pub(crate) fn today(now_ms: i64) -> NaiveDate {
    crate::visits::local_date(now_ms)
}

/// Check that every person id is enrolled in the project; the ids deduplicated, in order.
pub(crate) async fn enrolled<C: ConnectionTrait>(
    db: &C,
    project_id: &str,
    ids: &[String],
    field: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for id in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !out.iter().any(|x| x == id) {
            out.push(id.to_string());
        }
    }
    if out.is_empty() {
        return Ok(out);
    }
    let found: Vec<String> = project_person::Entity::find()
        .select_only()
        .column(project_person::Column::PersonId)
        .filter(project_person::Column::ProjectId.eq(project_id))
        .filter(project_person::Column::PersonId.is_in(out.clone()))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    if out.iter().any(|id| !found.contains(id)) {
        errors.push(FieldError::new(field, format!("{label}：只能选择本项目的服务对象")));
    }
    Ok(out)
}

/// Names of persons by id (one `IN` query).
pub async fn person_names<C: ConnectionTrait>(db: &C, ids: &[String]) -> AppResult<HashMap<String, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, String)> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .column(person::Column::Name)
        .filter(person::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().collect())
}

/// A person picked for a record: id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

pub(crate) fn refs(ids: &[String], names: &HashMap<String, String>) -> Vec<PersonRef> {
    ids.iter().map(|id| PersonRef { id: id.clone(), name: names.get(id).cloned().unwrap_or_default() }).collect()
}

pub(crate) fn ids_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

pub(crate) fn json_of(ids: &[String]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn validated(errors: Vec<FieldError>) -> AppResult<()> {
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

/// The row `id` of a project's records of one kind (`id`/`project` are its columns); NotFound,
/// naming the kind (`what`), when it is missing or belongs to another project.
pub(crate) async fn find_in<E: EntityTrait, C: ConnectionTrait>(
    db: &C,
    (id_col, project_col): (E::Column, E::Column),
    project_id: &str,
    id: &str,
    what: &str,
) -> AppResult<E::Model> {
    E::find()
        .filter(id_col.eq(id))
        .filter(project_col.eq(project_id))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound(what.into()))
}

/// One keyset page of `q` (already filtered to the project), newest first by the id column.
pub(crate) async fn newest_first<E: EntityTrait, C: ConnectionTrait>(
    db: &C,
    q: Select<E>,
    id_col: E::Column,
    page: &PageRequest,
    key: impl Fn(&E::Model) -> String,
) -> AppResult<Page<E::Model>> {
    let q = match &page.after {
        Some(after) => q.filter(id_col.lt(after.as_str())),
        None => q,
    };
    let limit = page.limit();
    let rows = q.order_by_desc(id_col).limit(limit + 1).all(db).await.map_err(db_err)?;
    Ok(Page::from_rows(rows, limit, key))
}

/// The one view made from one row.
pub(crate) fn one<T>(mut v: Vec<T>) -> AppResult<T> {
    v.pop().ok_or_else(|| AppError::Internal("record view".into()))
}

/// Whole months from `from` to `to` (0 when `to` is earlier).
pub fn full_months(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut m = 0u32;
    while from.checked_add_months(chrono::Months::new(m + 1)).is_some_and(|d| d <= to) {
        m += 1;
        if m > 1200 {
            break;
        }
    }
    m
}

/// `create`, `get`, `update` and `list` of a record kind whose view is made from its row alone:
/// the calling module has `view(row)` and `check(db, actor, project_id, input, now_ms, &mut active)`,
/// and its entity module `$m` has id, project_id, created_by and created_ms columns. Writes are
/// audited as `"$m.create"` / `"$m.update"`; `$what` names the kind when it is not found.
macro_rules! plain_kind {
    ($m:ident, $input:ty, $view:ty, $what:literal, $list_doc:literal) => {
        pub async fn create<C: ConnectionTrait>(
            db: &C,
            actor: &$crate::Actor,
            project_id: &str,
            input: &$input,
            now_ms: i64,
        ) -> $crate::AppResult<$view> {
            let mut a = $m::ActiveModel {
                id: Set($crate::new_id()),
                project_id: Set(project_id.to_string()),
                created_by: Set(actor.user_id.clone()),
                created_ms: Set(now_ms),
                ..Default::default()
            };
            check(db, actor, project_id, input, now_ms, &mut a).await?;
            let v = view(a.insert(db).await.map_err($crate::db_err)?);
            let action = concat!(stringify!($m), ".create");
            $crate::audit::Event::new(actor, now_ms, action, stringify!($m), &v.id).after(&v).write(db).await?;
            Ok(v)
        }

        async fn find<C: ConnectionTrait>(db: &C, project_id: &str, id: &str) -> $crate::AppResult<$m::Model> {
            let cols = ($m::Column::Id, $m::Column::ProjectId);
            super::find_in::<$m::Entity, _>(db, cols, project_id, id, $what).await
        }

        pub async fn get<C: ConnectionTrait>(
            db: &C,
            actor: &$crate::Actor,
            project_id: &str,
            id: &str,
        ) -> $crate::AppResult<$view> {
            let p = super::project(db, actor, project_id).await?;
            Ok(view(find(db, &p.id, id).await?))
        }

        pub async fn update<C: ConnectionTrait>(
            db: &C,
            actor: &$crate::Actor,
            project_id: &str,
            id: &str,
            input: &$input,
            now_ms: i64,
        ) -> $crate::AppResult<$view> {
            let p = super::project(db, actor, project_id).await?;
            let current = find(db, &p.id, id).await?;
            let before = view(current.clone());
            let mut a = current.into_active_model();
            check(db, actor, project_id, input, now_ms, &mut a).await?;
            let v = view(a.update(db).await.map_err($crate::db_err)?);
            let action = concat!(stringify!($m), ".update");
            let event = $crate::audit::Event::new(actor, now_ms, action, stringify!($m), id);
            event.before(&before).after(&v).write(db).await?;
            Ok(v)
        }

        #[doc = $list_doc]
        pub async fn list<C: ConnectionTrait>(
            db: &C,
            actor: &$crate::Actor,
            project_id: &str,
            page: &$crate::PageRequest,
        ) -> $crate::AppResult<$crate::Page<$view>> {
            let p = super::project(db, actor, project_id).await?;
            let q = $m::Entity::find().filter($m::Column::ProjectId.eq(p.id.as_str()));
            Ok(super::newest_first(db, q, $m::Column::Id, page, |r| r.id.clone()).await?.map(view))
        }
    };
}
pub(crate) use plain_kind;
