//! Ranking (排序) per call item or track, with a stated tie-break chain.
//!
//! Within a group (a call item code, or a track code where items are not ranked separately),
//! scored applications are ordered by:
//!
//! 1. the aggregate, higher first, as published in hundredths (two applications shown with the
//!    same aggregate are tied, whatever digits lie beyond);
//! 2. each criterion of [`Rubric::tie_break`] in order, higher mean first (the means over the same
//!    counted scorecards as the aggregate, in hundredths);
//! 3. the submission time of the application, earlier first;
//! 4. the application id, smaller first (a last resort that makes the order total).
//!
//! Ranks are therefore 1, 2, 3 … without shared places. [`tie_break_statement`] prints the chain
//! for the ranking sheet; each row decided by a tie-break carries a note saying which rule
//! decided. Excluded and unscored applications are listed apart with their reasons.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::aggregate::{Aggregate, Outcome};
use super::rubric::Rubric;
use super::score::Score;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankEntry {
    pub aggregate: Aggregate,
    /// Call item code (or track code) the application is ranked in.
    pub group: String,
    pub submitted_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedRow {
    /// 1-based place in the group.
    pub rank: u32,
    pub application_id: String,
    pub score: Score,
    pub submitted_at: NaiveDateTime,
    /// When the row is tied on the aggregate with the row above: which rule put it below.
    #[serde(default)]
    pub tie_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unranked {
    pub application_id: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranking {
    pub group: String,
    pub rows: Vec<RankedRow>,
    pub unranked: Vec<Unranked>,
}

/// The tie-break chain as printed on the ranking sheet.
pub fn tie_break_statement(rubric: &Rubric) -> String {
    let mut parts: Vec<String> = rubric
        .tie_break
        .iter()
        .filter_map(|code| rubric.criterion(code))
        .map(|c| format!("“{}”平均分（高者在前）", c.name))
        .collect();
    parts.push("申报书提交时间（早者在前）".to_string());
    parts.push("申报编号（小者在前）".to_string());
    format!("按汇总得分从高到低排序；得分相同时，依次比较{}。", parts.join("、"))
}

struct Scored<'a> {
    entry: &'a RankEntry,
    score: Score,
}

fn criterion_mean(entry: &RankEntry, code: &str) -> Score {
    entry.aggregate.criterion_means.get(code).copied().unwrap_or_default()
}

/// Orders `a` against `b` (Less = `a` ranks above) and, when the aggregates are equal, says in
/// Chinese which rule decided, from the point of view of the lower one.
fn compare(rubric: &Rubric, a: &Scored, b: &Scored) -> (Ordering, Option<String>) {
    let by_score = b.score.cmp(&a.score);
    if by_score != Ordering::Equal {
        return (by_score, None);
    }
    for code in &rubric.tie_break {
        let (x, y) = (criterion_mean(a.entry, code), criterion_mean(b.entry, code));
        if x != y {
            let name = rubric.criterion(code).map_or(code.as_str(), |c| c.name.as_str());
            let (hi, lo) = if x > y { (x, y) } else { (y, x) };
            return (y.cmp(&x), Some(format!("“{name}”平均分较低（{lo}，对方{hi}）")));
        }
    }
    let (ta, tb) = (a.entry.submitted_at, b.entry.submitted_at);
    if ta != tb {
        let late = ta.max(tb).format("%Y-%m-%d %H:%M:%S");
        let early = ta.min(tb).format("%Y-%m-%d %H:%M:%S");
        return (ta.cmp(&tb), Some(format!("申报书提交较晚（{late}，对方{early}）")));
    }
    let (ia, ib) = (&a.entry.aggregate.application_id, &b.entry.aggregate.application_id);
    (ia.cmp(ib), Some("比较项和提交时间均相同而申报编号较大".to_string()))
}

/// Rank every group; groups come out sorted by their code.
pub fn rank(rubric: &Rubric, entries: &[RankEntry]) -> Vec<Ranking> {
    let mut groups: BTreeMap<&str, (Vec<Scored>, Vec<Unranked>)> = BTreeMap::new();
    for entry in entries {
        let (scored, unranked) = groups.entry(entry.group.as_str()).or_default();
        match &entry.aggregate.outcome {
            Outcome::Scored { score } => scored.push(Scored { entry, score: *score }),
            Outcome::Excluded { reason } | Outcome::NotScored { reason } => unranked
                .push(Unranked { application_id: entry.aggregate.application_id.clone(), reason: reason.clone() }),
        }
    }
    groups
        .into_iter()
        .map(|(group, (mut scored, mut unranked))| {
            scored.sort_by(|a, b| compare(rubric, a, b).0);
            unranked.sort_by(|a, b| a.application_id.cmp(&b.application_id));
            let rows = scored
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let tie_note = i.checked_sub(1).map(|p| &scored[p]).and_then(|prev| {
                        compare(rubric, prev, s).1.map(|rule| {
                            format!("与{}得分同为{}，因{rule}排在其后", prev.entry.aggregate.application_id, s.score)
                        })
                    });
                    RankedRow {
                        rank: u32::try_from(i + 1).unwrap_or(u32::MAX),
                        application_id: s.entry.aggregate.application_id.clone(),
                        score: s.score,
                        submitted_at: s.entry.submitted_at,
                        tie_note,
                    }
                })
                .collect();
            Ranking { group: group.to_string(), rows, unranked }
        })
        .collect()
}
