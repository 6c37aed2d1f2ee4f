//! The slate (拟立项名单): awards recommended in rank order within slots, budget and quotas.
//!
//! Candidates are taken **position by position**: every group's first-ranked application, then
//! every group's second, and so on; within one position the higher score first, then the group
//! code, then the application id. So each call item gets its best application before any item
//! gets its second. Each candidate is checked in this order, and the first check that fails is
//! the Chinese reason it is skipped:
//!
//! 1. the group's slots (项目数量) — taken by the awards already made and those recommended above;
//! 2. every award quota ([`Quota::max_awards`]) that applies — to all tracks when the quota has no
//!    track, else to its track — unless the organization's rating reaches the exemption;
//! 3. the track's budget, when given;
//! 4. the program's budget, when given.
//!
//! A skipped candidate does not stop the walk: a cheaper application further down may still fit
//! the remaining budget. The recommended amount is the requested amount; the funder changes it
//! with a reason in a later step. Awards of earlier batches are passed in `awarded` and count
//! against slots, quotas and budgets.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::score::Score;
use crate::money::Fen;
use crate::program::CallItem;
use crate::rules::Quota;

/// A ranked application with what the slate needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub application_id: String,
    pub organization_id: String,
    /// Rating (等级评估) 1–5 for 1A–5A; `None` when not rated.
    #[serde(default)]
    pub organization_rating: Option<u8>,
    /// The ranking group: call item code (or track code).
    pub group: String,
    pub track: String,
    pub rank: u32,
    pub score: Score,
    pub requested: Fen,
}

