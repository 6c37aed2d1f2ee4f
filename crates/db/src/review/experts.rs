//! The expert pool (专家库): who may be drawn, their fields, affiliation and declared relations.

use std::collections::HashMap;

use domain::role::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::{MANAGERS, json_list, to_json};
use crate::audit::Event;
use crate::entity::{expert, organization, user};
use crate::{Actor, AppError, AppResult, FieldError, db_err, new_id};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpertInput {
    pub name: String,
    /// The reviewer user who signs in as this expert.
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub fields: Vec<String>,
    #[serde(default)]
    pub organization_id: Option<String>,
    #[serde(default)]
    pub area_code: Option<String>,
    /// Organization ids the expert declared a relation with (must avoid).
    #[serde(default)]
    pub relations: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize)]
pub struct ExpertView {
    pub id: String,
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub name: String,
    pub fields: Vec<String>,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub area_code: Option<String>,
    pub relations: Vec<String>,
    pub active: bool,
}

impl ExpertView {
    /// The expert as the draw sees them.
    pub fn to_domain(&self) -> domain::review::Expert {
        domain::review::Expert {
            id: self.id.clone(),
            name: self.name.clone(),
            fields: self.fields.clone(),
            organization_id: self.organization_id.clone(),
            area_code: self.area_code.clone(),
            relations: self.relations.clone(),
        }
    }
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

async fn validate<C: ConnectionTrait>(db: &C, input: &ExpertInput) -> AppResult<ExpertInput> {
    let mut e = Vec::new();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        e.push(FieldError::new("name", "姓名：不能为空，且不超过100字"));
    }
    let fields: Vec<String> =
        input.fields.iter().map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect::<Vec<_>>();
    if fields.is_empty() {
        e.push(FieldError::new("fields", "专业领域：至少填写一个领域"));
    }
    let area_code = clean(&input.area_code);
    if let Some(code) = &area_code
        && (!code.chars().all(|c| c.is_ascii_digit()) || code.len() > 12)
    {
        e.push(FieldError::new("area_code", "所在地区：应为不超过12位的统计区划代码"));
    }
    let user_id = clean(&input.user_id);
    if let Some(uid) = &user_id {
        let u = user::Entity::find_by_id(uid.as_str()).one(db).await.map_err(db_err)?;
        if u.is_none_or(|u| u.role != Role::Reviewer.as_str()) {
            e.push(FieldError::new("user_id", "登录账号：应为角色为“评审专家”的用户"));
        }
    }
    let organization_id = clean(&input.organization_id);
    let relations: Vec<String> =
        input.relations.iter().map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect();
    let mut known = relations.clone();
    known.extend(organization_id.clone());
    if !known.is_empty() {
        let found = organization::Entity::find()
            .filter(organization::Column::Id.is_in(known.clone()))
            .all(db)
            .await
            .map_err(db_err)?;
        for id in known {
            if !found.iter().any(|o| o.id == id) {
                e.push(FieldError::new("relations", format!("关联单位：找不到编号为“{id}”的单位")));
            }
        }
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    Ok(ExpertInput { name, user_id, fields, organization_id, area_code, relations, active: input.active })
}

async fn views<C: ConnectionTrait>(db: &C, rows: Vec<expert::Model>) -> AppResult<Vec<ExpertView>> {
    let org_ids: Vec<String> = rows.iter().filter_map(|r| r.organization_id.clone()).collect();
    let orgs: HashMap<String, String> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let user_ids: Vec<String> = rows.iter().filter_map(|r| r.user_id.clone()).collect();
    let users: HashMap<String, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| (u.id, u.username))
        .collect();
    Ok(rows
        .into_iter()
        .map(|m| ExpertView {
            username: m.user_id.as_ref().and_then(|u| users.get(u).cloned()),
            organization_name: m.organization_id.as_ref().and_then(|o| orgs.get(o).cloned()),
            fields: json_list(&m.fields_json),
            relations: json_list(&m.relations_json),
            id: m.id,
            user_id: m.user_id,
            name: m.name,
            organization_id: m.organization_id,
            area_code: m.area_code,
            active: m.active,
        })
        .collect())
}

/// The pool, by name. Funders, operators and administrators only (others: not found).
pub async fn list_experts<C: ConnectionTrait>(db: &C, actor: &Actor, active_only: bool) -> AppResult<Vec<ExpertView>> {
    actor.require(&MANAGERS).map_err(|_| AppError::NotFound("专家库".into()))?;
    let mut q = expert::Entity::find();
    if active_only {
        q = q.filter(expert::Column::Active.eq(true));
    }
    let rows = q.order_by_asc(expert::Column::Name).order_by_asc(expert::Column::Id).all(db).await.map_err(db_err)?;
    views(db, rows).await
}

pub async fn get_expert<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<ExpertView> {
    actor.require(&MANAGERS).map_err(|_| AppError::NotFound("专家".into()))?;
    let m = expert::Entity::find_by_id(id).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound("专家".into()))?;
    views(db, vec![m]).await?.pop().ok_or(AppError::NotFound("专家".into()))
}

/// The expert record of a reviewer user.
pub async fn expert_for_user<C: ConnectionTrait>(db: &C, user_id: &str) -> AppResult<Option<expert::Model>> {
    expert::Entity::find().filter(expert::Column::UserId.eq(user_id)).one(db).await.map_err(db_err)
}

fn fields(input: &ExpertInput, now_ms: i64) -> expert::ActiveModel {
    expert::ActiveModel {
        user_id: Set(input.user_id.clone()),
        name: Set(input.name.clone()),
        fields_json: Set(to_json(&input.fields)),
        organization_id: Set(input.organization_id.clone()),
        area_code: Set(input.area_code.clone()),
        relations_json: Set(to_json(&input.relations)),
        active: Set(input.active),
        updated_ms: Set(now_ms),
        ..Default::default()
    }
}

pub async fn create_expert<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: &ExpertInput,
    now_ms: i64,
) -> AppResult<String> {
    actor.require(&MANAGERS)?;
    let input = validate(db, input).await?;
    let id = new_id();
    let mut a = fields(&input, now_ms);
    a.id = Set(id.clone());
    a.created_ms = Set(now_ms);
    a.insert(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "expert.create", "expert", &id).after(&input).write(db).await?;
    Ok(id)
}

pub async fn update_expert<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    input: &ExpertInput,
    now_ms: i64,
) -> AppResult<()> {
    let before = get_expert(db, actor, id).await?;
    let input = validate(db, input).await?;
    let mut a = fields(&input, now_ms);
    a.id = Set(before.id.clone());
    a.update(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "expert.update", "expert", id).before(&before).after(&input).write(db).await
}

/// Choices for the expert form: reviewer accounts (id, "username · display name") and
/// organizations (id, name), each sorted by name.
pub async fn expert_form_choices<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> AppResult<(Vec<(String, String)>, Vec<(String, String)>)> {
    actor.require(&MANAGERS).map_err(|_| AppError::NotFound("专家库".into()))?;
    let users = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Reviewer.as_str()))
        .order_by_asc(user::Column::Username)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| (u.id, format!("{} · {}", u.username, u.display_name)))
        .collect();
    let orgs = organization::Entity::find()
        .order_by_asc(organization::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok((users, orgs))
}
