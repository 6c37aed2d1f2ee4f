//! Closing a notice at the end of its period (the `notice.close` job): in one transaction the
//! notice is closed and each line without an upheld objection becomes an award (立项, status
//! `final`). Undisposed objections block closing: the job waits and is retried later.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    TransactionSession, TransactionTrait,
};

use crate::audit::Event;
use crate::entity::{award, notice, objection, slate_line};
use crate::jobs::JobOutcome;
use crate::{Actor, AppError, AppResult, db_err, new_id};

/// Close a published notice whose period has ended and make its awards.
pub async fn close<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    notice_id: &str,
    now_ms: i64,
) -> AppResult<JobOutcome> {
    let txn = db.begin().await.map_err(db_err)?;
    let n = notice::Entity::find_by_id(notice_id)
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("公示".into()))?;
    if n.status == "closed" {
        return Ok(JobOutcome::Done);
    }
    if n.status != "published" {
        return Err(AppError::Conflict("公示尚未发布，不能结束".into()));
    }
    if n.ends_ms.is_none_or(|e| now_ms < e) {
        return Ok(JobOutcome::Wait("公示期尚未结束".into()));
    }
    let objections =
        objection::Entity::find().filter(objection::Column::NoticeId.eq(notice_id)).all(&txn).await.map_err(db_err)?;
    let pending = objections.iter().filter(|o| o.status == "pending").count();
    if pending > 0 {
        return Ok(JobOutcome::Wait(format!("尚有{pending}件异议未处理，处理后才能结束公示")));
    }
    let lines = slate_line::Entity::find()
        .filter(slate_line::Column::NoticeId.eq(notice_id))
        .all(&txn)
        .await
        .map_err(db_err)?;
    let system = Actor::system();
    let mut awarded = 0;
    for l in &lines {
        let upheld = objections.iter().any(|o| o.slate_line_id == l.id && o.status == "upheld");
        let Some(amount) = l.amount_fen.filter(|_| !upheld && l.status == "approved") else {
            continue;
        };
        let id = new_id();
        award::ActiveModel {
            id: Set(id.clone()),
            program_id: Set(l.program_id.clone()),
            application_id: Set(l.application_id.clone()),
            organization_id: Set(l.organization_id.clone()),
            call_item_id: Set(l.call_item_id.clone()),
            track_code: Set(l.track_code.clone()),
            amount_fen: Set(amount),
            status: Set("final".into()),
            notice_id: Set(notice_id.to_string()),
            awarded_ms: Set(now_ms),
        }
        .insert(&txn)
        .await
        .map_err(db_err)?;
        Event::new(&system, now_ms, "award.create", "award", &id)
            .after(&serde_json::json!({ "application_id": l.application_id, "amount_fen": amount }))
            .write(&txn)
            .await?;
        crate::notifications::notify_organization(
            &txn,
            &l.organization_id,
            "award.final",
            "您的项目公示期满，已正式立项",
            &format!("/results/{}", l.program_id),
            now_ms,
        )
        .await?;
        // the award becomes a project (项目) with the application's outputs as its targets
        crate::projects::create_from_award(&txn, &system, &id, now_ms).await?;
        awarded += 1;
    }
    let mut a = n.into_active_model();
    a.status = Set("closed".into());
    a.closed_ms = Set(Some(now_ms));
    a.update(&txn).await.map_err(db_err)?;
    Event::new(&system, now_ms, "notice.close", "notice", notice_id)
        .after(&serde_json::json!({ "awards": awarded }))
        .write(&txn)
        .await?;
    txn.commit().await.map_err(db_err)?;
    Ok(JobOutcome::Done)
}
