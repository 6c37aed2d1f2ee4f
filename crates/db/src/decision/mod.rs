//! The decision (拟立项名单 / slate): generated from the review ranking within each call item's
//! slots, the program's and tracks' budgets and the award quotas (`domain::review::slate`), then
//! changed line by line by the funder (each change with a reason) and approved in numbered
//! batches (`approval.rs`). Approved lines go on a public notice (`crate::notices`).
//!
//! Line status: `proposed` → `approved` (in batch N, with an amount) or `rejected` (excluded when
//! its batch was approved). Regenerating replaces the `proposed` lines only.
//!
//! Scope: funders, operators and area roles covering the program read and generate; only the
//! funder (and system administrators) change and approve lines.

mod approval;

use std::collections::{BTreeMap, HashMap};

use domain::money::Fen;
use domain::review::{Candidate, PriorAward, Score, SlateInput, slate};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionSession,
    TransactionTrait,
};
use serde::Serialize;

pub use approval::{LineChange, approve_batch, change_line};

use crate::audit::Event;
use crate::entity::{application, call_item, organization, program, slate_line, track};
use crate::{Actor, AppError, AppResult, db_err, new_id};

/// One ranked application as the review ranking gives it (the shape of `db::review::ranking`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankedApplication {
    pub application_id: String,
    pub organization_id: String,
    pub call_item_id: Option<String>,
    pub track_code: String,
    pub requested: Fen,
    pub score: Option<Score>,
    pub rank: u32,
}

/// A slate line as pages and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct SlateLineView {
    pub id: String,
    pub program_id: String,
    pub application_id: String,
    pub application_title: String,
    pub organization_id: String,
    pub organization_name: String,
    pub call_item_id: Option<String>,
    pub group: String,
    pub track_code: String,
    pub rank: i32,
    pub score: Option<Score>,
    pub requested: Fen,
    pub recommended: Option<Fen>,
    /// The funder's amount; `None` = excluded.
    pub amount: Option<Fen>,
    pub reason: String,
    pub change_reason: String,
    pub status: String,
    pub batch: Option<i32>,
    pub notice_id: Option<String>,
}

pub(crate) async fn program_model<C: ConnectionTrait>(db: &C, id: &str) -> AppResult<program::Model> {
    program::Entity::find_by_id(id).one(db).await.map_err(db_err)?.ok_or_else(|| AppError::NotFound("计划".into()))
}

/// The program, if the actor manages or covers it (funder, operator, area roles); else not found.
pub async fn covered_program<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<program::Model> {
    let p = program_model(db, id).await?;
    if crate::applications::covers_program(actor, &p) { Ok(p) } else { Err(AppError::NotFound("计划".into())) }
}

/// The program, if the actor is its funder (or a system administrator).
pub(crate) async fn funded_program<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<program::Model> {
    let p = covered_program(db, actor, id).await?;
    if crate::programs::may_manage(actor, &p) { Ok(p) } else { Err(AppError::Forbidden) }
}

/// Programs the actor manages or covers, newest year first (the decision index).
pub async fn programs<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<Vec<program::Model>> {
    let mut rows: Vec<program::Model> = program::Entity::find()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .filter(|p| crate::applications::covers_program(actor, p))
        .collect();
    rows.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.code.cmp(&b.code)));
    Ok(rows)
}

/// The program id of a slate line in the actor's scope.
pub async fn line_program<C: ConnectionTrait>(db: &C, actor: &Actor, line_id: &str) -> AppResult<String> {
    let line = slate_line::Entity::find_by_id(line_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("拟立项名单条目".into()))?;
    covered_program(db, actor, &line.program_id).await.map_err(|_| AppError::NotFound("拟立项名单条目".into()))?;
    Ok(line.program_id)
}

