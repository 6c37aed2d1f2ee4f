//! Budget rules (资金使用): cap, floor, personnel share, forbidden uses, no subcontracting.
//! All arithmetic is on integer fen.

use super::facts::{ApplicationFacts, BudgetCategory};
use super::{Outcome, RuleResult, level_zh, money};
use crate::money::Fen;
use crate::rules::ProgramRules;

pub(super) fn check(rules: &[&ProgramRules], app: &ApplicationFacts, out: &mut Vec<RuleResult>) {
    let levels = || rules.iter().enumerate().map(|(level, r)| (level, &r.budget));
    let caps: Vec<(usize, Fen)> = levels().filter_map(|(l, b)| b.cap.map(|c| (l, c))).collect();
    let floors: Vec<(usize, Fen)> = levels().filter_map(|(l, b)| b.floor.map(|f| (l, f))).collect();
    let percents: Vec<(usize, u32)> = levels().filter_map(|(l, b)| b.personnel_max_percent.map(|p| (l, p))).collect();
    let mut forbidden: Vec<&str> = Vec::new();
    for u in levels().flat_map(|(_, b)| &b.forbidden_uses) {
        if !forbidden.contains(&u.as_str()) {
            forbidden.push(u);
        }
    }
    out.extend(cap(&caps, app.requested));
    out.extend(floor(&floors, app.requested));
    if let Some(&(level, pct)) = percents.iter().min_by_key(|(l, p)| (*p, std::cmp::Reverse(*l))) {
        out.push(personnel(level, pct, app));
    }
    if !forbidden.is_empty() {
        out.push(forbidden_uses(&forbidden, app));
    }
    if levels().any(|(_, b)| b.no_subcontracting) {
        out.push(no_subcontracting(app));
    }
}

/// The request against every level's cap. The lowest cap binds; but when the request is within
/// the most specific level's cap and above a broader one, the documents disagree (an item
/// funded above its track's cap) and a person decides.
fn cap(caps: &[(usize, Fen)], requested: Fen) -> Option<RuleResult> {
    let rule = "budget_cap";
    let &(low_level, low) = caps.iter().min_by_key(|(l, c)| (*c, std::cmp::Reverse(*l)))?;
    let &(own_level, own) = caps.iter().max_by_key(|(l, _)| *l)?;
    let req = money(requested);
    Some(if requested.0 <= 0 {
        RuleResult::new(rule, Outcome::NeedsCheck, &format!("申请金额未填写，无法与资金上限 {} 比对", money(low)))
    } else if requested <= low {
        RuleResult::new(
            rule,
            Outcome::Pass,
            &format!("申请金额 {req}，不超过{}资金上限 {}", level_zh(low_level), money(low)),
        )
    } else if requested <= own {
        let facts = format!(
            "申请金额 {req}，不超过{}资金 {}，但超过{}资金上限 {}，两处规定不一致",
            level_zh(own_level),
            money(own),
            level_zh(low_level),
            money(low)
        );
        RuleResult::new(rule, Outcome::NeedsCheck, &facts)
    } else {
        RuleResult::new(
            rule,
            Outcome::Fail,
            &format!("申请金额 {req}，超过{}资金上限 {}", level_zh(own_level), money(own)),
        )
    })
}

fn floor(floors: &[(usize, Fen)], requested: Fen) -> Option<RuleResult> {
    let rule = "budget_floor";
    let &(level, high) = floors.iter().max_by_key(|(l, f)| (*f, *l))?;
    let (lvl, req, f) = (level_zh(level), money(requested), money(high));
    Some(if requested.0 <= 0 {
        RuleResult::new(rule, Outcome::NeedsCheck, &format!("申请金额未填写，无法与资金下限 {f} 比对"))
    } else if requested >= high {
        RuleResult::new(rule, Outcome::Pass, &format!("申请金额 {req}，不低于{lvl}资金下限 {f}"))
    } else {
        RuleResult::new(rule, Outcome::Fail, &format!("申请金额 {req}，低于{lvl}资金下限 {f}"))
    })
}

