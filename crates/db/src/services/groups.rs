//! Groups (小组): members (project persons or names), sessions with their date and attendance.
//! Qingtongxia counts a group when it has at least 8 members and 4 sessions; the progress metric
//! reads the minimums from the output target, the list shows these usual ones.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::{
    WorkerInput, enrolled, json_of, one, person_names, recordable, required, today, validated, work_date, worker,
};
use crate::audit::Event;
use crate::entity::{group_member, group_session, service_group};
use crate::{Actor, AppResult, FieldError, Page, PageRequest, db_err, new_id};

/// The usual minimums (Qingtongxia: 组员不少于8人，活动不少于4次).
pub const MIN_MEMBERS: u32 = 8;
pub const MIN_SESSIONS: u32 = 4;

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupInput {
    pub title: String,
    #[serde(default)]
    pub goal: String,
    #[serde(flatten)]
    pub worker: WorkerInput,
    /// Members who are persons of the project.
    #[serde(default)]
    pub person_ids: Vec<String>,
    /// Members by name only (residents not registered as beneficiaries).
    #[serde(default)]
    pub names: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInput {
    pub held_on: Option<NaiveDate>,
    pub topic: String,
    /// Ids of the members present.
    #[serde(default)]
    pub present: Vec<String>,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupView {
    pub id: String,
    pub project_id: String,
    pub title: String,
    pub goal: String,
    pub worker_member_id: Option<String>,
    pub worker_name: String,
    pub members: u32,
    pub sessions: u32,
    /// At least the usual 8 members and 4 sessions.
    pub meets_minimum: bool,
    pub created_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub id: String,
    pub person_id: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub id: String,
    pub held_on: NaiveDate,
    pub topic: String,
    pub notes: String,
    /// Member ids present.
    pub present: Vec<String>,
    pub attendance: u32,
}

/// Members and sessions per group id.
async fn counts<C: ConnectionTrait>(db: &C, ids: Vec<String>) -> AppResult<HashMap<String, (u32, u32)>> {
    let mut out: HashMap<String, (u32, u32)> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let members: Vec<String> = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::GroupId)
        .filter(group_member::Column::GroupId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let sessions: Vec<String> = group_session::Entity::find()
        .select_only()
        .column(group_session::Column::GroupId)
        .filter(group_session::Column::GroupId.is_in(ids))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    for g in members {
        out.entry(g).or_default().0 += 1;
    }
    for g in sessions {
        out.entry(g).or_default().1 += 1;
    }
    Ok(out)
}

async fn views<C: ConnectionTrait>(db: &C, rows: Vec<service_group::Model>) -> AppResult<Vec<GroupView>> {
    let n = counts(db, rows.iter().map(|r| r.id.clone()).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (members, sessions) = n.get(&r.id).copied().unwrap_or_default();
            GroupView {
                members,
                sessions,
                meets_minimum: members >= MIN_MEMBERS && sessions >= MIN_SESSIONS,
                id: r.id,
                project_id: r.project_id,
                title: r.title,
                goal: r.goal,
                worker_member_id: r.worker_member_id,
                worker_name: r.worker_name,
                created_ms: r.created_ms,
            }
        })
        .collect())
}

fn names_of(list: &[String]) -> Vec<String> {
    list.iter().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect()
}

