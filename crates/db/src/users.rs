//! Users: creation, roles and scopes, passwords, locale. Managed by administrators.

use domain::role::Role;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use crate::audit::Event;
use crate::auth::end_all_sessions;
use crate::entity::{organization, user};
use crate::passwords::{check_policy, hash_password, verify_password};
use crate::{Actor, AppError, AppResult, FieldError, Page, PageRequest, Scope, db_err, new_id};

/// What a user looks like outside the data layer (never the hash).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct UserView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub organization_id: Option<String>,
    pub area_code: Option<String>,
    pub program_id: Option<String>,
    pub locale: String,
    pub active: bool,
    pub locked: bool,
}

impl UserView {
    pub fn of(u: &user::Model, now_ms: i64) -> UserView {
        UserView {
            id: u.id.clone(),
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.clone(),
            organization_id: u.organization_id.clone(),
            area_code: u.area_code.clone(),
            program_id: u.program_id.clone(),
            locale: u.locale.clone(),
            active: u.active,
            locked: u.locked_until_ms.is_some_and(|t| t > now_ms),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub role: String,
    #[serde(default)]
    pub organization_id: Option<String>,
    #[serde(default)]
    pub area_code: Option<String>,
    /// Program scope (optional).
    #[serde(default)]
    pub program_id: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
}

fn may_manage_users(actor: &Actor) -> AppResult<()> {
    actor.require(&[Role::FunderAdmin])
}

/// Rows of the users table this actor may see.
fn scope_condition(actor: &Actor) -> Condition {
    match actor.scope() {
        Scope::All => Condition::all(),
        Scope::Area { code, organization_id } => {
            let mut c = Condition::any().add(user::Column::AreaCode.starts_with(code.as_str()));
            if let Some(org) = organization_id {
                c = c.add(user::Column::OrganizationId.eq(org));
            }
            c
        }
        Scope::Organization(org) => Condition::all().add(user::Column::OrganizationId.eq(org)),
        Scope::Public => Condition::all().add(user::Column::Id.eq("")),
    }
}

async fn validate<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: &UserInput,
    existing_id: Option<&str>,
) -> AppResult<Role> {
    let mut errors = Vec::new();
    let username = input.username.trim();
    if username.len() < 2
        || username.len() > 64
        || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        errors.push(FieldError::new("username", "用户名：2–64位字母、数字、点、下划线或连字符"));
    } else {
        let dup = user::Entity::find().filter(user::Column::Username.eq(username)).one(db).await.map_err(db_err)?;
        if dup.is_some_and(|d| Some(d.id.as_str()) != existing_id) {
            errors.push(FieldError::new("username", "用户名：已被使用"));
        }
    }
    if input.display_name.trim().is_empty() {
        errors.push(FieldError::new("display_name", "姓名：不能为空"));
    }
    let role = Role::parse(&input.role);
    match role {
        None => errors.push(FieldError::new("role", "角色：请选择角色")),
        Some(Role::SysAdmin) if !actor.is_admin() => {
            errors.push(FieldError::new("role", "角色：只有系统管理员可以授予该角色"))
        }
        Some(r) if r.is_org_bound() && input.organization_id.as_deref().unwrap_or("").is_empty() => {
            errors.push(FieldError::new("organization_id", "所属组织：该角色必须属于一个组织"))
        }
        Some(Role::FunderAdmin | Role::AreaOfficer) if input.area_code.as_deref().unwrap_or("").is_empty() => {
            errors.push(FieldError::new("area_code", "管辖区域：该角色必须设置管辖区域"))
        }
        _ => {}
    }
    if let Some(area) = input.area_code.as_deref().filter(|a| !a.is_empty())
        && !actor.covers_area(Some(area))
    {
        errors.push(FieldError::new("area_code", "管辖区域：超出您的管辖范围"));
    }
    if let Some(org_id) = input.organization_id.as_deref().filter(|o| !o.is_empty()) {
        let org = organization::Entity::find_by_id(org_id).one(db).await.map_err(db_err)?;
        match org {
            None => errors.push(FieldError::new("organization_id", "所属组织：不存在")),
            Some(o) if !actor.is_admin() && !actor.covers_area(o.area_code.as_deref()) => {
                errors.push(FieldError::new("organization_id", "所属组织：超出您的管辖范围"))
            }
            _ => {}
        }
    }
    if let Some(pid) = input.program_id.as_deref().filter(|p| !p.is_empty())
        && crate::programs::get(db, Some(actor), pid).await.is_err()
    {
        errors.push(FieldError::new("program_id", "所属计划：不存在或超出您的管辖范围"));
    }
    if let Some(p) = input.password.as_deref().filter(|p| !p.is_empty())
        && let Err(AppError::Validation(mut e)) = check_policy(p)
    {
        errors.append(&mut e);
    }
    match (errors.is_empty(), role) {
        (true, Some(r)) => Ok(r),
        _ => Err(AppError::Validation(errors)),
    }
}

