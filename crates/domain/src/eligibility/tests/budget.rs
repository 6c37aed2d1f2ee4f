//! Budget rules with the documents' numbers: caps 15万/5万, personnel ≤30%, Chengguan's floor,
//! Fangshan's forbidden uses, Chongchuan's no subcontracting.

use super::{get, good_app, good_org, line, today};
use crate::eligibility::budget::resembles;
use crate::eligibility::*;
use crate::money::Fen;
use crate::rules::{BudgetRules, ProgramRules};

fn budget(b: BudgetRules) -> ProgramRules {
    ProgramRules { budget: b, ..ProgramRules::default() }
}

fn run_levels(levels: &[&ProgramRules], app: &ApplicationFacts) -> Vec<RuleResult> {
    evaluate(levels, &good_org(), app, &Counts::default(), today())
}

fn asking(requested: Fen, lines: Vec<BudgetLine>) -> ApplicationFacts {
    ApplicationFacts { requested, budget_lines: lines, ..good_app("chongchuan-9", "directed", None) }
}

#[test]
fn personnel_30_percent_boundary_in_exact_fen() {
    let rules = budget(BudgetRules { personnel_max_percent: Some(30), ..BudgetRules::default() });
    let at = asking(
        Fen::from_wan(15),
        vec![
            line(BudgetCategory::Personnel, 30_000, "项目负责人补贴"),
            line(BudgetCategory::Personnel, 15_000, "财务人力"),
            line(BudgetCategory::Activities, 105_000, "活动"),
        ],
    );
    let r = get(&run_levels(&[&ProgramRules::default(), &rules], &at), "personnel_share").clone();
    assert_eq!(r.outcome, Outcome::Pass);
    assert_eq!(
        r.explanation,
        "人员费用 45000.00元，占申请金额 15万元 的 30.00%，不超过板块规定的 30%（上限 45000.00元），符合"
    );
    let over = asking(Fen::from_wan(15), vec![line(BudgetCategory::Personnel, 45_015, "项目专员人力成本")]);
    let r = get(&run_levels(&[&ProgramRules::default(), &rules], &over), "personnel_share").clone();
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(r.explanation.contains("30.01%，超过板块规定的 30%"), "{}", r.explanation);
    // one fen over is over, and the share shown never reads as 30.00%
    let fen_over = asking(
        Fen::from_wan(15),
        vec![BudgetLine { category: BudgetCategory::Personnel, amount: Fen(4_500_001), uses: String::new() }],
    );
    let r = get(&run_levels(&[&rules], &fen_over), "personnel_share").clone();
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(r.explanation.contains("30.01%"), "{}", r.explanation);
    let no_lines = asking(Fen::from_wan(15), vec![]);
    assert_eq!(get(&run_levels(&[&rules], &no_lines), "personnel_share").outcome, Outcome::NeedsCheck);
    let no_request = asking(Fen(0), vec![line(BudgetCategory::Personnel, 1, "")]);
    assert_eq!(get(&run_levels(&[&rules], &no_request), "personnel_share").outcome, Outcome::NeedsCheck);
}

#[test]
fn chongchuan_caps_15_wan_directed_and_5_wan_micro_venture() {
    let directed = budget(BudgetRules { cap: Some(Fen::from_wan(15)), ..BudgetRules::default() });
    let micro = budget(BudgetRules { cap: Some(Fen::from_wan(5)), ..BudgetRules::default() });
    let program = ProgramRules::default();
    let cap = |track: &ProgramRules, fen: i64| {
        get(&run_levels(&[&program, track], &asking(Fen(fen), vec![])), "budget_cap").clone()
    };
    let r = cap(&directed, 15_000_000);
    assert_eq!(r.outcome, Outcome::Pass);
    assert_eq!(r.explanation, "申请金额 15万元，不超过板块资金上限 15万元，符合");
    let r = cap(&directed, 15_000_001);
    assert_eq!(r.outcome, Outcome::Fail);
    assert_eq!(r.explanation, "申请金额 150000.01元，超过板块资金上限 15万元，不符合");
    assert_eq!(cap(&micro, 5_000_000).outcome, Outcome::Pass);
    assert_eq!(cap(&micro, 5_000_100).outcome, Outcome::Fail);
    assert_eq!(cap(&micro, 0).outcome, Outcome::NeedsCheck);
}