/// Names of applications and organizations for a set of lines, one `IN` query each.
pub(crate) async fn names<C: ConnectionTrait>(
    db: &C,
    app_ids: Vec<String>,
    org_ids: Vec<String>,
) -> AppResult<(HashMap<String, String>, HashMap<String, String>)> {
    let apps = application::Entity::find()
        .filter(application::Column::Id.is_in(app_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| (a.id, a.title))
        .collect();
    Ok((apps, crate::organizations::names(db, &org_ids).await?))
}

pub(crate) async fn views<C: ConnectionTrait>(db: &C, rows: Vec<slate_line::Model>) -> AppResult<Vec<SlateLineView>> {
    let (apps, orgs) = names(
        db,
        rows.iter().map(|r| r.application_id.clone()).collect(),
        rows.iter().map(|r| r.organization_id.clone()).collect(),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SlateLineView {
            application_title: apps.get(&r.application_id).cloned().unwrap_or_default(),
            organization_name: orgs.get(&r.organization_id).cloned().unwrap_or_default(),
            id: r.id,
            program_id: r.program_id,
            application_id: r.application_id,
            organization_id: r.organization_id,
            call_item_id: r.call_item_id,
            group: r.group_code,
            track_code: r.track_code,
            rank: r.rank_no,
            score: r.score_hundredths.map(Score),
            requested: Fen(r.requested_fen),
            recommended: r.recommended_fen.map(Fen),
            amount: r.amount_fen.map(Fen),
            reason: r.reason,
            change_reason: r.change_reason,
            status: r.status,
            batch: r.batch_no,
            notice_id: r.notice_id,
        })
        .collect())
}

/// The slate of a program, in the order it was considered.
pub async fn lines<C: ConnectionTrait>(db: &C, actor: &Actor, program_id: &str) -> AppResult<Vec<SlateLineView>> {
    covered_program(db, actor, program_id).await?;
    let rows = slate_line::Entity::find()
        .filter(slate_line::Column::ProgramId.eq(program_id))
        .order_by_asc(slate_line::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    views(db, rows).await
}

/// Generate (or regenerate) the slate from the review ranking of the program
/// (`crate::review::ranking`); unranked rows (knocked out, not scored) are left out.
pub async fn generate<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    program_id: &str,
    now_ms: i64,
) -> AppResult<Vec<SlateLineView>> {
    let groups = crate::review::ranking(db, actor, program_id).await?;
    let ranking: Vec<RankedApplication> = groups
        .into_iter()
        .flat_map(|g| g.rows)
        .filter_map(|r| {
            Some(RankedApplication {
                rank: r.rank?,
                score: Some(r.score?),
                application_id: r.application_id,
                organization_id: r.organization_id,
                call_item_id: r.call_item_id,
                track_code: r.track_code,
                requested: r.requested,
            })
        })
        .collect();
    if ranking.is_empty() {
        return Err(AppError::Conflict("评审排名中还没有已评分的申报书，无法生成拟立项名单".into()));
    }
    generate_from(db, actor, program_id, &ranking, now_ms).await
}

