//! A reviewer's side: the queue of assignments, the conflict-of-interest declaration (利益冲突
//!声明), the scorecard (save a draft, sign = lock). A reviewer reads only their own assignments;
//! anything else is "not found".

use std::collections::{BTreeMap, HashMap};

use domain::review::{Rubric, Score, Scorecard};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::{card_of, rubric_of, to_json};
use crate::applications::{ApplicationView, view};
use crate::audit::Event;
use crate::entity::{application, call_item, organization, review_assignment as ra, review_panel, scorecard};
use crate::{Actor, AppError, AppResult, FieldError, db_err, new_id};

/// One assignment as the reviewer sees it. `applicant` is the organization's name, or its blind
/// label (申报单位A …) on a blind panel.
#[derive(Debug, Clone, Serialize)]
pub struct AssignmentView {
    pub id: String,
    pub panel_id: String,
    pub panel_name: String,
    pub application_id: String,
    pub title: String,
    pub applicant: String,
    pub blind: bool,
    pub call_item: String,
    /// pending / active / conflict
    pub status: String,
    pub reason: String,
    /// none / draft / signed
    pub card: String,
    pub total: Option<Score>,
}

/// What the reviewer opens: the assignment, the application (once no conflict is declared), the
/// rubric and their card.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewItem {
    pub assignment: AssignmentView,
    /// Present only after the reviewer declared no conflict. On blind panels the organization id
    /// is blanked.
    pub application: Option<ApplicationView>,
    pub rubric: Rubric,
    pub card: Option<Scorecard>,
}

/// A scorecard as entered: scores as text ("17.5"), ticked knock-out codes, a comment.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct CardInput {
    #[serde(default)]
    pub scores: BTreeMap<String, String>,
    #[serde(default)]
    pub knockouts: Vec<String>,
    #[serde(default)]
    pub comment: String,
}

async fn assignment<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<ra::Model> {
    let uid = actor.user_id.as_deref().ok_or_else(|| AppError::NotFound("评审任务".into()))?;
    ra::Entity::find_by_id(id)
        .filter(ra::Column::UserId.eq(uid))
        .filter(ra::Column::Status.is_in(["pending", "active"]))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("评审任务".into()))
}

async fn views<C: ConnectionTrait>(db: &C, rows: Vec<ra::Model>) -> AppResult<Vec<AssignmentView>> {
    let panels: HashMap<String, review_panel::Model> = review_panel::Entity::find()
        .filter(review_panel::Column::Id.is_in(rows.iter().map(|r| r.panel_id.clone())))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    let apps: HashMap<String, application::Model> = application::Entity::find()
        .filter(application::Column::Id.is_in(rows.iter().map(|r| r.application_id.clone())))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    let orgs: HashMap<String, String> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(apps.values().map(|a| a.organization_id.clone())))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let items: HashMap<String, String> = call_item::Entity::find()
        .filter(call_item::Column::Id.is_in(apps.values().filter_map(|a| a.call_item_id.clone())))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|i| (i.id, format!("{} {}", i.code, i.name)))
        .collect();
    let cards: HashMap<String, scorecard::Model> = scorecard::Entity::find()
        .filter(scorecard::Column::AssignmentId.is_in(rows.iter().map(|r| r.id.clone())))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| (c.assignment_id.clone(), c))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let panel = panels.get(&r.panel_id)?;
            let app = apps.get(&r.application_id)?;
            let card = cards.get(&r.id);
            Some(AssignmentView {
                panel_name: panel.name.clone(),
                title: app.title.clone(),
                applicant: if panel.blind {
                    r.blind_label.clone()
                } else {
                    orgs.get(&app.organization_id).cloned().unwrap_or_default()
                },
                blind: panel.blind,
                call_item: app.call_item_id.as_ref().and_then(|i| items.get(i).cloned()).unwrap_or_default(),
                card: match card {
                    Some(c) if c.signed => "signed",
                    Some(_) => "draft",
                    None => "none",
                }
                .into(),
                total: card.map(|c| Score::from_ten_thousandths(rubric_of(panel).weighted_total_e4(&card_of(c)))),
                id: r.id,
                panel_id: r.panel_id,
                application_id: r.application_id,
                status: r.status,
                reason: r.reason,
            })
        })
        .collect())
}

