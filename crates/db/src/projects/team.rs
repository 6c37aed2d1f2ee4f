//! The project team (项目团队): users of the organization (social workers, the lead, a supervisor)
//! and named volunteers without an account.

use domain::ids::Phone;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

use crate::audit::Event;
use crate::entity::{project_member, project_person, user};
use crate::{Actor, AppError, AppResult, FieldError, db_err, new_id};

/// lead / social_worker / volunteer / supervisor
pub const MEMBER_ROLES: [&str; 4] = ["lead", "social_worker", "volunteer", "supervisor"];

#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub id: String,
    pub project_id: String,
    pub user_id: Option<String>,
    pub name: String,
    pub role: String,
    pub phone: String,
    pub created_ms: i64,
}

fn member_view(m: project_member::Model) -> MemberView {
    MemberView {
        id: m.id,
        project_id: m.project_id,
        user_id: m.user_id,
        name: m.name,
        role: m.role,
        phone: m.phone,
        created_ms: m.created_ms,
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MemberInput {
    /// A user of the organization; empty for a named volunteer.
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub phone: String,
}

pub(crate) async fn members_of<C: ConnectionTrait>(db: &C, project_id: &str) -> AppResult<Vec<MemberView>> {
    Ok(project_member::Entity::find()
        .filter(project_member::Column::ProjectId.eq(project_id))
        .order_by_asc(project_member::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(member_view)
        .collect())
}

/// The team of a project in scope.
pub async fn members<C: ConnectionTrait>(db: &C, actor: &Actor, project_id: &str) -> AppResult<Vec<MemberView>> {
    Ok(super::get(db, actor, project_id).await?.members)
}

/// Add a member. The organization's people, a funder covering the project, or the lead.
pub async fn add_member<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    input: &MemberInput,
    now_ms: i64,
) -> AppResult<MemberView> {
    let p = super::get(db, actor, project_id).await?;
    if !super::may_manage(actor, &p) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Vec::new();
    if !MEMBER_ROLES.contains(&input.role.as_str()) {
        errors.push(FieldError::new("role", "角色：请从列表中选择"));
    }
    let phone = input.phone.trim();
    if !phone.is_empty() && Phone::parse(phone).is_err() {
        errors.push(FieldError::new("phone", "工作电话：请填写11位手机号码"));
    }
    let user_id = input.user_id.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let mut name = input.name.trim().to_string();
    if let Some(uid) = user_id {
        let u = user::Entity::find_by_id(uid).one(db).await.map_err(db_err)?;
        match u {
            Some(u) if actor.is_admin() || u.organization_id.as_deref() == Some(p.organization_id.as_str()) => {
                if p.members.iter().any(|m| m.user_id.as_deref() == Some(uid)) {
                    errors.push(FieldError::new("user_id", "成员：该用户已在团队中"));
                }
                if name.is_empty() {
                    name = u.display_name;
                }
            }
            _ => errors.push(FieldError::new("user_id", "成员：请选择本机构的用户")),
        }
    } else if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new("name", "姓名：志愿者请填写姓名，且不超过100字"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let m = project_member::ActiveModel {
        id: Set(new_id()),
        project_id: Set(p.id.clone()),
        user_id: Set(user_id.map(str::to_string)),
        name: Set(name),
        role: Set(input.role.clone()),
        phone: Set(phone.to_string()),
        created_ms: Set(now_ms),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    let v = member_view(m);
    Event::new(actor, now_ms, "project.member_add", "project", &p.id).after(&v).write(db).await?;
    Ok(v)
}

/// Remove a member; people paired with them keep their enrolment without a paired worker.
pub async fn remove_member(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    project_id: &str,
    member_id: &str,
    now_ms: i64,
) -> AppResult<()> {
    let p = super::get(db, actor, project_id).await?;
    if !super::may_manage(actor, &p) {
        return Err(AppError::Forbidden);
    }
    let m = p.members.iter().find(|m| m.id == member_id).ok_or_else(|| AppError::NotFound("团队成员".into()))?;
    let txn = db.begin().await.map_err(db_err)?;
    project_person::Entity::update_many()
        .col_expr(project_person::Column::WorkerMemberId, sea_orm::sea_query::Expr::value(Option::<String>::None))
        .filter(project_person::Column::ProjectId.eq(p.id.as_str()))
        .filter(project_person::Column::WorkerMemberId.eq(member_id))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    project_member::Entity::delete_by_id(member_id).exec(&txn).await.map_err(db_err)?;
    Event::new(actor, now_ms, "project.member_remove", "project", &p.id).before(m).write(&txn).await?;
    txn.commit().await.map_err(db_err)?;
    Ok(())
}

/// The active users of the project's organization that may join its team (id, display name),
/// for those who may manage the project.
pub async fn candidate_users<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
) -> AppResult<Vec<(String, String)>> {
    let p = super::get(db, actor, project_id).await?;
    if !super::may_manage(actor, &p) {
        return Ok(Vec::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::OrganizationId.eq(p.organization_id.as_str()))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Username)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .filter(|u| !p.members.iter().any(|m| m.user_id.as_deref() == Some(u.id.as_str())))
        .map(|u| (u.id, u.display_name))
        .collect())
}
