//! The visits of a project (drill-down, keyset paged, newest first) and the supervisor's review
//! of flagged visits: confirm or reject with a note (audited); a rejected visit does not count.

use std::collections::HashMap;

use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionSession, TransactionTrait,
};

use super::{VisitView, view};
use crate::audit::Event;
use crate::entity::{person, user, visit};
use crate::{Actor, AppError, AppResult, FieldError, Page, PageRequest, db_err};

#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    /// A project-person (enrolment) id or a person id.
    pub person: Option<String>,
    /// ok | flagged | confirmed | rejected
    pub review: Option<String>,
    pub worker_user_id: Option<String>,
}

/// Display names of users by id.
pub async fn worker_names<C: ConnectionTrait>(db: &C, ids: &[String]) -> AppResult<HashMap<String, String>> {
    let rows: Vec<(String, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::DisplayName)
        .filter(user::Column::Id.is_in(ids.iter().cloned()))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().collect())
}

async fn person_names<C: ConnectionTrait>(db: &C, ids: &[String]) -> AppResult<HashMap<String, String>> {
    let rows: Vec<(String, String)> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .column(person::Column::Name)
        .filter(person::Column::Id.is_in(ids.iter().cloned()))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().collect())
}

pub(crate) async fn views<C: ConnectionTrait>(db: &C, rows: &[visit::Model]) -> AppResult<Vec<VisitView>> {
    let workers: Vec<String> = rows.iter().map(|r| r.worker_user_id.clone()).collect();
    let people: Vec<String> = rows.iter().map(|r| r.person_id.clone()).collect();
    let (w, p) = (worker_names(db, &workers).await?, person_names(db, &people).await?);
    let name = |m: &HashMap<String, String>, k: &str| m.get(k).cloned().unwrap_or_default();
    Ok(rows.iter().map(|r| view(r, &name(&p, &r.person_id), &name(&w, &r.worker_user_id))).collect())
}

fn cursor(v: &visit::Model) -> String {
    format!("{}_{}", v.occurred_ms, v.id)
}

/// The visits of a project in scope, newest first, `page.after` = the last cursor seen.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    filter: &VisitFilter,
    page: &PageRequest,
) -> AppResult<Page<VisitView>> {
    let p = crate::projects::get(db, actor, project_id).await?;
    let mut q = visit::Entity::find().filter(visit::Column::ProjectId.eq(p.id.as_str()));
    if let Some(who) = filter.person.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(Condition::any().add(visit::Column::ProjectPersonId.eq(who)).add(visit::Column::PersonId.eq(who)));
    }
    if let Some(r) = filter.review.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(visit::Column::Review.eq(r));
    }
    if let Some(w) = filter.worker_user_id.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(visit::Column::WorkerUserId.eq(w));
    }
    if let Some((ms, id)) = page.after.as_deref().and_then(|a| a.split_once('_')) {
        let ms: i64 = ms.parse().map_err(|_| AppError::field("after", "分页：游标无效"))?;
        q = q.filter(
            Condition::any()
                .add(visit::Column::OccurredMs.lt(ms))
                .add(Condition::all().add(visit::Column::OccurredMs.eq(ms)).add(visit::Column::Id.lt(id))),
        );
    }
    let limit = page.limit();
    let rows = q
        .order_by_desc(visit::Column::OccurredMs)
        .order_by_desc(visit::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await
        .map_err(db_err)?;
    let page = Page::from_rows(rows, limit, cursor);
    let items = views(db, &page.items).await?;
    Ok(Page { items, next_cursor: page.next_cursor })
}

async fn find<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
) -> AppResult<(visit::Model, crate::projects::ProjectView)> {
    let nf = || AppError::NotFound("探访记录".into());
    let m = visit::Entity::find_by_id(id).one(db).await.map_err(db_err)?.ok_or_else(nf)?;
    let p = crate::projects::get(db, actor, &m.project_id).await.map_err(|_| nf())?;
    Ok((m, p))
}

/// One visit in scope.
pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<VisitView> {
    let (m, _) = find(db, actor, id).await?;
    views(db, &[m]).await?.pop().ok_or_else(|| AppError::NotFound("探访记录".into()))
}

/// Confirm (`confirmed`) or reject (`rejected`, a note is required) a visit. Supervisors only;
/// the worker who recorded it may not review it. Audited with the state before and after.
pub async fn decide<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    decision: &str,
    note: &str,
    now_ms: i64,
) -> AppResult<VisitView> {
    let (m, p) = find(db, actor, id).await?;
    if !crate::projects::may_supervise(actor, &p) || actor.user_id.as_deref() == Some(m.worker_user_id.as_str()) {
        return Err(AppError::Forbidden);
    }
    let note = note.trim();
    if decision != "confirmed" && decision != "rejected" {
        return Err(AppError::Validation(vec![FieldError::new("decision", "审核结果：请选择确认或不予认可")]));
    }
    if decision == "rejected" && note.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("note", "审核意见：不予认可时必须说明理由")]));
    }
    if note.chars().count() > 1000 {
        return Err(AppError::Validation(vec![FieldError::new("note", "审核意见：不能超过1000字")]));
    }
    let before = serde_json::json!({ "review": m.review, "review_note": m.review_note });
    let mut am: visit::ActiveModel = m.into();
    am.review = Set(decision.to_string());
    am.reviewed_by = Set(actor.user_id.clone());
    am.reviewed_ms = Set(Some(now_ms));
    am.review_note = Set(note.to_string());
    let txn = db.begin().await.map_err(db_err)?;
    let m = am.update(&txn).await.map_err(db_err)?;
    super::tally::rebuild(&txn, &m.project_person_id, now_ms).await?;
    let after = serde_json::json!({ "review": decision, "review_note": note });
    Event::new(actor, now_ms, "visit.review", "visit", id).before(&before).after(&after).write(&txn).await?;
    txn.commit().await.map_err(db_err)?;
    views(db, &[m]).await?.pop().ok_or_else(|| AppError::NotFound("探访记录".into()))
}
