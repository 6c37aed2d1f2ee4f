//! Submit, withdraw and the submitted versions. Submitting is refused after the program's
//! application deadline; each submit stores a snapshot of what was submitted.

use domain::clock::shanghai_to_utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::{check_outputs, get_model, item_of, may_edit, set_status, view};
use crate::audit::Event;
use crate::entity::{application_version, phase};
use crate::{Actor, AppError, AppResult, db_err, new_id};

/// The application deadline of a program: an instant and how to say it (Asia/Shanghai).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub at_ms: i64,
    /// "2021-06-10 12:00".
    pub label: String,
}

/// Whether a phase is the application phase, by its name as documents write it.
fn is_application_phase(name: &str) -> bool {
    ["申报", "征集", "报送"].iter().any(|w| name.contains(w))
}

/// The deadline of the program's application phase: the first such phase with a deadline
/// (time of day included); else the end (24:00) of the first such phase with an end date;
/// `None` when the program states neither (no deadline is enforced).
pub async fn application_deadline<C: ConnectionTrait>(db: &C, program_id: &str) -> AppResult<Option<Deadline>> {
    let phases = phase::Entity::find()
        .filter(phase::Column::ProgramId.eq(program_id))
        .order_by_asc(phase::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let named = || phases.iter().filter(|p| is_application_phase(&p.name));
    if let Some(at_ms) = named().find_map(|p| p.deadline_ms) {
        let local = chrono::DateTime::from_timestamp_millis(at_ms)
            .map(|d| (d + chrono::Duration::hours(8)).naive_utc().format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        return Ok(Some(Deadline { at_ms, label: local }));
    }
    Ok(named().find_map(|p| p.ends_on).and_then(|end| {
        let next = end.succ_opt()?.and_hms_opt(0, 0, 0)?;
        Some(Deadline { at_ms: shanghai_to_utc(next).timestamp_millis(), label: format!("{end} 24:00") })
    }))
}

async fn before_deadline<C: ConnectionTrait>(db: &C, program_id: &str, now_ms: i64, verb: &str) -> AppResult<()> {
    match application_deadline(db, program_id).await? {
        Some(d) if now_ms >= d.at_ms => Err(AppError::Conflict(format!("申报截止时间（{}）已过，不能{verb}", d.label))),
        _ => Ok(()),
    }
}

/// Submit a draft (or a returned application): checked against the deadline and the required
/// outputs; the version number goes up and a snapshot is stored.
pub async fn submit<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str, now_ms: i64) -> AppResult<i32> {
    let current = get_model(db, actor, id).await?;
    if !may_edit(actor, &current) {
        return Err(AppError::Forbidden);
    }
    if current.status != "draft" && current.status != "returned" {
        return Err(AppError::Conflict("申报书当前状态不能提交".into()));
    }
    before_deadline(db, &current.program_id, now_ms, "提交").await?;
    let pending = super::joint::unconfirmed(db, &current.id).await?;
    if !pending.is_empty() {
        return Err(AppError::Conflict(format!("联合申报方尚未确认：{}；全部确认后才能提交", pending.join("、"))));
    }
    let v = view(&current);
    check_outputs(item_of(db, current.call_item_id.as_deref()).await?.as_ref(), &v.input, true)?;
    let version = current.version + 1;
    application_version::ActiveModel {
        id: Set(new_id()),
        application_id: Set(current.id.clone()),
        version: Set(version),
        snapshot_json: Set(serde_json::to_string(&v).unwrap_or_default()),
        created_ms: Set(now_ms),
        actor: Set(actor.username.clone()),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    let before = current.status.clone();
    set_status(db, current, "submitted", now_ms, |a| {
        a.version = Set(version);
        a.submitted_ms = Set(Some(now_ms));
    })
    .await?;
    Event::new(actor, now_ms, "application.submit", "application", id)
        .before(&before)
        .after(&serde_json::json!({"status": "submitted", "version": version}))
        .write(db)
        .await?;
    notify_screeners(db, &v, now_ms).await?;
    Ok(version)
}

/// Put a submitted application in the screening queue of the program's operator (承办单位), or of
/// the funder when the program has no operator.
async fn notify_screeners<C: ConnectionTrait>(db: &C, app: &super::ApplicationView, now_ms: i64) -> AppResult<()> {
    let Some(p) = crate::entity::program::Entity::find_by_id(app.program_id.as_str()).one(db).await.map_err(db_err)?
    else {
        return Ok(());
    };
    let (org, roles) = match &p.operator_id {
        Some(op) => (op.clone(), ["operator"]),
        None => (p.funder_id.clone(), ["funder_admin"]),
    };
    let users = crate::notifications::organization_users(db, &org, &roles).await?;
    let text = format!("新提交的申报书待初筛：{}", app.input.title);
    crate::notifications::notify(db, &users, "application.submitted", &text, "/admin/screening", now_ms).await
}

/// Withdraw an application before the deadline.
pub async fn withdraw<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str, now_ms: i64) -> AppResult<()> {
    let current = get_model(db, actor, id).await?;
    if !may_edit(actor, &current) {
        return Err(AppError::Forbidden);
    }
    if !["draft", "submitted", "returned"].contains(&current.status.as_str()) {
        return Err(AppError::Conflict("申报书当前状态不能撤回".into()));
    }
    before_deadline(db, &current.program_id, now_ms, "撤回").await?;
    let before = current.status.clone();
    set_status(db, current, "withdrawn", now_ms, |_| {}).await?;
    Event::new(actor, now_ms, "application.withdraw", "application", id)
        .before(&before)
        .after(&"withdrawn")
        .write(db)
        .await
}

/// The submitted versions of an application, oldest first: (version, at_ms, actor).
pub async fn versions<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
) -> AppResult<Vec<application_version::Model>> {
    let m = get_model(db, actor, id).await?;
    application_version::Entity::find()
        .filter(application_version::Column::ApplicationId.eq(m.id.as_str()))
        .order_by_asc(application_version::Column::Version)
        .all(db)
        .await
        .map_err(db_err)
}
