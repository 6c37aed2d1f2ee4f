//! Public notices (公示): made from approved slate lines not yet on a notice, published by the
//! funder, open for objections (异议, `objections.rs`) during the period, closed by a job at the
//! end of the period (`closing.rs`), which makes the awards (立项).
//!
//! The period follows the program's `NoticeRule` on the official calendar
//! (`HolidayCalendar::notice_period`): it starts on the first working day after publication and
//! ends at 24:00 (Asia/Shanghai) of its last day. A period running into a year the calendar does
//! not cover is refused with the calendar's Chinese message.
//!
//! Scope: published and closed notices are public; drafts are seen by those covering the program.

mod closing;
mod objections;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use domain::clock::shanghai_to_utc;
use domain::money::Fen;
use domain::rules::{NoticeRule, ProgramRules};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionSession, TransactionTrait,
};
use serde::Serialize;

pub use closing::close;
pub use objections::{Disposition, ObjectionInput, ObjectionView, dispose, file_objection, objections};

use crate::audit::Event;
use crate::decision::{SlateLineView, covered_program, funded_program, views};
use crate::entity::{notice, program, slate_line};
use crate::{Actor, AppError, AppResult, db_err, new_id};

/// A notice as pages and the API show it, with its lines.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeView {
    pub id: String,
    pub program_id: String,
    pub program_name: String,
    pub seq: i32,
    pub title: String,
    pub status: String,
    /// "3个工作日" / "7天".
    pub rule_text: String,
    pub published_ms: Option<i64>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// 24:00 of the last day, as an instant.
    pub ends_ms: Option<i64>,
    pub closed_ms: Option<i64>,
    pub total: Fen,
    pub lines: Vec<SlateLineView>,
}

impl NoticeView {
    /// Whether objections may be filed at `now_ms`.
    pub fn open_at(&self, now_ms: i64) -> bool {
        self.status == "published"
            && self.starts_ms().is_some_and(|s| now_ms >= s)
            && self.ends_ms.is_some_and(|e| now_ms < e)
    }

    pub fn starts_ms(&self) -> Option<i64> {
        self.period_start.map(day_start_ms)
    }
}

/// 00:00 of a local (Asia/Shanghai) day, as epoch milliseconds.
pub fn day_start_ms(d: NaiveDate) -> i64 {
    shanghai_to_utc(NaiveDateTime::new(d, NaiveTime::MIN)).timestamp_millis()
}

pub fn rule_text(rule: NoticeRule) -> String {
    match rule {
        NoticeRule::WorkingDays(n) => format!("{n}个工作日"),
        NoticeRule::CalendarDays(n) => format!("{n}天"),
    }
}

pub(crate) async fn model<C: ConnectionTrait>(db: &C, id: &str) -> AppResult<notice::Model> {
    notice::Entity::find_by_id(id).one(db).await.map_err(db_err)?.ok_or_else(|| AppError::NotFound("公示".into()))
}

