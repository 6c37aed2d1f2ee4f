//! Tests of the review module, with the Chongchuan rubric and hand-checked numbers.

mod aggregate;
mod panel;
mod ranking;
mod rubric;
mod slate;

use std::collections::BTreeMap;

use super::rubric::{Rubric, Scorecard, chongchuan_rubric};
use super::score::Score;

/// A signed Chongchuan scorecard from five whole-point scores in the rubric's order
/// (申报材料, 方案质量, 可行性, 组织能力, 团队建设).
fn card(expert: &str, points: [i64; 5]) -> Scorecard {
    let rubric = chongchuan_rubric();
    let scores: BTreeMap<String, Score> =
        rubric.criteria.iter().zip(points).map(|(c, p)| (c.code.clone(), Score::points(p))).collect();
    Scorecard { expert_id: expert.to_string(), scores, knockouts_failed: vec![], comment: String::new(), signed: true }
}

/// A scorecard whose criteria are given in hundredths.
fn card_h(rubric: &Rubric, expert: &str, hundredths: &[i64]) -> Scorecard {
    let scores = rubric.criteria.iter().zip(hundredths).map(|(c, h)| (c.code.clone(), Score(*h))).collect();
    Scorecard { expert_id: expert.to_string(), scores, knockouts_failed: vec![], comment: String::new(), signed: true }
}
