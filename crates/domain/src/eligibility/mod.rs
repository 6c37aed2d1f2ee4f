//! Eligibility engine (资格审查): evaluates a program's stored rules against an organization and
//! an application, and answers per rule pass / fail / needs a human check, with a Chinese
//! explanation that names the fact it used. Applicants see the same results before they submit;
//! screening runs the engine again. Pure: the facts come in as values, `today` is given.
//!
//! Rules are read from [`ProgramRules`] at three levels — program, track, item — and all levels
//! add up: every eligibility rule and quota of every level is checked (an eligibility rule
//! repeated verbatim at two levels is checked once); for budget numbers the strictest level wins
//! (lowest cap, highest floor, lowest personnel percent); forbidden uses are the union;
//! `no_subcontracting` and `one_application_per_org` hold if any level says so; whether joint
//! applications are allowed is taken from the most specific level that says.
//!
//! Choices (each also documented where it is made):
//! - Missing facts never pass: the rule answers `NeedsCheck` and says what is missing.
//! - `RegisteredBefore { date }`: registered on the date itself passes ("2021年4月30日前已取得"
//!   is read as "by 30 April", the way Chinese notices count a "X日前" deadline inclusively).
//! - `NoPenaltyYears { years }`: the window is `[today − years, today]`, both ends included; a
//!   penalty on the anniversary day still counts (the conservative reading of "未满2年").
//! - `TeamMainlyCertified`: more than half certified passes, exactly half needs a check.
//! - `PreviousProjectPassed` with no previous project needs a check (Hangzhou's wording admits
//!   newcomers, Fangshan's "近一年承接…合格" reads as requiring a project).
//! - Forbidden uses are matched on text, so a match is `NeedsCheck`, never `Fail` (see `budget`).
//! - Not being on the abnormal list or the blacklist is checked even when a program does not
//!   state it, because the product treats both lists as blocking eligibility (PRODUCT.md); an
//!   unstated condition only reports when the organization is on a list.
//! - Caps: when the request is within the item's own cap but above a broader level's cap, the
//!   documents contradict each other (Chongchuan D04: 20万 against the track's 15万) and the
//!   result is `NeedsCheck`.

mod budget;
mod facts;
mod org;
mod quota;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use facts::{
    ApplicationFacts, BudgetCategory, BudgetLine, Counts, OrgFacts, PenaltyRecord, PreviousResult, StaffFacts,
    TeamMember,
};

use crate::money::Fen;
use crate::program::{CallItem, ProgramSpec};
use crate::rules::{EligibilityRule, ProgramRules};

/// The answer of one rule. Ordered from best to worst, so the worst of several is their `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    NeedsCheck,
    Fail,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::NeedsCheck => "needs_check",
            Outcome::Fail => "fail",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Outcome::Pass, Outcome::NeedsCheck, Outcome::Fail].into_iter().find(|o| o.as_str() == s)
    }

    /// The verdict as the explanations end: 符合 / 不符合 / 需人工核实.
    pub fn zh(self) -> &'static str {
        match self {
            Outcome::Pass => "符合",
            Outcome::NeedsCheck => "需人工核实",
            Outcome::Fail => "不符合",
        }
    }
}

/// The result of one rule for one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleResult {
    /// Stable code ("registered_before", "budget_cap", "text"); a code repeated in one
    /// evaluation gets ".2", ".3" … in order ("text.2").
    pub rule: String,
    pub outcome: Outcome,
    /// Chinese, naming the fact used: "登记日期 2016-05-10，早于 2021-04-30，符合".
    pub explanation: String,
}

impl RuleResult {
    /// A result whose explanation is `facts` followed by the verdict.
    pub fn new(rule: &str, outcome: Outcome, facts: &str) -> Self {
        RuleResult { rule: rule.to_string(), outcome, explanation: format!("{facts}，{}", outcome.zh()) }
    }
}

/// Fail if any rule fails, else NeedsCheck if any needs a check, else Pass (also for no rules).
pub fn overall(results: &[RuleResult]) -> Outcome {
    results.iter().map(|r| r.outcome).max().unwrap_or(Outcome::Pass)
}