/// The reviewer's queue: their pending and active assignments, oldest panel first.
pub async fn my_assignments<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<Vec<AssignmentView>> {
    let Some(uid) = actor.user_id.as_deref() else { return Ok(Vec::new()) };
    let rows = ra::Entity::find()
        .filter(ra::Column::UserId.eq(uid))
        .filter(ra::Column::Status.is_in(["pending", "active"]))
        .order_by_asc(ra::Column::PanelId)
        .order_by_asc(ra::Column::BlindLabel)
        .order_by_asc(ra::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    views(db, rows).await
}

/// One assignment of the reviewer with the application (after the declaration) and their card.
pub async fn review_item<C: ConnectionTrait>(db: &C, actor: &Actor, assignment_id: &str) -> AppResult<ReviewItem> {
    let a = assignment(db, actor, assignment_id).await?;
    let panel = review_panel::Entity::find_by_id(a.panel_id.as_str())
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("评审任务".into()))?;
    let application = if a.status == "active" {
        let m = application::Entity::find_by_id(a.application_id.as_str())
            .one(db)
            .await
            .map_err(db_err)?
            .ok_or_else(|| AppError::NotFound("申报书".into()))?;
        let mut v = view(&m);
        if panel.blind {
            v.organization_id = String::new();
        }
        Some(v)
    } else {
        None
    };
    let card = scorecard::Entity::find()
        .filter(scorecard::Column::AssignmentId.eq(a.id.as_str()))
        .one(db)
        .await
        .map_err(db_err)?
        .map(|c| card_of(&c));
    let assignment = views(db, vec![a]).await?.pop().ok_or_else(|| AppError::NotFound("评审任务".into()))?;
    Ok(ReviewItem { assignment, application, rubric: rubric_of(&panel), card })
}

/// Declare no conflict (the application opens) or a conflict with its reason (the reviewer is
/// removed from the application; recorded). Only while no scorecard is signed.
pub async fn declare<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    assignment_id: &str,
    conflict: bool,
    reason: &str,
    now_ms: i64,
) -> AppResult<()> {
    let a = assignment(db, actor, assignment_id).await?;
    let reason = reason.trim();
    if conflict && reason.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new(
            "reason",
            "利益冲突情形：声明存在利益冲突时须说明情形",
        )]));
    }
    if a.status == "active" && !conflict {
        return Ok(());
    }
    let card = scorecard::Entity::find()
        .filter(scorecard::Column::AssignmentId.eq(a.id.as_str()))
        .one(db)
        .await
        .map_err(db_err)?;
    if card.as_ref().is_some_and(|c| c.signed) {
        return Err(AppError::Conflict("评分表已签名锁定，不能再声明利益冲突".into()));
    }
    let status = if conflict { "conflict" } else { "active" };
    let before = a.status.clone();
    let mut m: ra::ActiveModel = a.into();
    m.status = Set(status.into());
    m.reason = Set(if conflict { format!("本人声明存在利益冲突：{reason}") } else { String::new() });
    m.declared_ms = Set(Some(now_ms));
    m.update(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "review_assignment.declare", "review_assignment", assignment_id)
        .before(&serde_json::json!({ "status": before }))
        .after(&serde_json::json!({ "status": status, "conflict": conflict, "reason": reason }))
        .write(db)
        .await
}

fn parse_card(rubric: &Rubric, expert_id: &str, input: &CardInput) -> AppResult<Scorecard> {
    let mut errors = Vec::new();
    let mut scores = BTreeMap::new();
    for (code, text) in &input.scores {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let name = rubric.criterion(code).map_or(code.as_str(), |c| c.name.as_str());
        match Score::parse(text) {
            Ok(s) => {
                scores.insert(code.clone(), s);
            }
            Err(_) => errors.push(FieldError::new(
                format!("scores.{code}"),
                format!("“{name}”：请输入不小于0的数字，最多两位小数"),
            )),
        }
    }
    let card = Scorecard {
        expert_id: expert_id.to_string(),
        scores,
        knockouts_failed: input.knockouts.iter().filter(|k| !k.is_empty()).cloned().collect(),
        comment: input.comment.trim().to_string(),
        signed: false,
    };
    // a draft may leave criteria empty; everything else must already be right
    if let Err(e) = card.validate(rubric) {
        errors.extend(e.into_iter().filter(|e| !e.message.ends_with("未评分")));
    }
    if errors.is_empty() { Ok(card) } else { Err(AppError::Validation(errors)) }
}