fn none_if_empty(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Create a user. `password` is required.
pub async fn create<C: ConnectionTrait>(db: &C, actor: &Actor, input: &UserInput, now_ms: i64) -> AppResult<UserView> {
    may_manage_users(actor)?;
    let role = validate(db, actor, input, None).await?;
    let password = input
        .password
        .as_deref()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| AppError::field("password", "密码：不能为空"))?;
    let hash = hash_password(password)?;
    insert_with_hash(db, actor, input, role, hash, now_ms).await
}

/// Insert with an already computed hash (the demo loader hashes one password once).
pub async fn insert_with_hash<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: &UserInput,
    role: Role,
    hash: String,
    now_ms: i64,
) -> AppResult<UserView> {
    let m = user::ActiveModel {
        id: Set(new_id()),
        username: Set(input.username.trim().to_string()),
        display_name: Set(input.display_name.trim().to_string()),
        password_hash: Set(hash),
        role: Set(role.as_str().to_string()),
        organization_id: Set(none_if_empty(&input.organization_id)),
        area_code: Set(none_if_empty(&input.area_code)),
        program_id: Set(none_if_empty(&input.program_id)),
        locale: Set("zh-CN".into()),
        active: Set(input.active.unwrap_or(true)),
        failed_logins: Set(0),
        locked_until_ms: Set(None),
        created_ms: Set(now_ms),
        password_changed_ms: Set(now_ms),
        email: Set(None),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    let view = UserView::of(&m, now_ms);
    Event::new(actor, now_ms, "user.create", "user", &m.id).after(&view).write(db).await?;
    Ok(view)
}

/// Update name, role, scope and active flag; a new password when given.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    input: &UserInput,
    now_ms: i64,
) -> AppResult<UserView> {
    may_manage_users(actor)?;
    let current = get_model(db, actor, id).await?;
    let role = validate(db, actor, input, Some(id)).await?;
    let before = UserView::of(&current, now_ms);
    let mut a = current.into_active_model();
    a.username = Set(input.username.trim().to_string());
    a.display_name = Set(input.display_name.trim().to_string());
    a.role = Set(role.as_str().to_string());
    a.organization_id = Set(none_if_empty(&input.organization_id));
    a.area_code = Set(none_if_empty(&input.area_code));
    a.program_id = Set(none_if_empty(&input.program_id));
    if let Some(active) = input.active {
        a.active = Set(active);
    }
    if let Some(p) = input.password.as_deref().filter(|p| !p.is_empty()) {
        a.password_hash = Set(hash_password(p)?);
        a.password_changed_ms = Set(now_ms);
        a.failed_logins = Set(0);
        a.locked_until_ms = Set(None);
    }
    let m = a.update(db).await.map_err(db_err)?;
    if !m.active || input.password.as_deref().is_some_and(|p| !p.is_empty()) {
        end_all_sessions(db, id).await?;
    }
    let view = UserView::of(&m, now_ms);
    Event::new(actor, now_ms, "user.update", "user", id).before(&before).after(&view).write(db).await?;
    Ok(view)
}

