//! From the scorecards of one application to one score (汇总).
//!
//! * Only **signed** scorecards count; unsigned ones are listed as pending.
//! * A scorecard's total is `Σ score × weight / 100`, exact in ten-thousandths of a point.
//! * [`AggregationMethod::Mean`]: the arithmetic mean of the totals.
//! * [`AggregationMethod::TrimmedMean`]: with at least `min_scorecards` signed cards (never
//!   fewer than 3), the card with the lowest total and the card with the highest total are
//!   dropped (去掉一个最高分和一个最低分) and the rest averaged; with fewer cards, the plain mean.
//!   Among equal totals the card of the smaller expert id is taken as the lowest and the card of
//!   the larger expert id as the highest, so which card is dropped is deterministic.
//! * The aggregate and the per-criterion means (over the same counted cards) are rounded once,
//!   half up, to hundredths. Ranking uses exactly these published hundredths.
//! * A knock-out item failed on any signed card excludes the application, with the reason.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::rubric::{Rubric, Scorecard};
use super::score::{Score, div_round_half_up};
use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AggregationMethod {
    Mean,
    TrimmedMean { min_scorecards: usize },
}

impl Default for AggregationMethod {
    /// The rule: drop the highest and the lowest when there are at least five reviewers.
    fn default() -> Self {
        AggregationMethod::TrimmedMean { min_scorecards: 5 }
    }
}

/// One signed card's total as shown (rounded half up to hundredths).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardTotal {
    pub expert_id: String,
    pub total: Score,
    /// False for a card dropped by the trimmed mean.
    pub counted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    Scored {
        score: Score,
    },
    /// A knock-out item was failed.
    Excluded {
        reason: String,
    },
    /// No signed scorecard yet.
    NotScored {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aggregate {
    pub application_id: String,
    pub outcome: Outcome,
    /// What was computed, in Chinese ("去掉一个最高分和一个最低分后取平均 …").
    pub method_applied: String,
    /// Signed cards sorted by expert id.
    pub cards: Vec<CardTotal>,
    /// Experts whose unsigned cards were not counted.
    pub pending: Vec<String>,
    /// Criterion code → mean over the counted cards, rounded half up to hundredths.
    pub criterion_means: BTreeMap<String, Score>,
}

impl Aggregate {
    /// The aggregate score, when the application is scored and not excluded.
    pub fn score(&self) -> Option<Score> {
        match self.outcome {
            Outcome::Scored { score } => Some(score),
            _ => None,
        }
    }
}

/// Aggregate one application's scorecards. Errors when an expert has two cards or a signed card
/// is invalid for the rubric (each error names the expert and the criterion).
pub fn aggregate(
    rubric: &Rubric,
    method: AggregationMethod,
    application_id: &str,
    cards: &[Scorecard],
) -> Result<Aggregate, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut experts = BTreeSet::new();
    for card in cards {
        if !experts.insert(card.expert_id.as_str()) {
            errors.push(FieldError::new("expert_id", format!("专家{}对同一申报书提交了多份评分表", card.expert_id)));
        }
        if card.signed
            && let Err(card_errors) = card.validate(rubric)
        {
            errors.extend(
                card_errors
                    .into_iter()
                    .map(|e| FieldError {
                        field: e.field, message: format!("专家{}：{}", card.expert_id, e.message)
                    }),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let pending: Vec<String> = cards.iter().filter(|c| !c.signed).map(|c| c.expert_id.clone()).collect();
    let mut signed: Vec<(&Scorecard, i128)> =
        cards.iter().filter(|c| c.signed).map(|c| (c, rubric.weighted_total_e4(c))).collect();
    signed.sort_by(|(a, ta), (b, tb)| ta.cmp(tb).then_with(|| a.expert_id.cmp(&b.expert_id)));

    let n = signed.len();
    let trim = matches!(method, AggregationMethod::TrimmedMean { min_scorecards } if n >= min_scorecards.max(3));
    let counted_range = if trim { 1..n - 1 } else { 0..n };
    let counted: Vec<&(&Scorecard, i128)> = signed[counted_range.clone()].iter().collect();

    let mut totals: Vec<CardTotal> = signed
        .iter()
        .enumerate()
        .map(|(i, (card, e4))| CardTotal {
            expert_id: card.expert_id.clone(),
            total: Score::from_ten_thousandths(*e4),
            counted: counted_range.contains(&i),
        })
        .collect();
    totals.sort_by(|a, b| a.expert_id.cmp(&b.expert_id));

    let method_applied = match (method, trim) {
        _ if n == 0 => "尚无已签名的评分表".to_string(),
        (_, true) => format!(
            "有效评分表{n}份，去掉一个最高分（专家{}）和一个最低分（专家{}）后，取其余{}份的平均分",
            signed[n - 1].0.expert_id,
            signed[0].0.expert_id,
            n - 2
        ),
        (AggregationMethod::TrimmedMean { min_scorecards }, false) => {
            format!("有效评分表{n}份，不足{}份，不去掉最高分和最低分，取平均分", min_scorecards.max(3))
        }
        (AggregationMethod::Mean, false) => format!("有效评分表{n}份，取平均分"),
    };

    let mut criterion_means = BTreeMap::new();
    if !counted.is_empty() {
        let count = i128::try_from(counted.len()).unwrap_or(i128::MAX);
        for c in &rubric.criteria {
            let sum: i128 =
                counted.iter().map(|(card, _)| i128::from(card.scores.get(&c.code).map_or(0, |s| s.0))).sum();
            criterion_means.insert(c.code.clone(), Score(div_round_half_up(sum, count)));
        }
    }

    let mut failed: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (card, _) in &signed {
        for code in &card.knockouts_failed {
            let text = rubric.knockout(code).map_or(code.as_str(), |k| k.text.as_str());
            failed.entry(text).or_default().push(card.expert_id.as_str());
        }
    }

    let outcome = if !failed.is_empty() {
        let reasons: Vec<String> =
            failed.iter().map(|(text, by)| format!("否决项“{text}”（专家{}判定）", by.join("、"))).collect();
        Outcome::Excluded { reason: format!("不予推荐：{}", reasons.join("；")) }
    } else if counted.is_empty() {
        Outcome::NotScored { reason: "尚无已签名的评分表".to_string() }
    } else {
        let sum: i128 = counted.iter().map(|(_, e4)| *e4).sum();
        let count = i128::try_from(counted.len()).unwrap_or(i128::MAX);
        Outcome::Scored { score: Score(div_round_half_up(sum, count * 100)) }
    };

    Ok(Aggregate {
        application_id: application_id.to_string(),
        outcome,
        method_applied,
        cards: totals,
        pending,
        criterion_means,
    })
}