#[test]
fn the_items_funding_cap_applies_too() {
    let track = budget(BudgetRules { cap: Some(Fen::from_wan(15)), ..BudgetRules::default() });
    // D01 文明城市创建宣传计划: 2万
    let d01 = budget(BudgetRules { cap: Some(Fen::from_wan(2)), ..BudgetRules::default() });
    let levels = [&ProgramRules::default(), &track, &d01];
    let r = get(&run_levels(&levels, &asking(Fen::from_wan(3), vec![])), "budget_cap").clone();
    assert_eq!(r.outcome, Outcome::Fail);
    assert_eq!(r.explanation, "申请金额 3万元，超过项目条目资金上限 2万元，不符合");
    let r = get(&run_levels(&levels, &asking(Fen::from_wan(2), vec![])), "budget_cap").clone();
    assert_eq!(r.explanation, "申请金额 2万元，不超过项目条目资金上限 2万元，符合");
    // D04 梦想改造＋: the item funds 20万 although the track caps at 15万
    let d04 = budget(BudgetRules { cap: Some(Fen::from_wan(20)), ..BudgetRules::default() });
    let levels = [&ProgramRules::default(), &track, &d04];
    let r = get(&run_levels(&levels, &asking(Fen::from_wan(18), vec![])), "budget_cap").clone();
    assert_eq!(r.outcome, Outcome::NeedsCheck);
    assert!(r.explanation.contains("不超过项目条目资金 20万元，但超过板块资金上限 15万元"), "{}", r.explanation);
    assert_eq!(get(&run_levels(&levels, &asking(Fen::from_wan(21), vec![])), "budget_cap").outcome, Outcome::Fail);
    assert_eq!(get(&run_levels(&levels, &asking(Fen::from_wan(15), vec![])), "budget_cap").outcome, Outcome::Pass);
}

#[test]
fn chengguan_floor_15_wan() {
    let rules = budget(BudgetRules { floor: Some(Fen::from_wan(15)), ..BudgetRules::default() });
    let r = get(&run_levels(&[&rules], &asking(Fen::from_wan(15), vec![])), "budget_floor").clone();
    assert_eq!(r.explanation, "申请金额 15万元，不低于计划资金下限 15万元，符合");
    let r = get(&run_levels(&[&rules], &asking(Fen::from_yuan(149_999), vec![])), "budget_floor").clone();
    assert_eq!(r.outcome, Outcome::Fail);
}

#[test]
fn fangshan_forbidden_uses_need_a_check() {
    let rules = budget(BudgetRules {
        forbidden_uses: vec!["提高项目单位工作人员待遇".into(), "改善自身办公条件".into()],
        ..BudgetRules::default()
    });
    let clean = good_app("fangshan-2020", "guide", Some("1-1"));
    let r = get(&run_levels(&[&rules], &clean), "forbidden_uses").clone();
    assert_eq!(r.outcome, Outcome::Pass);
    assert!(r.explanation.contains("按文字比对未发现禁止用途"), "{}", r.explanation);
    let mut raise = clean.clone();
    raise.budget_lines.push(line(BudgetCategory::Personnel, 6_000, "提高工作人员待遇"));
    raise.budget_lines.push(line(BudgetCategory::Other, 8_000, "改善办公条件，购置空调"));
    let r = get(&run_levels(&[&rules], &raise), "forbidden_uses").clone();
    assert_eq!(r.outcome, Outcome::NeedsCheck);
    assert!(
        r.explanation
            .contains("预算明细“提高工作人员待遇”（人员费用 6000.00元）与禁止用途“提高项目单位工作人员待遇”相近"),
        "{}",
        r.explanation
    );
    assert!(r.explanation.contains("与禁止用途“改善自身办公条件”相近"), "{}", r.explanation);
}

#[test]
fn resemblance_is_on_words() {
    assert!(resembles("用于提高项目单位工作人员待遇。", "提高项目单位工作人员待遇"));
    assert!(resembles("办公场所装修", "办公场所装修"));
    assert!(resembles("人员工资福利提高", "人员工资福利的提高"));
    assert!(!resembles("项目负责人和骨干补贴", "提高项目单位工作人员待遇"));
    assert!(!resembles("小组活动物料", "改善自身办公条件"));
    assert!(!resembles("", "改善自身办公条件"));
    assert!(!resembles("任何", ""));
}

#[test]
fn chongchuan_no_subcontracting() {
    let rules = budget(BudgetRules { no_subcontracting: true, ..BudgetRules::default() });
    let app = |s| ApplicationFacts { subcontracting: s, ..good_app("chongchuan-9", "directed", None) };
    assert_eq!(get(&run_levels(&[&rules], &app(Some(false))), "no_subcontracting").outcome, Outcome::Pass);
    assert_eq!(get(&run_levels(&[&rules], &app(Some(true))), "no_subcontracting").outcome, Outcome::Fail);
    assert_eq!(get(&run_levels(&[&rules], &app(None)), "no_subcontracting").outcome, Outcome::NeedsCheck);
}