async fn get_model<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<user::Model> {
    user::Entity::find_by_id(id)
        .filter(scope_condition(actor))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("用户".into()))
}

pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str, now_ms: i64) -> AppResult<UserView> {
    if actor.user_id.as_deref() != Some(id) {
        may_manage_users(actor)?;
    }
    let m = if actor.user_id.as_deref() == Some(id) {
        user::Entity::find_by_id(id).one(db).await.map_err(db_err)?.ok_or_else(|| AppError::NotFound("用户".into()))?
    } else {
        get_model(db, actor, id).await?
    };
    Ok(UserView::of(&m, now_ms))
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub q: Option<String>,
    pub role: Option<String>,
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &UserFilter,
    page: &PageRequest,
    now_ms: i64,
) -> AppResult<Page<UserView>> {
    may_manage_users(actor)?;
    let mut q = user::Entity::find().filter(scope_condition(actor));
    if let Some(text) = filter.q.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(
            Condition::any().add(user::Column::Username.contains(text)).add(user::Column::DisplayName.contains(text)),
        );
    }
    if let Some(r) = filter.role.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(user::Column::Role.eq(r));
    }
    if let Some(after) = &page.after {
        q = q.filter(user::Column::Id.gt(after.as_str()));
    }
    let limit = page.limit();
    let rows = q.order_by_asc(user::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    Ok(Page::from_rows(rows, limit, |u| u.id.clone()).map(|u| UserView::of(&u, now_ms)))
}

/// A user changes their own password, proving the current one.
pub async fn change_own_password<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    current: &str,
    new: &str,
    now_ms: i64,
) -> AppResult<()> {
    let id = actor.user_id.as_deref().ok_or(AppError::Unauthenticated)?;
    let u = user::Entity::find_by_id(id).one(db).await.map_err(db_err)?.ok_or(AppError::Unauthenticated)?;
    if !verify_password(current, &u.password_hash) {
        return Err(AppError::field("current_password", "当前密码：不正确"));
    }
    check_policy(new).map_err(|_| AppError::field("new_password", "新密码：至少8位，且须同时包含字母和数字"))?;
    let mut a = u.into_active_model();
    a.password_hash = Set(hash_password(new)?);
    a.password_changed_ms = Set(now_ms);
    a.update(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "user.change_password", "user", id).write(db).await
}

/// Reset a password by user name (the `gongyi user reset-password` command).
pub async fn reset_password<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    username: &str,
    new: &str,
    now_ms: i64,
) -> AppResult<()> {
    check_policy(new)?;
    let u = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .filter(scope_condition(actor))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound(format!("用户 {username} ")))?;
    let id = u.id.clone();
    let mut a = u.into_active_model();
    a.password_hash = Set(hash_password(new)?);
    a.password_changed_ms = Set(now_ms);
    a.failed_logins = Set(0);
    a.locked_until_ms = Set(None);
    a.update(db).await.map_err(db_err)?;
    end_all_sessions(db, &id).await?;
    Event::new(actor, now_ms, "user.reset_password", "user", &id).write(db).await
}

/// A user picks their interface language.
pub async fn set_locale<C: ConnectionTrait>(db: &C, actor: &Actor, locale: &str) -> AppResult<()> {
    let id = actor.user_id.as_deref().ok_or(AppError::Unauthenticated)?;
    let locale = if locale == "en" { "en" } else { "zh-CN" };
    let u = user::Entity::find_by_id(id).one(db).await.map_err(db_err)?.ok_or(AppError::Unauthenticated)?;
    let mut a = u.into_active_model();
    a.locale = Set(locale.to_string());
    a.update(db).await.map_err(db_err)?;
    Ok(())
}