/// Evaluate the rules of the program, the track and the item (in that order; a shorter slice
/// stops earlier) for one application.
pub fn evaluate(
    rules: &[&ProgramRules],
    org: &OrgFacts,
    app: &ApplicationFacts,
    counts: &Counts,
    today: NaiveDate,
) -> Vec<RuleResult> {
    let mut out = Vec::new();
    let mut seen: Vec<&EligibilityRule> = Vec::new();
    for rule in rules.iter().flat_map(|r| &r.eligibility) {
        if !seen.contains(&rule) {
            seen.push(rule);
            out.push(org::check(rule, org, app, today));
        }
    }
    if !seen.iter().any(|r| matches!(r, EligibilityRule::NotBlacklisted)) {
        out.extend(org::unstated_blacklist(org));
    }
    quota::check(rules, org, app, counts, &mut out);
    budget::check(rules, app, &mut out);
    number_repeated_codes(&mut out);
    out
}

/// The rules that apply to an application to `track` (and `item`) of `spec`: program, track and
/// item rules, with the item's `funding_cap` folded into the item's budget cap. An unknown track
/// or item, or an item of another track, is an error naming it.
pub fn scope_rules(spec: &ProgramSpec, track: &str, item: Option<&str>) -> Result<Vec<ProgramRules>, String> {
    let Some(t) = spec.tracks.iter().find(|t| t.code == track) else {
        return Err(format!("计划“{}”中没有板块 {track}", spec.name));
    };
    let mut rules = vec![spec.rules.clone(), t.rules.clone()];
    if let Some(code) = item {
        let Some(i) = spec.items.iter().find(|i| i.code == code) else {
            return Err(format!("计划“{}”中没有项目条目 {code}", spec.name));
        };
        if i.track != track {
            return Err(format!("项目条目 {code} 属于板块 {}，不属于板块 {track}", i.track));
        }
        rules.push(item_rules(i));
    }
    Ok(rules)
}

/// An item's own rules with its `funding_cap` (项目资金) as the budget cap (the lower of both
/// when the item also has a cap in its rules).
pub fn item_rules(item: &CallItem) -> ProgramRules {
    let mut rules = item.rules.clone();
    if let Some(cap) = item.funding_cap {
        rules.budget.cap = Some(rules.budget.cap.map_or(cap, |c: Fen| c.min(cap)));
    }
    rules
}

/// [`evaluate`] against a whole program: finds the track and item the application names. When
/// the application does not belong to the program, the only result is a failed `scope` rule.
pub fn evaluate_program(
    spec: &ProgramSpec,
    org: &OrgFacts,
    app: &ApplicationFacts,
    counts: &Counts,
    today: NaiveDate,
) -> Vec<RuleResult> {
    if app.program_code != spec.code {
        let facts = format!("申报书属于计划 {}，不是计划 {}", app.program_code, spec.code);
        return vec![RuleResult::new("scope", Outcome::Fail, &facts)];
    }
    match scope_rules(spec, &app.track_code, app.item_code.as_deref()) {
        Ok(owned) => {
            let rules: Vec<&ProgramRules> = owned.iter().collect();
            evaluate(&rules, org, app, counts, today)
        }
        Err(facts) => vec![RuleResult::new("scope", Outcome::Fail, &facts)],
    }
}

/// Level names for explanations, by position in the rules slice.
fn level_zh(level: usize) -> &'static str {
    match level {
        0 => "计划",
        1 => "板块",
        _ => "项目条目",
    }
}

/// Money as the documents write it: whole 万 as "15万元", otherwise "45015.00元".
fn money(f: Fen) -> String {
    if f.0 != 0 && f.0 % 1_000_000 == 0 {
        format!("{}万元", f.wan_string())
    } else {
        format!("{}元", f.yuan_string())
    }
}

/// Make codes unique: the second "text" becomes "text.2", the third "text.3".
fn number_repeated_codes(results: &mut [RuleResult]) {
    let mut seen: Vec<(String, u32)> = Vec::new();
    for r in results.iter_mut() {
        match seen.iter_mut().find(|(code, _)| *code == r.rule) {
            Some((_, n)) => {
                *n += 1;
                r.rule = format!("{}.{n}", r.rule);
            }
            None => seen.push((r.rule.clone(), 1)),
        }
    }
}