/// Personnel lines at most `pct` percent of the request: `personnel × 100 ≤ requested × pct`,
/// exact in fen (so 45000.00 of 150000.00 passes 30%, 45015.00 fails). The share shown is
/// rounded down when it passes and up when it fails, so it never contradicts the verdict.
fn personnel(level: usize, pct: u32, app: &ApplicationFacts) -> RuleResult {
    let rule = "personnel_share";
    if app.requested.0 <= 0 {
        return RuleResult::new(rule, Outcome::NeedsCheck, "申请金额未填写，无法计算人员费用占比");
    }
    if app.budget_lines.is_empty() {
        return RuleResult::new(rule, Outcome::NeedsCheck, "申报书未填写预算明细，无法计算人员费用占比");
    }
    let personnel: i64 =
        app.budget_lines.iter().filter(|l| l.category == BudgetCategory::Personnel).map(|l| l.amount.0).sum();
    let (p, req, pct128) = (i128::from(personnel), i128::from(app.requested.0), i128::from(pct));
    let ok = p * 100 <= req * pct128;
    // share in hundredths of a percent
    let bp = if ok { p * 10_000 / req } else { (p * 10_000 + req - 1) / req };
    let limit = Fen(i64::try_from(req * pct128 / 100).unwrap_or(i64::MAX));
    let facts = format!(
        "人员费用 {}，占申请金额 {} 的 {}.{:02}%，{}{}规定的 {pct}%（上限 {}）",
        money(Fen(personnel)),
        money(app.requested),
        bp / 100,
        bp % 100,
        if ok { "不超过" } else { "超过" },
        level_zh(level),
        money(limit)
    );
    RuleResult::new(rule, if ok { Outcome::Pass } else { Outcome::Fail }, &facts)
}

/// A budget line whose text resembles a forbidden use is `NeedsCheck`, not `Fail`: the match is on
/// words, and "提高服务对象生活条件" shares words with "提高工作人员待遇" without being it. A person
/// reads the line and decides; no match passes, saying the comparison was on text.
fn forbidden_uses(forbidden: &[&str], app: &ApplicationFacts) -> RuleResult {
    let rule = "forbidden_uses";
    let list = forbidden.iter().map(|f| format!("“{f}”")).collect::<Vec<_>>().join("、");
    if app.budget_lines.is_empty() {
        return RuleResult::new(rule, Outcome::NeedsCheck, &format!("申报书未填写预算明细，无法核对禁止用途 {list}"));
    }
    let mut hits = Vec::new();
    for line in &app.budget_lines {
        if let Some(f) = forbidden.iter().find(|f| resembles(&line.uses, f)) {
            hits.push(format!(
                "预算明细“{}”（{} {}）与禁止用途“{f}”相近",
                line.uses,
                line.category.zh(),
                money(line.amount)
            ));
        }
    }
    if hits.is_empty() {
        let n = app.budget_lines.len();
        RuleResult::new(rule, Outcome::Pass, &format!("预算明细 {n} 项，按文字比对未发现禁止用途 {list}"))
    } else {
        RuleResult::new(rule, Outcome::NeedsCheck, &hits.join("；"))
    }
}

/// Whether `text` resembles the forbidden use `phrase`: it contains the phrase, or at least half
/// of the phrase's two-character pieces (punctuation and spaces ignored).
pub(super) fn resembles(text: &str, phrase: &str) -> bool {
    let clean = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<Vec<char>>();
    let (text, phrase) = (clean(text), clean(phrase));
    if phrase.is_empty() || text.is_empty() {
        return false;
    }
    if text.windows(phrase.len()).any(|w| w == phrase.as_slice()) {
        return true;
    }
    let mut pieces: Vec<&[char]> = phrase.windows(2).collect();
    pieces.dedup();
    pieces.sort();
    pieces.dedup();
    let found = pieces.iter().filter(|p| text.windows(2).any(|w| w == **p)).count();
    !pieces.is_empty() && found * 2 >= pieces.len()
}

fn no_subcontracting(app: &ApplicationFacts) -> RuleResult {
    let rule = "no_subcontracting";
    match app.subcontracting {
        Some(true) => RuleResult::new(rule, Outcome::Fail, "申报书表明项目将分包或转让实施，文件规定不得分包或转让"),
        Some(false) => RuleResult::new(rule, Outcome::Pass, "申报书声明项目不分包、不转让"),
        None => RuleResult::new(rule, Outcome::NeedsCheck, "申报书未声明项目是否分包或转让"),
    }
}