/// An award already decided in an earlier batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorAward {
    pub organization_id: String,
    pub group: String,
    pub track: String,
    pub amount: Fen,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SlateInput {
    pub candidates: Vec<Candidate>,
    /// Group → slots; a group not listed has no limit.
    #[serde(default)]
    pub slots: BTreeMap<String, u32>,
    /// The program's budget; `None` means no limit.
    #[serde(default)]
    pub budget: Option<Fen>,
    /// Track code → budget of the track.
    #[serde(default)]
    pub track_budgets: BTreeMap<String, Fen>,
    #[serde(default)]
    pub quotas: Vec<Quota>,
    #[serde(default)]
    pub awarded: Vec<PriorAward>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlateLine {
    pub application_id: String,
    pub organization_id: String,
    pub group: String,
    pub track: String,
    pub rank: u32,
    pub score: Score,
    pub requested: Fen,
    /// The recommended amount, or `None` when skipped.
    pub recommended: Option<Fen>,
    /// Why it is recommended or skipped, in Chinese.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slate {
    /// Lines in the order they were considered.
    pub lines: Vec<SlateLine>,
    /// Sum of the recommended amounts of this slate.
    pub total: Fen,
    /// Program budget left after earlier batches and this slate.
    pub budget_left: Option<Fen>,
}

impl Slate {
    pub fn recommended_ids(&self) -> Vec<&str> {
        self.lines.iter().filter(|l| l.recommended.is_some()).map(|l| l.application_id.as_str()).collect()
    }

    pub fn line(&self, application_id: &str) -> Option<&SlateLine> {
        self.lines.iter().find(|l| l.application_id == application_id)
    }
}

/// Slots of each call item that states them (项目数量).
pub fn slots_from_items(items: &[CallItem]) -> BTreeMap<String, u32> {
    items.iter().filter_map(|i| i.slots.map(|s| (i.code.clone(), s))).collect()
}

fn wan(f: Fen) -> String {
    format!("{}万元", f.wan_string())
}

fn rating_text(rating: Option<u8>) -> String {
    rating.map_or_else(|| "未评等级".to_string(), |r| format!("等级{r}A"))
}

/// Build the slate. Pure: the same input gives the same slate.
pub fn slate(input: &SlateInput) -> Slate {
    let mut order: Vec<&Candidate> = input.candidates.iter().collect();
    order.sort_by(|a, b| {
        a.rank
            .cmp(&b.rank)
            .then_with(|| b.score.cmp(&a.score))
            .then_with(|| a.group.cmp(&b.group))
            .then_with(|| a.application_id.cmp(&b.application_id))
    });

    // Earlier batches first, then this slate's recommendations as they are made.
    let mut made: Vec<(String, String, String, Fen)> =
        input.awarded.iter().map(|a| (a.organization_id.clone(), a.group.clone(), a.track.clone(), a.amount)).collect();

    let mut lines = Vec::new();
    let mut total = Fen(0);
    for c in order {
        let skip = skip_reason(input, &made, c);
        let recommended = if skip.is_none() { Some(c.requested) } else { None };
        if let Some(amount) = recommended {
            made.push((c.organization_id.clone(), c.group.clone(), c.track.clone(), amount));
            total = total + amount;
        }
        lines.push(SlateLine {
            application_id: c.application_id.clone(),
            organization_id: c.organization_id.clone(),
            group: c.group.clone(),
            track: c.track.clone(),
            rank: c.rank,
            score: c.score,
            requested: c.requested,
            recommended,
            reason: skip
                .unwrap_or_else(|| format!("“{}”排名第{}，推荐立项，金额{}", c.group, c.rank, wan(c.requested))),
        });
    }
    let budget_left = input.budget.map(|b| Fen(b.0 - spent(&made, None).0));
    Slate { lines, total, budget_left }
}

/// Awards made so far: (organization, group, track, amount).
type Made = [(String, String, String, Fen)];

/// Money awarded so far, in one track or in all.
fn spent(made: &Made, track: Option<&str>) -> Fen {
    Fen(made.iter().filter(|m| track.is_none_or(|t| m.2 == t)).map(|m| m.3.0).sum())
}

/// The first rule the candidate breaks, as a Chinese sentence.
fn skip_reason(input: &SlateInput, made: &Made, c: &Candidate) -> Option<String> {
    if c.requested.0 <= 0 {
        return Some("申请金额应大于0，未予推荐".to_string());
    }
    if let Some(&slots) = input.slots.get(&c.group) {
        let taken = made.iter().filter(|m| m.1 == c.group).count();
        if taken >= slots as usize {
            return Some(format!("“{}”项目数量为{slots}个，已由排名在前的项目占满", c.group));
        }
    }
    for q in &input.quotas {
        let Some(max) = q.max_awards else { continue };
        if q.track.as_ref().is_some_and(|t| *t != c.track) {
            continue;
        }
        if let (Some(min), Some(rating)) = (q.exempt_min_rating, c.organization_rating)
            && rating >= min
        {
            continue;
        }
        let held =
            made.iter().filter(|m| m.0 == c.organization_id && q.track.as_ref().is_none_or(|t| m.2 == *t)).count();
        if held >= max as usize {
            let scope = q.track.as_ref().map_or_else(|| "本计划".to_string(), |t| format!("“{t}”板块"));
            let exemption = q
                .exempt_min_rating
                .map(|min| format!("；等级评估{min}A以上的组织不受限制，该组织{}", rating_text(c.organization_rating)))
                .unwrap_or_default();
            return Some(format!(
                "该组织在{scope}已有{held}个项目推荐立项，达到每家组织最多立项{max}个的限制{exemption}"
            ));
        }
    }
    if let Some(&budget) = input.track_budgets.get(&c.track) {
        let left = Fen(budget.0 - spent(made, Some(&c.track)).0);
        if c.requested > left {
            return Some(format!("“{}”板块资金剩余{}，不足申请金额{}", c.track, wan(left), wan(c.requested)));
        }
    }
    if let Some(budget) = input.budget {
        let left = Fen(budget.0 - spent(made, None).0);
        if c.requested > left {
            return Some(format!("计划资金剩余{}，不足申请金额{}", wan(left), wan(c.requested)));
        }
    }
    None
}
