//! Aggregation and ranking of a program's applications (汇总与排序).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDateTime};
use domain::money::Fen;
use domain::review::{Aggregate, Outcome, RankEntry, Rubric, Score, aggregate, chongchuan_rubric, rank};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::{ProgramReview, card_of, managed_program, method_of, rubric_of};
use crate::entity::{application, call_item, organization, track};
use crate::{Actor, AppResult, db_err};

/// One application in a group's ranking. Ranked rows come first in rank order, then the
/// unranked ones (knocked out or not scored) with `rank: None` and a `reason`.
#[derive(Debug, Clone, Serialize)]
pub struct RankingRow {
    pub rank: Option<u32>,
    pub application_id: String,
    pub title: String,
    pub organization_id: String,
    pub organization_name: String,
    pub call_item_id: Option<String>,
    pub track_code: String,
    pub requested: Fen,
    /// The aggregate of the signed scorecards (None when excluded or not scored).
    pub score: Option<Score>,
    /// Which tie-break rule placed the row below the one above, when tied.
    pub tie_note: Option<String>,
    /// Why the row is unranked (knock-out item, no signed scorecard).
    pub reason: Option<String>,
    /// How the aggregate was computed, in Chinese.
    pub method_applied: String,
    /// Signed scorecards counted or dropped, and unsigned ones.
    pub signed_cards: usize,
    pub pending_cards: usize,
    pub submitted_ms: Option<i64>,
}

/// The ranking of one group: a call item (or the track, for applications without one).
#[derive(Debug, Clone, Serialize)]
pub struct ProgramRanking {
    /// The call item code, or the track code.
    pub group: String,
    pub group_name: String,
    pub call_item_id: Option<String>,
    pub track_code: String,
    /// Slots of the call item (立项数), when stated.
    pub slots: Option<i32>,
    /// The tie-break chain as printed on the ranking sheet.
    pub tie_break: String,
    pub rows: Vec<RankingRow>,
}

fn local_time(ms: Option<i64>) -> NaiveDateTime {
    let offset = domain::clock::shanghai();
    ms.and_then(DateTime::from_timestamp_millis).map(|t| t.with_timezone(&offset).naive_local()).unwrap_or_default()
}