/// Save the reviewer's draft scorecard. A signed card cannot change.
pub async fn save_card<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    assignment_id: &str,
    input: &CardInput,
    now_ms: i64,
) -> AppResult<()> {
    let a = assignment(db, actor, assignment_id).await?;
    if a.status != "active" {
        return Err(AppError::Conflict("请先作利益冲突声明".into()));
    }
    let panel = review_panel::Entity::find_by_id(a.panel_id.as_str())
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("评审任务".into()))?;
    let card = parse_card(&rubric_of(&panel), &a.expert_id, input)?;
    let existing = scorecard::Entity::find()
        .filter(scorecard::Column::AssignmentId.eq(a.id.as_str()))
        .one(db)
        .await
        .map_err(db_err)?;
    match existing {
        Some(c) => {
            // the lock lives in the statement too: a signed row is never updated
            let res = scorecard::Entity::update_many()
                .col_expr(scorecard::Column::ScoresJson, Expr::value(to_json(&card.scores)))
                .col_expr(scorecard::Column::KnockoutsJson, Expr::value(to_json(&card.knockouts_failed)))
                .col_expr(scorecard::Column::Comment, Expr::value(card.comment.clone()))
                .col_expr(scorecard::Column::UpdatedMs, Expr::value(now_ms))
                .filter(scorecard::Column::Id.eq(c.id.as_str()))
                .filter(scorecard::Column::Signed.eq(false))
                .exec(db)
                .await
                .map_err(db_err)?;
            if res.rows_affected == 0 {
                return Err(AppError::Conflict("评分表已签名锁定，不能修改".into()));
            }
        }
        None => {
            scorecard::ActiveModel {
                id: Set(new_id()),
                assignment_id: Set(a.id.clone()),
                panel_id: Set(a.panel_id.clone()),
                application_id: Set(a.application_id.clone()),
                expert_id: Set(a.expert_id.clone()),
                scores_json: Set(to_json(&card.scores)),
                knockouts_json: Set(to_json(&card.knockouts_failed)),
                comment: Set(card.comment.clone()),
                signed: Set(false),
                signed_ms: Set(None),
                updated_ms: Set(now_ms),
            }
            .insert(db)
            .await
            .map_err(db_err)?;
        }
    }
    Event::new(actor, now_ms, "scorecard.save", "review_assignment", assignment_id).after(&card).write(db).await
}

/// Sign the saved scorecard: it must be complete and valid; once signed it is locked.
pub async fn sign_card<C: ConnectionTrait>(db: &C, actor: &Actor, assignment_id: &str, now_ms: i64) -> AppResult<()> {
    let a = assignment(db, actor, assignment_id).await?;
    let panel = review_panel::Entity::find_by_id(a.panel_id.as_str())
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("评审任务".into()))?;
    let stored = scorecard::Entity::find()
        .filter(scorecard::Column::AssignmentId.eq(a.id.as_str()))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::Conflict("请先保存评分".into()))?;
    if stored.signed {
        return Err(AppError::Conflict("评分表已签名锁定，不能修改".into()));
    }
    let mut card = card_of(&stored);
    card.sign(&rubric_of(&panel)).map_err(AppError::Validation)?;
    let res = scorecard::Entity::update_many()
        .col_expr(scorecard::Column::Signed, Expr::value(true))
        .col_expr(scorecard::Column::SignedMs, Expr::value(now_ms))
        .filter(scorecard::Column::Id.eq(stored.id.as_str()))
        .filter(scorecard::Column::Signed.eq(false))
        .exec(db)
        .await
        .map_err(db_err)?;
    if res.rows_affected == 0 {
        return Err(AppError::Conflict("评分表已签名锁定，不能修改".into()));
    }
    let total = Score::from_ten_thousandths(rubric_of(&panel).weighted_total_e4(&card));
    Event::new(actor, now_ms, "scorecard.sign", "review_assignment", assignment_id)
        .after(&serde_json::json!({ "card": card, "total": total }))
        .write(db)
        .await
}