/// Generate (or regenerate) the slate from a given ranking: recommended amount = requested,
/// capped by the call item's funding cap; approved lines of earlier batches count as awards.
pub async fn generate_from<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    program_id: &str,
    ranking: &[RankedApplication],
    now_ms: i64,
) -> AppResult<Vec<SlateLineView>> {
    let p = covered_program(db, actor, program_id).await?;
    if !matches!(actor.role, domain::role::Role::FunderAdmin | domain::role::Role::Operator) && !actor.is_admin() {
        return Err(AppError::Forbidden);
    }
    let items =
        call_item::Entity::find().filter(call_item::Column::ProgramId.eq(&p.id)).all(db).await.map_err(db_err)?;
    let items: HashMap<String, call_item::Model> = items.into_iter().map(|i| (i.id.clone(), i)).collect();
    let tracks = track::Entity::find().filter(track::Column::ProgramId.eq(&p.id)).all(db).await.map_err(db_err)?;
    let existing =
        slate_line::Entity::find().filter(slate_line::Column::ProgramId.eq(&p.id)).all(db).await.map_err(db_err)?;
    let group_of = |item: Option<&String>, track: &str| {
        item.and_then(|i| items.get(i)).map_or_else(|| track.to_string(), |i| i.code.clone())
    };

    let decided: Vec<&slate_line::Model> = existing.iter().filter(|l| l.status != "proposed").collect();
    let awarded: Vec<PriorAward> = decided
        .iter()
        .filter_map(|l| {
            l.amount_fen.filter(|_| l.status == "approved").map(|amount| PriorAward {
                organization_id: l.organization_id.clone(),
                group: l.group_code.clone(),
                track: l.track_code.clone(),
                amount: Fen(amount),
            })
        })
        .collect();
    let org_ids: Vec<String> = ranking.iter().map(|r| r.organization_id.clone()).collect();
    let ratings: HashMap<String, Option<i32>> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|o| (o.id, o.rating))
        .collect();

    let mut candidates = Vec::new();
    for r in ranking {
        let Some(score) = r.score else { continue };
        if decided.iter().any(|l| l.application_id == r.application_id) {
            continue;
        }
        let cap = r.call_item_id.as_ref().and_then(|i| items.get(i)).and_then(|i| i.funding_cap_fen);
        let requested = cap.map_or(r.requested, |c| Fen(r.requested.0.min(c)));
        candidates.push(Candidate {
            application_id: r.application_id.clone(),
            organization_id: r.organization_id.clone(),
            organization_rating: ratings.get(&r.organization_id).copied().flatten().and_then(|v| u8::try_from(v).ok()),
            group: group_of(r.call_item_id.as_ref(), &r.track_code),
            track: r.track_code.clone(),
            rank: r.rank,
            score,
            requested,
        });
    }
    let mut quotas = crate::programs::parse_rules(&p.rules_json).quotas;
    for t in &tracks {
        for mut q in crate::programs::parse_rules(&t.rules_json).quotas {
            q.track.get_or_insert_with(|| t.code.clone());
            quotas.push(q);
        }
    }
    let input = SlateInput {
        candidates,
        slots: items
            .values()
            .filter_map(|i| i.slots.map(|s| (i.code.clone(), u32::try_from(s).unwrap_or(0))))
            .collect(),
        budget: p.budget_fen.map(Fen),
        track_budgets: tracks
            .iter()
            .filter_map(|t| t.budget_fen.map(|b| (t.code.clone(), Fen(b))))
            .collect::<BTreeMap<_, _>>(),
        quotas,
        awarded,
    };
    let result = slate(&input);
    let by_app: HashMap<&str, &RankedApplication> = ranking.iter().map(|r| (r.application_id.as_str(), r)).collect();

    let txn = db.begin().await.map_err(db_err)?;
    slate_line::Entity::delete_many()
        .filter(slate_line::Column::ProgramId.eq(&p.id))
        .filter(slate_line::Column::Status.eq("proposed"))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    let start = existing.iter().map(|l| l.position).max().unwrap_or(0);
    for (n, l) in result.lines.iter().enumerate() {
        let src = by_app.get(l.application_id.as_str());
        let row = slate_line::ActiveModel {
            id: Set(new_id()),
            program_id: Set(p.id.clone()),
            application_id: Set(l.application_id.clone()),
            organization_id: Set(l.organization_id.clone()),
            call_item_id: Set(src.and_then(|s| s.call_item_id.clone())),
            track_code: Set(l.track.clone()),
            group_code: Set(l.group.clone()),
            rank_no: Set(i32::try_from(l.rank).unwrap_or(i32::MAX)),
            score_hundredths: Set(Some(l.score.0)),
            requested_fen: Set(src.map_or(l.requested.0, |s| s.requested.0)),
            recommended_fen: Set(l.recommended.map(|f| f.0)),
            amount_fen: Set(l.recommended.map(|f| f.0)),
            reason: Set(l.reason.clone()),
            change_reason: Set(String::new()),
            status: Set("proposed".into()),
            batch_no: Set(None),
            notice_id: Set(None),
            position: Set(start + 1 + i32::try_from(n).unwrap_or(0)),
            created_ms: Set(now_ms),
            updated_ms: Set(now_ms),
        };
        slate_line::Entity::insert(row).exec_without_returning(&txn).await.map_err(db_err)?;
    }
    Event::new(actor, now_ms, "slate.generate", "program", &p.id)
        .after(&serde_json::json!({ "lines": result.lines.len(), "total": result.total, "budget_left": result.budget_left }))
        .write(&txn)
        .await?;
    txn.commit().await.map_err(db_err)?;
    lines(db, actor, program_id).await
}
