//! Joint applicants (联合申报方): the applicant lists other social organizations when the
//! program's (or track's) rules allow joint applications; each one's administrator confirms or
//! declines; submitting waits until every joint applicant has confirmed.

use domain::role::Role;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionSession, TransactionTrait,
};
use serde::Serialize;

use super::{get_model, may_edit};
use crate::audit::Event;
use crate::entity::{application, application_joint, organization};
use crate::{Actor, AppError, AppResult, FieldError, db_err, new_id};

/// A joint applicant as pages and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct JointView {
    pub application_id: String,
    pub organization_id: String,
    pub organization_name: String,
    pub uscc: String,
    /// pending / confirmed / declined.
    pub status: String,
    pub decided_ms: Option<i64>,
    /// The application's title and lead applicant (for the joint applicant's request list).
    pub application_title: String,
    pub lead_organization: String,
}

/// Whether the program's rules (the track's over the program's) allow joint applications.
async fn allowed<C: ConnectionTrait>(db: &C, m: &application::Model) -> AppResult<bool> {
    let p = crate::programs::get(db, Some(&Actor::system()), &m.program_id).await?;
    let track = p.tracks.iter().find(|t| t.code == m.track_code).and_then(|t| t.rules.joint_applications);
    Ok(track.or(p.rules.joint_applications) == Some(true))
}

