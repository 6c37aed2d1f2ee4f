//! Volunteers and volunteer teams (志愿者、志愿服务队) of a project: the registry (name, phone
//! encrypted at rest and shown masked, team), pairing with people of the project (结对), and
//! service time entries (服务时长).

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::ids::Phone;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use super::{
    PersonRef, count, enrolled, ids_of, json_of, person_names, recordable, refs, required, today, validated, work_date,
};
use crate::audit::Event;
use crate::crypto::Keys;
use crate::entity::{volunteer, volunteer_hour, volunteer_team};
use crate::{Actor, AppResult, FieldError, Page, PageRequest, db_err, new_id};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamView {
    pub id: String,
    pub name: String,
}

/// Holds a plaintext phone: neither `Debug` nor `Serialize`.
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerInput {
    pub name: String,
    /// On update, empty keeps the stored phone.
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub team_id: Option<String>,
    /// People of the project the volunteer is paired with.
    #[serde(default)]
    pub person_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerView {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub phone_masked: Option<String>,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub paired: Vec<PersonRef>,
    /// Service time recorded, in minutes.
    pub minutes: i64,
    pub created_ms: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursInput {
    pub served_on: Option<NaiveDate>,
    pub minutes: i64,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursView {
    pub id: String,
    pub volunteer_id: String,
    pub served_on: NaiveDate,
    pub minutes: i32,
    pub notes: String,
}

fn mask(keys: &Keys, enc: &Option<String>) -> AppResult<Option<String>> {
    Ok(match enc {
        Some(e) => Some(Phone::parse(&keys.decrypt(e)?).map(|p| p.masked()).unwrap_or_else(|_| "****".into())),
        None => None,
    })
}

async fn views<C: ConnectionTrait>(db: &C, keys: &Keys, rows: Vec<volunteer::Model>) -> AppResult<Vec<VolunteerView>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let people: Vec<String> = rows.iter().flat_map(|r| ids_of(&r.person_ids_json)).collect();
    let names = person_names(db, &people).await?;
    let team_ids: Vec<String> = rows.iter().filter_map(|r| r.team_id.clone()).collect();
    let teams: HashMap<String, String> = if team_ids.is_empty() {
        HashMap::new()
    } else {
        volunteer_team::Entity::find()
            .select_only()
            .column(volunteer_team::Column::Id)
            .column(volunteer_team::Column::Name)
            .filter(volunteer_team::Column::Id.is_in(team_ids))
            .into_tuple::<(String, String)>()
            .all(db)
            .await
            .map_err(db_err)?
            .into_iter()
            .collect()
    };
    let mut minutes: HashMap<String, i64> = HashMap::new();
    if !ids.is_empty() {
        let rows: Vec<(String, i32)> = volunteer_hour::Entity::find()
            .select_only()
            .column(volunteer_hour::Column::VolunteerId)
            .column(volunteer_hour::Column::Minutes)
            .filter(volunteer_hour::Column::VolunteerId.is_in(ids))
            .into_tuple()
            .all(db)
            .await
            .map_err(db_err)?;
        for (v, m) in rows {
            *minutes.entry(v).or_insert(0) += i64::from(m);
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(VolunteerView {
            phone_masked: mask(keys, &r.phone_enc)?,
            team_name: r.team_id.as_ref().and_then(|t| teams.get(t).cloned()),
            paired: refs(&ids_of(&r.person_ids_json), &names),
            minutes: minutes.get(&r.id).copied().unwrap_or(0),
            id: r.id,
            project_id: r.project_id,
            name: r.name,
            team_id: r.team_id,
            created_ms: r.created_ms,
        });
    }
    Ok(out)
}

/// The project's teams, in creation order.
pub async fn teams<C: ConnectionTrait>(db: &C, actor: &Actor, project_id: &str) -> AppResult<Vec<TeamView>> {
    let p = super::project(db, actor, project_id).await?;
    Ok(volunteer_team::Entity::find()
        .filter(volunteer_team::Column::ProjectId.eq(p.id.as_str()))
        .order_by_asc(volunteer_team::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|t| TeamView { id: t.id, name: t.name })
        .collect())
}

pub async fn create_team<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    name: &str,
    now_ms: i64,
) -> AppResult<TeamView> {
    let p = recordable(db, actor, project_id).await?;
    let mut e = Vec::new();
    let name = required(name, 100, "team_name", "志愿服务队名称", &mut e);
    validated(e)?;
    let id = new_id();
    volunteer_team::ActiveModel {
        id: Set(id.clone()),
        project_id: Set(p.id.clone()),
        name: Set(name.clone()),
        created_ms: Set(now_ms),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    let v = TeamView { id, name };
    Event::new(actor, now_ms, "volunteer_team.create", "volunteer_team", &v.id).after(&v).write(db).await?;
    Ok(v)
}

async fn check<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    project_id: &str,
    input: &VolunteerInput,
    creating: bool,
    a: &mut volunteer::ActiveModel,
) -> AppResult<()> {
    let p = recordable(db, actor, project_id).await?;
    let mut e: Vec<FieldError> = Vec::new();
    let name = required(&input.name, 100, "name", "姓名", &mut e);
    let phone = input.phone.trim();
    if !phone.is_empty() {
        match Phone::parse(phone) {
            Ok(ph) => a.phone_enc = Set(Some(keys.encrypt(ph.as_str()))),
            Err(err) => e.push(FieldError::new("phone", err.to_string())),
        }
    } else if creating {
        a.phone_enc = Set(None);
    }
    let team = input.team_id.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if let Some(t) = team {
        let found = volunteer_team::Entity::find_by_id(t)
            .filter(volunteer_team::Column::ProjectId.eq(p.id.as_str()))
            .one(db)
            .await
            .map_err(db_err)?;
        if found.is_none() {
            e.push(FieldError::new("team_id", "志愿服务队：不是本项目的服务队"));
        }
    }
    let people = enrolled(db, &p.id, &input.person_ids, "person_ids", "结对服务对象", &mut e).await?;
    validated(e)?;
    a.name = Set(name);
    a.team_id = Set(team.map(str::to_string));
    a.person_ids_json = Set(json_of(&people));
    Ok(())
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    project_id: &str,
    input: &VolunteerInput,
    now_ms: i64,
) -> AppResult<VolunteerView> {
    let mut a = volunteer::ActiveModel {
        id: Set(new_id()),
        project_id: Set(project_id.to_string()),
        created_ms: Set(now_ms),
        updated_ms: Set(now_ms),
        ..Default::default()
    };
    check(db, actor, keys, project_id, input, true, &mut a).await?;
    let m = a.insert(db).await.map_err(db_err)?;
    let v = super::one(views(db, keys, vec![m]).await?)?;
    Event::new(actor, now_ms, "volunteer.create", "volunteer", &v.id).after(&v).write(db).await?;
    Ok(v)
}

async fn find<C: ConnectionTrait>(db: &C, project_id: &str, id: &str) -> AppResult<volunteer::Model> {
    let cols = (volunteer::Column::Id, volunteer::Column::ProjectId);
    super::find_in::<volunteer::Entity, _>(db, cols, project_id, id, "志愿者").await
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    project_id: &str,
    id: &str,
    input: &VolunteerInput,
    now_ms: i64,
) -> AppResult<VolunteerView> {
    let p = super::project(db, actor, project_id).await?;
    let current = find(db, &p.id, id).await?;
    let before = super::one(views(db, keys, vec![current.clone()]).await?)?;
    let mut a = current.into_active_model();
    check(db, actor, keys, project_id, input, false, &mut a).await?;
    a.updated_ms = Set(now_ms);
    let m = a.update(db).await.map_err(db_err)?;
    let v = super::one(views(db, keys, vec![m]).await?)?;
    Event::new(actor, now_ms, "volunteer.update", "volunteer", id).before(&before).after(&v).write(db).await?;
    Ok(v)
}

/// A volunteer with their service time entries, newest first.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    project_id: &str,
    id: &str,
) -> AppResult<(VolunteerView, Vec<HoursView>)> {
    let p = super::project(db, actor, project_id).await?;
    let m = find(db, &p.id, id).await?;
    let hours = volunteer_hour::Entity::find()
        .filter(volunteer_hour::Column::VolunteerId.eq(m.id.as_str()))
        .order_by_desc(volunteer_hour::Column::ServedOn)
        .order_by_desc(volunteer_hour::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(hours_view)
        .collect();
    Ok((super::one(views(db, keys, vec![m]).await?)?, hours))
}

fn hours_view(h: volunteer_hour::Model) -> HoursView {
    HoursView { id: h.id, volunteer_id: h.volunteer_id, served_on: h.served_on, minutes: h.minutes, notes: h.notes }
}

/// Record a volunteer's service time on a day.
pub async fn add_hours<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    volunteer_id: &str,
    input: &HoursInput,
    now_ms: i64,
) -> AppResult<HoursView> {
    let p = super::project(db, actor, project_id).await?;
    let v = find(db, &p.id, volunteer_id).await?;
    let p = recordable(db, actor, &p.id).await?;
    let mut e: Vec<FieldError> = Vec::new();
    let served_on = work_date(input.served_on, &p, today(now_ms), "served_on", "服务日期", &mut e);
    let minutes = count(input.minutes, 24 * 60, "minutes", "服务时长（分钟）", &mut e);
    if minutes == 0 && !e.iter().any(|x| x.field == "minutes") {
        e.push(FieldError::new("minutes", "服务时长（分钟）：应大于0"));
    }
    validated(e)?;
    let h = volunteer_hour::ActiveModel {
        id: Set(new_id()),
        project_id: Set(p.id.clone()),
        volunteer_id: Set(v.id.clone()),
        served_on: Set(served_on),
        minutes: Set(minutes),
        notes: Set(input.notes.trim().to_string()),
        created_by: Set(actor.user_id.clone()),
        created_ms: Set(now_ms),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    let view = hours_view(h);
    Event::new(actor, now_ms, "volunteer.hours", "volunteer", &v.id).after(&view).write(db).await?;
    Ok(view)
}

/// The project's volunteers, newest first (of one team when `team_id` is given).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    project_id: &str,
    team_id: Option<&str>,
    page: &PageRequest,
) -> AppResult<Page<VolunteerView>> {
    let p = super::project(db, actor, project_id).await?;
    let mut q = volunteer::Entity::find().filter(volunteer::Column::ProjectId.eq(p.id.as_str()));
    if let Some(t) = team_id.filter(|s| !s.is_empty()) {
        q = q.filter(volunteer::Column::TeamId.eq(t));
    }
    let page = super::newest_first(db, q, volunteer::Column::Id, page, |r| r.id.clone()).await?;
    Ok(Page { items: views(db, keys, page.items).await?, next_cursor: page.next_cursor })
}