/// Create a group with its first members.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    project_id: &str,
    input: &GroupInput,
    now_ms: i64,
) -> AppResult<GroupView> {
    let p = recordable(db, actor, project_id).await?;
    let mut e: Vec<FieldError> = Vec::new();
    let title = required(&input.title, 200, "title", "小组名称", &mut e);
    let (member, name) = worker(&p, actor, &input.worker, &mut e);
    let people = enrolled(db, &p.id, &input.person_ids, "person_ids", "组员", &mut e).await?;
    let names = names_of(&input.names);
    if names.iter().any(|n| n.chars().count() > 100) {
        e.push(FieldError::new("names", "其他组员：每个姓名不超过100字"));
    }
    validated(e)?;
    let txn = db.begin().await.map_err(db_err)?;
    let id = new_id();
    let g = service_group::ActiveModel {
        id: Set(id.clone()),
        project_id: Set(p.id.clone()),
        worker_member_id: Set(member),
        worker_name: Set(name),
        created_by: Set(actor.user_id.clone()),
        created_ms: Set(now_ms),
        updated_ms: Set(now_ms),
        title: Set(title),
        goal: Set(input.goal.trim().to_string()),
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    let pnames = person_names(&txn, &people).await?;
    let rows = people
        .iter()
        .map(|pid| (Some(pid.clone()), pnames.get(pid).cloned().unwrap_or_default()))
        .chain(names.into_iter().map(|n| (None, n)));
    for (person_id, name) in rows {
        group_member::ActiveModel {
            id: Set(new_id()),
            group_id: Set(id.clone()),
            person_id: Set(person_id),
            name: Set(name),
            created_ms: Set(now_ms),
        }
        .insert(&txn)
        .await
        .map_err(db_err)?;
    }
    let v = one(views(&txn, vec![g]).await?)?;
    Event::new(actor, now_ms, "group.create", "group", &id).after(&v).write(&txn).await?;
    txn.commit().await.map_err(db_err)?;
    Ok(v)
}

async fn find<C: ConnectionTrait>(db: &C, project_id: &str, id: &str) -> AppResult<service_group::Model> {
    let cols = (service_group::Column::Id, service_group::Column::ProjectId);
    super::find_in::<service_group::Entity, _>(db, cols, project_id, id, "小组").await
}

/// Add members to a group (persons of the project and/or names).
pub async fn add_members(
    db: &DatabaseConnection,
    actor: &Actor,
    project_id: &str,
    group_id: &str,
    person_ids: &[String],
    names: &[String],
    now_ms: i64,
) -> AppResult<()> {
    let p = super::project(db, actor, project_id).await?;
    let g = find(db, &p.id, group_id).await?;
    let p = recordable(db, actor, &p.id).await?;
    let mut e = Vec::new();
    let people = enrolled(db, &p.id, person_ids, "person_ids", "组员", &mut e).await?;
    let names = names_of(names);
    if people.is_empty() && names.is_empty() {
        e.push(FieldError::new("names", "组员：请选择服务对象或填写姓名"));
    }
    validated(e)?;
    let existing: Vec<Option<String>> = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::PersonId)
        .filter(group_member::Column::GroupId.eq(g.id.as_str()))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let pnames = person_names(db, &people).await?;
    let txn = db.begin().await.map_err(db_err)?;
    let new_people = people.into_iter().filter(|pid| !existing.iter().any(|x| x.as_deref() == Some(pid.as_str())));
    let rows: Vec<(Option<String>, String)> = new_people
        .map(|pid| (Some(pid.clone()), pnames.get(&pid).cloned().unwrap_or_default()))
        .chain(names.into_iter().map(|n| (None, n)))
        .collect();
    for (person_id, name) in &rows {
        group_member::ActiveModel {
            id: Set(new_id()),
            group_id: Set(g.id.clone()),
            person_id: Set(person_id.clone()),
            name: Set(name.clone()),
            created_ms: Set(now_ms),
        }
        .insert(&txn)
        .await
        .map_err(db_err)?;
    }
    let added: Vec<&str> = rows.iter().map(|(_, n)| n.as_str()).collect();
    Event::new(actor, now_ms, "group.members", "group", &g.id)
        .after(&serde_json::json!({ "added": added }))
        .write(&txn)
        .await?;
    txn.commit().await.map_err(db_err)?;
    Ok(())
}

/// Record a session with the members present.
pub async fn add_session(
    db: &DatabaseConnection,
    actor: &Actor,
    project_id: &str,
    group_id: &str,
    input: &SessionInput,
    now_ms: i64,
) -> AppResult<SessionView> {
    let p = super::project(db, actor, project_id).await?;
    let g = find(db, &p.id, group_id).await?;
    let p = recordable(db, actor, &p.id).await?;
    let mut e: Vec<FieldError> = Vec::new();
    let held_on = work_date(input.held_on, &p, today(now_ms), "held_on", "活动日期", &mut e);
    let topic = required(&input.topic, 200, "topic", "活动主题", &mut e);
    let members: Vec<String> = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::Id)
        .filter(group_member::Column::GroupId.eq(g.id.as_str()))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let mut present: Vec<String> = Vec::new();
    for id in &input.present {
        if !members.contains(id) {
            e.push(FieldError::new("present", "出席：只能选择本小组的组员"));
            break;
        }
        if !present.contains(id) {
            present.push(id.clone());
        }
    }
    validated(e)?;
    let txn = db.begin().await.map_err(db_err)?;
    let s = group_session::ActiveModel {
        id: Set(new_id()),
        group_id: Set(g.id.clone()),
        held_on: Set(held_on),
        topic: Set(topic),
        attendance_json: Set(json_of(&present)),
        notes: Set(input.notes.trim().to_string()),
        created_ms: Set(now_ms),
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    let v = session_view(s);
    Event::new(actor, now_ms, "group.session", "group", &g.id).after(&v).write(&txn).await?;
    txn.commit().await.map_err(db_err)?;
    Ok(v)
}

fn session_view(s: group_session::Model) -> SessionView {
    let present = super::ids_of(&s.attendance_json);
    SessionView {
        attendance: u32::try_from(present.len()).unwrap_or(u32::MAX),
        present,
        id: s.id,
        held_on: s.held_on,
        topic: s.topic,
        notes: s.notes,
    }
}

/// A group with its members and its sessions in date order.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    id: &str,
) -> AppResult<(GroupView, Vec<MemberView>, Vec<SessionView>)> {
    let p = super::project(db, actor, project_id).await?;
    let g = find(db, &p.id, id).await?;
    let members = group_member::Entity::find()
        .filter(group_member::Column::GroupId.eq(g.id.as_str()))
        .order_by_asc(group_member::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|m| MemberView { id: m.id, person_id: m.person_id, name: m.name })
        .collect();
    let sessions = group_session::Entity::find()
        .filter(group_session::Column::GroupId.eq(g.id.as_str()))
        .order_by_asc(group_session::Column::HeldOn)
        .order_by_asc(group_session::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(session_view)
        .collect();
    Ok((one(views(db, vec![g]).await?)?, members, sessions))
}

/// The project's groups, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    page: &PageRequest,
) -> AppResult<Page<GroupView>> {
    let p = super::project(db, actor, project_id).await?;
    let q = service_group::Entity::find().filter(service_group::Column::ProjectId.eq(p.id.as_str()));
    let page = super::newest_first(db, q, service_group::Column::Id, page, |r| r.id.clone()).await?;
    Ok(Page { items: views(db, page.items).await?, next_cursor: page.next_cursor })
}
