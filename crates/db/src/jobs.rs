//! Scheduled work kept in the database (`jobs`), so any number of app instances can run it.
//!
//! A job is claimed with one conditional UPDATE (`... WHERE id = ? AND status IN ('pending',
//! 'waiting')`, or a `running` job whose lock has expired) and the claim holds only if exactly
//! one row changed — portable to SQLite, PostgreSQL and MySQL without row locks. A claimed job
//! runs once; work that cannot finish yet (a notice with undisposed objections) becomes
//! `waiting` with a later `run_at_ms` and the reason in `last_error`, and is claimed again then;
//! an error is retried a few times, then `failed`.
//!
//! Kinds: `notice.close` (payload: the notice id) closes a public notice and makes its awards.

use std::sync::Arc;
use std::time::Duration;

use domain::clock::Clock;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entity::job;
use crate::{AppResult, db_err, new_id};

pub const NOTICE_CLOSE: &str = "notice.close";
/// How long a claim holds before another instance may take the job over.
const LOCK_MS: i64 = 5 * 60 * 1000;
/// When work that has to wait is looked at again.
const WAIT_MS: i64 = 60 * 60 * 1000;
const RETRY_MS: i64 = 5 * 60 * 1000;
const MAX_ATTEMPTS: i32 = 5;

/// Schedule a job; returns its id.
pub async fn schedule<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    payload: &str,
    run_at_ms: i64,
    now_ms: i64,
) -> AppResult<String> {
    let id = new_id();
    let row = job::ActiveModel {
        id: Set(id.clone()),
        kind: Set(kind.into()),
        payload: Set(payload.into()),
        run_at_ms: Set(run_at_ms),
        status: Set("pending".into()),
        attempts: Set(0),
        last_error: Set(String::new()),
        locked_until_ms: Set(0),
        created_ms: Set(now_ms),
        updated_ms: Set(now_ms),
    };
    job::Entity::insert(row).exec_without_returning(db).await.map_err(db_err)?;
    Ok(id)
}

/// Jobs of a kind and payload, newest first (for pages showing a notice's closing job).
pub async fn find<C: ConnectionTrait>(db: &C, kind: &str, payload: &str) -> AppResult<Vec<job::Model>> {
    job::Entity::find()
        .filter(job::Column::Kind.eq(kind))
        .filter(job::Column::Payload.eq(payload))
        .order_by_desc(job::Column::Id)
        .all(db)
        .await
        .map_err(db_err)
}

/// Claim one job: true only for the one caller whose UPDATE changed the row.
pub async fn claim<C: ConnectionTrait>(db: &C, id: &str, now_ms: i64) -> AppResult<bool> {
    let res = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value("running"))
        .col_expr(job::Column::LockedUntilMs, Expr::value(now_ms + LOCK_MS))
        .col_expr(job::Column::Attempts, Expr::col(job::Column::Attempts).add(1))
        .col_expr(job::Column::UpdatedMs, Expr::value(now_ms))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::RunAtMs.lte(now_ms))
        .filter(sea_orm::Condition::any().add(job::Column::Status.is_in(["pending", "waiting"])).add(
            sea_orm::Condition::all().add(job::Column::Status.eq("running")).add(job::Column::LockedUntilMs.lt(now_ms)),
        ))
        .exec(db)
        .await
        .map_err(db_err)?;
    Ok(res.rows_affected == 1)
}

/// What running one job came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    Done,
    /// Not possible yet: retried later; the reason is kept in `last_error`.
    Wait(String),
}

/// What one `run_due_jobs` call did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    pub done: u32,
    pub waiting: u32,
    pub failed: u32,
}

async fn finish<C: ConnectionTrait>(
    db: &C,
    id: &str,
    status: &str,
    run_at_ms: Option<i64>,
    err: &str,
    now_ms: i64,
) -> AppResult<()> {
    let mut q = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(status))
        .col_expr(job::Column::LastError, Expr::value(err))
        .col_expr(job::Column::LockedUntilMs, Expr::value(0))
        .col_expr(job::Column::UpdatedMs, Expr::value(now_ms));
    if let Some(at) = run_at_ms {
        q = q.col_expr(job::Column::RunAtMs, Expr::value(at));
    }
    q.filter(job::Column::Id.eq(id)).exec(db).await.map_err(db_err)?;
    Ok(())
}

async fn run_one(db: &DatabaseConnection, j: &job::Model, now_ms: i64) -> AppResult<JobOutcome> {
    match j.kind.as_str() {
        NOTICE_CLOSE => crate::notices::close(db, &j.payload, now_ms).await,
        other => Err(crate::AppError::Internal(format!("unknown job kind {other}"))),
    }
}

/// Claim and run every job due at `now_ms` (at most 50 per call).
pub async fn run_due_jobs(db: &DatabaseConnection, now_ms: i64) -> AppResult<RunReport> {
    let due = job::Entity::find()
        .filter(job::Column::RunAtMs.lte(now_ms))
        .filter(sea_orm::Condition::any().add(job::Column::Status.is_in(["pending", "waiting"])).add(
            sea_orm::Condition::all().add(job::Column::Status.eq("running")).add(job::Column::LockedUntilMs.lt(now_ms)),
        ))
        .order_by_asc(job::Column::RunAtMs)
        .limit(50)
        .all(db)
        .await
        .map_err(db_err)?;
    let mut report = RunReport::default();
    for j in due {
        if !claim(db, &j.id, now_ms).await? {
            continue;
        }
        match run_one(db, &j, now_ms).await {
            Ok(JobOutcome::Done) => {
                finish(db, &j.id, "done", None, "", now_ms).await?;
                report.done += 1;
            }
            Ok(JobOutcome::Wait(why)) => {
                finish(db, &j.id, "waiting", Some(now_ms + WAIT_MS), &why, now_ms).await?;
                report.waiting += 1;
            }
            Err(e) => {
                tracing::warn!(job = %j.id, kind = %j.kind, error = %e, "job failed");
                let attempts = j.attempts + 1;
                let (status, at) =
                    if attempts >= MAX_ATTEMPTS { ("failed", None) } else { ("pending", Some(now_ms + RETRY_MS)) };
                finish(db, &j.id, status, at, &e.to_string(), now_ms).await?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

/// Run due jobs every 30 seconds until the task is dropped or aborted (`gongyi serve` starts it).
pub fn spawn_worker(db: DatabaseConnection, clock: Arc<dyn Clock>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = run_due_jobs(&db, crate::now_ms(clock.as_ref())).await {
                tracing::error!(error = %e, "running due jobs");
            }
        }
    })
}