/// The ranking of a program's reviewed applications, per call item (or track).
///
/// Rows are the program's `screened_pass` applications and every application assigned in one of
/// its panels. Each application is aggregated with `domain::review::aggregate` over the
/// **signed** scorecards of its latest panel (assignments removed by a conflict declaration do
/// not count), with the panel's rubric and method (trimmed mean — 去掉一个最高分和一个最低分 — from
/// five signed cards by default), then ranked with `domain::review::rank` and its tie-break chain.
/// Groups come out ordered by call item position (then code); within a group ranked rows are in
/// rank order followed by unranked ones.
///
/// Only the program's funder and operator (and administrators) may read it: anyone else gets
/// `AppError::NotFound`. Read-only; nothing is written.
pub async fn ranking<C: ConnectionTrait>(db: &C, actor: &Actor, program_id: &str) -> AppResult<Vec<ProgramRanking>> {
    let program = managed_program(db, actor, program_id).await?;
    let review = ProgramReview::load(db, &program.id).await?;
    let apps = application::Entity::find()
        .filter(application::Column::ProgramId.eq(program.id.as_str()))
        .filter(application::Column::Status.ne("draft"))
        .order_by_asc(application::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let apps: Vec<application::Model> =
        apps.into_iter().filter(|a| a.status == "screened_pass" || review.panel_of(&a.id).is_some()).collect();
    let items: HashMap<String, call_item::Model> = call_item::Entity::find()
        .filter(call_item::Column::ProgramId.eq(program.id.as_str()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|i| (i.id.clone(), i))
        .collect();
    let tracks: HashMap<String, String> = track::Entity::find()
        .filter(track::Column::ProgramId.eq(program.id.as_str()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|t| (t.code, t.name))
        .collect();
    let org_ids: Vec<String> = apps.iter().map(|a| a.organization_id.clone()).collect();
    let orgs: HashMap<String, String> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();

    // group key → (sort key, rubric, entries)
    let mut groups: BTreeMap<(i32, String), (Option<Rubric>, Vec<RankEntry>)> = BTreeMap::new();
    for app in &apps {
        let item = app.call_item_id.as_ref().and_then(|id| items.get(id));
        let key = match item {
            Some(i) => (i.position, i.code.clone()),
            None => (i32::MAX, app.track_code.clone()),
        };
        let agg = match review.panel_of(&app.id) {
            Some(panel) => {
                let rubric = rubric_of(panel);
                let cards: Vec<_> = review.cards_of(&panel.id, &app.id).into_iter().map(card_of).collect();
                let agg = aggregate(&rubric, method_of(panel), &app.id, &cards).unwrap_or_else(|errors| {
                    not_scored(&app.id, &errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("；"))
                });
                groups.entry(key.clone()).or_default().0.get_or_insert(rubric);
                agg
            }
            None => not_scored(&app.id, "尚未分配评审专家"),
        };
        groups.entry(key).or_default().1.push(RankEntry {
            aggregate: agg,
            group: String::new(),
            submitted_at: local_time(app.submitted_ms),
        });
    }

    let by_id: HashMap<&str, &application::Model> = apps.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut out = Vec::new();
    for ((_, code), (rubric, entries)) in groups {
        let rubric = rubric.unwrap_or_else(chongchuan_rubric);
        let aggs: HashMap<&str, &Aggregate> =
            entries.iter().map(|e| (e.aggregate.application_id.as_str(), &e.aggregate)).collect();
        let ranked = rank(&rubric, &entries).into_iter().next();
        let Some(first) = entries.first().and_then(|e| by_id.get(e.aggregate.application_id.as_str())) else {
            continue;
        };
        let item = first.call_item_id.as_ref().and_then(|id| items.get(id));
        let row = |id: &str, rank: Option<u32>, tie_note: Option<String>, reason: Option<String>| {
            let app = by_id.get(id)?;
            let agg = aggs.get(id)?;
            Some(RankingRow {
                rank,
                application_id: app.id.clone(),
                title: app.title.clone(),
                organization_id: app.organization_id.clone(),
                organization_name: orgs.get(&app.organization_id).cloned().unwrap_or_default(),
                call_item_id: app.call_item_id.clone(),
                track_code: app.track_code.clone(),
                requested: Fen(app.requested_fen),
                score: if rank.is_some() { agg.score() } else { None },
                tie_note,
                reason,
                method_applied: agg.method_applied.clone(),
                signed_cards: agg.cards.len(),
                pending_cards: agg.pending.len(),
                submitted_ms: app.submitted_ms,
            })
        };
        let mut rows = Vec::new();
        if let Some(r) = ranked {
            rows.extend(r.rows.iter().filter_map(|x| row(&x.application_id, Some(x.rank), x.tie_note.clone(), None)));
            rows.extend(r.unranked.iter().filter_map(|u| row(&u.application_id, None, None, Some(u.reason.clone()))));
        }
        out.push(ProgramRanking {
            group_name: match item {
                Some(i) => format!("{} {}", i.code, i.name),
                None => tracks.get(&code).cloned().unwrap_or_else(|| code.clone()),
            },
            group: code,
            call_item_id: item.map(|i| i.id.clone()),
            track_code: first.track_code.clone(),
            slots: item.and_then(|i| i.slots),
            tie_break: domain::review::tie_break_statement(&rubric),
            rows,
        });
    }
    Ok(out)
}

fn not_scored(application_id: &str, reason: &str) -> Aggregate {
    Aggregate {
        application_id: application_id.to_string(),
        outcome: Outcome::NotScored { reason: reason.to_string() },
        method_applied: String::new(),
        cards: Vec::new(),
        pending: Vec::new(),
        criterion_means: BTreeMap::new(),
    }
}