async fn view<C: ConnectionTrait>(db: &C, n: notice::Model) -> AppResult<NoticeView> {
    let p = crate::decision::program_model(db, &n.program_id).await?;
    let rows = slate_line::Entity::find()
        .filter(slate_line::Column::NoticeId.eq(n.id.as_str()))
        .order_by_asc(slate_line::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let lines = views(db, rows).await?;
    Ok(NoticeView {
        total: Fen(lines.iter().filter_map(|l| l.amount).map(|a| a.0).sum()),
        lines,
        id: n.id,
        program_id: n.program_id,
        program_name: p.name,
        seq: n.seq,
        title: n.title,
        status: n.status,
        rule_text: n.rule_text,
        published_ms: n.published_ms,
        period_start: n.period_start,
        period_end: n.period_end,
        ends_ms: n.ends_ms,
        closed_ms: n.closed_ms,
    })
}

/// A notice: public once published; a draft only for those covering the program.
pub async fn get<C: ConnectionTrait>(db: &C, actor: Option<&Actor>, id: &str) -> AppResult<NoticeView> {
    let n = model(db, id).await?;
    if n.status == "draft" {
        match actor {
            Some(a) => {
                covered_program(db, a, &n.program_id).await.map_err(|_| AppError::NotFound("公示".into()))?;
            }
            None => return Err(AppError::NotFound("公示".into())),
        }
    }
    view(db, n).await
}

/// Published and closed notices, newest first (the public portal), optionally of one program.
pub async fn public_list<C: ConnectionTrait>(db: &C, program_id: Option<&str>) -> AppResult<Vec<NoticeView>> {
    let mut q = notice::Entity::find().filter(notice::Column::Status.ne("draft"));
    if let Some(p) = program_id {
        q = q.filter(notice::Column::ProgramId.eq(p));
    }
    let mut out = Vec::new();
    for n in q.order_by_desc(notice::Column::PublishedMs).all(db).await.map_err(db_err)? {
        out.push(view(db, n).await?);
    }
    Ok(out)
}

/// All notices of a program (drafts included) for those covering it.
pub async fn of_program<C: ConnectionTrait>(db: &C, actor: &Actor, program_id: &str) -> AppResult<Vec<NoticeView>> {
    covered_program(db, actor, program_id).await?;
    let mut out = Vec::new();
    let rows = notice::Entity::find()
        .filter(notice::Column::ProgramId.eq(program_id))
        .order_by_asc(notice::Column::Seq)
        .all(db)
        .await
        .map_err(db_err)?;
    for n in rows {
        out.push(view(db, n).await?);
    }
    Ok(out)
}

/// Make a draft notice from the approved lines not yet on a notice. Funder only.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    program_id: &str,
    now_ms: i64,
) -> AppResult<String> {
    let p = funded_program(db, actor, program_id).await?;
    let txn = db.begin().await.map_err(db_err)?;
    let lines = slate_line::Entity::find()
        .filter(slate_line::Column::ProgramId.eq(&p.id))
        .filter(slate_line::Column::Status.eq("approved"))
        .filter(slate_line::Column::NoticeId.is_null())
        .all(&txn)
        .await
        .map_err(db_err)?;
    if lines.is_empty() {
        return Err(AppError::Conflict("没有尚未公示的已审批项目，无法生成公示".into()));
    }
    let seq = i32::try_from(
        notice::Entity::find().filter(notice::Column::ProgramId.eq(&p.id)).all(&txn).await.map_err(db_err)?.len(),
    )
    .unwrap_or(0)
        + 1;
    let id = new_id();
    let tracks: Vec<String> = lines.iter().map(|l| l.track_code.clone()).collect();
    let rule = notice_rule(&txn, &p, &tracks).await?;
    notice::ActiveModel {
        id: Set(id.clone()),
        program_id: Set(p.id.clone()),
        seq: Set(seq),
        title: Set(format!("{}拟立项项目公示（第{seq}批）", p.name).chars().take(200).collect()),
        status: Set("draft".into()),
        rule_text: Set(rule.map(rule_text).unwrap_or_default()),
        published_ms: Set(None),
        period_start: Set(None),
        period_end: Set(None),
        ends_ms: Set(None),
        closed_ms: Set(None),
        created_ms: Set(now_ms),
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    for l in lines {
        let mut a = l.into_active_model();
        a.notice_id = Set(Some(id.clone()));
        a.updated_ms = Set(now_ms);
        a.update(&txn).await.map_err(db_err)?;
    }
    Event::new(actor, now_ms, "notice.create", "notice", &id)
        .after(&serde_json::json!({ "seq": seq }))
        .write(&txn)
        .await?;
    txn.commit().await.map_err(db_err)?;
    Ok(id)
}

/// The notice period rule: the program's own, else the tracks' of the lines on the notice (the
/// Chongchuan document sets it per track); when tracks differ, the longest period applies.
async fn notice_rule<C: ConnectionTrait>(
    db: &C,
    p: &program::Model,
    track_codes: &[String],
) -> AppResult<Option<NoticeRule>> {
    if let Some(rule) = crate::programs::parse_rules(&p.rules_json).notice {
        return Ok(Some(rule));
    }
    let tracks = crate::entity::track::Entity::find()
        .filter(crate::entity::track::Column::ProgramId.eq(p.id.as_str()))
        .filter(crate::entity::track::Column::Code.is_in(track_codes.iter().cloned()))
        .all(db)
        .await
        .map_err(db_err)?;
    let rank = |r: &NoticeRule| match *r {
        NoticeRule::WorkingDays(n) => (n, 1),
        NoticeRule::CalendarDays(n) => (n, 0),
    };
    Ok(tracks
        .iter()
        .filter_map(|t| serde_json::from_str::<ProgramRules>(&t.rules_json).ok()?.notice)
        .max_by_key(|r| rank(r)))
}

async fn line_tracks<C: ConnectionTrait>(db: &C, notice_id: &str) -> AppResult<Vec<String>> {
    let lines =
        slate_line::Entity::find().filter(slate_line::Column::NoticeId.eq(notice_id)).all(db).await.map_err(db_err)?;
    Ok(lines.into_iter().map(|l| l.track_code).collect())
}

/// Publish a draft notice today (Asia/Shanghai date of `now_ms`): fixes the period, schedules
/// the closing job at its end and notifies the applicants on it. Funder only.
pub async fn publish<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    notice_id: &str,
    now_ms: i64,
) -> AppResult<NoticeView> {
    let n = model(db, notice_id).await?;
    let p = funded_program(db, actor, &n.program_id).await.map_err(|e| match e {
        AppError::Forbidden => AppError::Forbidden,
        _ => AppError::NotFound("公示".into()),
    })?;
    if n.status != "draft" {
        return Err(AppError::Conflict("该公示已发布".into()));
    }
    let rule = notice_rule(db, &p, &line_tracks(db, notice_id).await?)
        .await?
        .ok_or_else(|| AppError::field("period", "公示期：该计划未设置公示天数，请先在计划规则中设置"))?;
    let today = crate::visits::local_date(now_ms);
    let calendar = crate::calendar::load(db).await?;
    let period = calendar.notice_period(today, rule).map_err(|e| AppError::field("period", e.to_string()))?;
    let end_next = period.end.succ_opt().ok_or_else(|| AppError::Internal("date overflow".into()))?;
    let ends_ms = day_start_ms(end_next);

    let txn = db.begin().await.map_err(db_err)?;
    let mut a = n.clone().into_active_model();
    a.status = Set("published".into());
    a.rule_text = Set(rule_text(rule));
    a.published_ms = Set(Some(now_ms));
    a.period_start = Set(Some(period.start));
    a.period_end = Set(Some(period.end));
    a.ends_ms = Set(Some(ends_ms));
    a.update(&txn).await.map_err(db_err)?;
    crate::jobs::schedule(&txn, crate::jobs::NOTICE_CLOSE, &n.id, ends_ms, now_ms).await?;
    Event::new(actor, now_ms, "notice.publish", "notice", &n.id)
        .after(&serde_json::json!({ "period_start": period.start, "period_end": period.end, "rule": rule_text(rule) }))
        .write(&txn)
        .await?;
    let lines = slate_line::Entity::find()
        .filter(slate_line::Column::NoticeId.eq(n.id.as_str()))
        .all(&txn)
        .await
        .map_err(db_err)?;
    let (apps, _) =
        crate::decision::names(&txn, lines.iter().map(|l| l.application_id.clone()).collect(), vec![]).await?;
    for l in &lines {
        let title = apps.get(&l.application_id).cloned().unwrap_or_default();
        let text = format!("您的项目“{title}”已列入拟立项公示，公示期{}至{}", period.start, period.end);
        crate::notifications::notify_organization(
            &txn,
            &l.organization_id,
            "notice.published",
            &text,
            &format!("/notices/{}", n.id),
            now_ms,
        )
        .await?;
    }
    txn.commit().await.map_err(db_err)?;
    get(db, Some(actor), notice_id).await
}