async fn rows<C: ConnectionTrait>(db: &C, ids: &[String], by_org: bool) -> AppResult<Vec<JointView>> {
    let col = if by_org { application_joint::Column::OrganizationId } else { application_joint::Column::ApplicationId };
    let rows = application_joint::Entity::find()
        .filter(col.is_in(ids.iter().cloned()))
        .order_by_asc(application_joint::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let app_ids: Vec<String> = rows.iter().map(|r| r.application_id.clone()).collect();
    let apps =
        application::Entity::find().filter(application::Column::Id.is_in(app_ids)).all(db).await.map_err(db_err)?;
    let mut org_ids: Vec<String> = rows.iter().map(|r| r.organization_id.clone()).collect();
    org_ids.extend(apps.iter().map(|a| a.organization_id.clone()));
    let orgs =
        organization::Entity::find().filter(organization::Column::Id.is_in(org_ids)).all(db).await.map_err(db_err)?;
    let org = |id: &str| orgs.iter().find(|o| o.id == id);
    Ok(rows
        .into_iter()
        .map(|r| {
            let app = apps.iter().find(|a| a.id == r.application_id);
            JointView {
                organization_name: org(&r.organization_id).map(|o| o.name.clone()).unwrap_or_default(),
                uscc: org(&r.organization_id).and_then(|o| o.uscc.clone()).unwrap_or_default(),
                application_title: app.map(|a| a.title.clone()).unwrap_or_default(),
                lead_organization: app
                    .and_then(|a| org(&a.organization_id))
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                application_id: r.application_id,
                organization_id: r.organization_id,
                status: r.status,
                decided_ms: r.decided_ms,
            }
        })
        .collect())
}

/// The joint applicants of an application the actor can see.
pub async fn joint_applicants<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<Vec<JointView>> {
    let m = get_model(db, actor, id).await?;
    rows(db, &[m.id], false).await
}

/// Requests to the actor's organization to act as a joint applicant (newest answers included).
pub async fn joint_requests<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<Vec<JointView>> {
    match (&actor.organization_id, matches!(actor.role, Role::OrgAdmin | Role::OrgStaff)) {
        (Some(org), true) => rows(db, std::slice::from_ref(org), true).await,
        _ => Ok(Vec::new()),
    }
}

/// The organizations that confirmed being joint applicants of an application (no scope: for
/// conflict-of-interest avoidance in expert review).
pub async fn joint_applicant_ids<C: ConnectionTrait>(db: &C, application_id: &str) -> AppResult<Vec<String>> {
    Ok(application_joint::Entity::find()
        .filter(application_joint::Column::ApplicationId.eq(application_id))
        .filter(application_joint::Column::Status.eq("confirmed"))
        .order_by_asc(application_joint::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|r| r.organization_id)
        .collect())
}

/// Names of joint applicants of an application that have not confirmed yet.
pub(crate) async fn unconfirmed<C: ConnectionTrait>(db: &C, application_id: &str) -> AppResult<Vec<String>> {
    let all = rows(db, &[application_id.to_string()], false).await?;
    Ok(all.into_iter().filter(|j| j.status != "confirmed").map(|j| j.organization_name).collect())
}

/// Names of all listed joint applicants (the eligibility engine's fact).
pub(crate) async fn names<C: ConnectionTrait>(db: &C, application_id: &str) -> AppResult<Vec<String>> {
    Ok(rows(db, &[application_id.to_string()], false).await?.into_iter().map(|j| j.organization_name).collect())
}

/// Resolve a typed name or USCC to a social organization.
async fn find_org<C: ConnectionTrait>(db: &C, key: &str) -> AppResult<Option<organization::Model>> {
    let key = key.trim();
    organization::Entity::find()
        .filter(organization::Column::Kind.eq("social_org"))
        .filter(
            sea_orm::sea_query::Condition::any()
                .add(organization::Column::Name.eq(key))
                .add(organization::Column::Uscc.eq(key.to_uppercase())),
        )
        .one(db)
        .await
        .map_err(db_err)
}

/// Set the joint applicants of a draft (or returned) application from names or USCCs. Kept
/// ones keep their answer; new ones are asked to confirm; dropped ones are removed.
pub async fn set_joint_applicants<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    keys: &[String],
    now_ms: i64,
) -> AppResult<()> {
    let m = get_model(db, actor, id).await?;
    if !may_edit(actor, &m) {
        return Err(AppError::Forbidden);
    }
    if m.status != "draft" && m.status != "returned" {
        return Err(AppError::Conflict("申报书已提交，不能修改联合申报方".into()));
    }
    let keys: Vec<&str> = keys.iter().map(|k| k.trim()).filter(|k| !k.is_empty()).collect();
    if !keys.is_empty() && !allowed(db, &m).await? {
        return Err(AppError::field("joint", "联合申报方：本计划不允许联合申报"));
    }
    let mut orgs: Vec<organization::Model> = Vec::new();
    let mut e = Vec::new();
    for k in &keys {
        match find_org(db, k).await? {
            Some(o) if o.id == m.organization_id => {
                e.push(FieldError::new("joint", format!("联合申报方：“{k}”是申报单位本身")))
            }
            Some(o) => {
                if !orgs.iter().any(|x| x.id == o.id) {
                    orgs.push(o)
                }
            }
            None => {
                e.push(FieldError::new("joint", format!("联合申报方：找不到名称或统一社会信用代码为“{k}”的社会组织")))
            }
        }
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let txn = db.begin().await.map_err(db_err)?;
    let existing = application_joint::Entity::find()
        .filter(application_joint::Column::ApplicationId.eq(m.id.as_str()))
        .all(&txn)
        .await
        .map_err(db_err)?;
    for r in existing.iter().filter(|r| !orgs.iter().any(|o| o.id == r.organization_id)) {
        application_joint::Entity::delete_by_id(r.id.as_str()).exec(&txn).await.map_err(db_err)?;
    }
    let mut asked = Vec::new();
    for o in orgs.iter().filter(|o| !existing.iter().any(|r| r.organization_id == o.id)) {
        application_joint::ActiveModel {
            id: Set(new_id()),
            application_id: Set(m.id.clone()),
            organization_id: Set(o.id.clone()),
            status: Set("pending".into()),
            requested_ms: Set(now_ms),
            decided_ms: Set(None),
            decided_by: Set(None),
        }
        .insert(&txn)
        .await
        .map_err(db_err)?;
        asked.push(o.id.clone());
    }
    let names: Vec<&str> = orgs.iter().map(|o| o.name.as_str()).collect();
    Event::new(actor, now_ms, "application.joint", "application", id).after(&names).write(&txn).await?;
    let text = format!("“{}”邀请贵单位作为联合申报方，请在申报书列表中确认或拒绝", m.title);
    for org in &asked {
        let admins = crate::notifications::organization_users(&txn, org, &["org_admin"]).await?;
        crate::notifications::notify(&txn, &admins, "joint_request", &text, "/applications", now_ms).await?;
    }
    txn.commit().await.map_err(db_err)
}

/// A joint applicant's administrator confirms (`true`) or declines the request.
pub async fn answer_joint<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    application_id: &str,
    confirm: bool,
    now_ms: i64,
) -> AppResult<()> {
    actor.require(&[Role::OrgAdmin])?;
    let org = actor.organization_id.as_deref().ok_or(AppError::Forbidden)?;
    let row = application_joint::Entity::find()
        .filter(application_joint::Column::ApplicationId.eq(application_id))
        .filter(application_joint::Column::OrganizationId.eq(org))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("联合申报邀请".into()))?;
    let status = if confirm { "confirmed" } else { "declined" };
    let before = row.status.clone();
    let mut a = row.into_active_model();
    a.status = Set(status.into());
    a.decided_ms = Set(Some(now_ms));
    a.decided_by = Set(actor.user_id.clone());
    a.update(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "application.joint_answer", "application", application_id)
        .before(&before)
        .after(&status)
        .write(db)
        .await
}
