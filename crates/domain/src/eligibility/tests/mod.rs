//! Tests with the documents' numbers. Fixtures: an organization whose every fact is good and
//! known, an application with a clean budget, and rules built in place or loaded from the demo
//! programs.

mod budget;
mod demo;
mod org;
mod quota;

use chrono::NaiveDate;

use crate::eligibility::*;
use crate::money::Fen;
use crate::rules::{EligibilityRule, ProgramRules};

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The day the tests evaluate on.
pub(super) fn today() -> NaiveDate {
    d(2025, 11, 22)
}

/// An organization registered in Qingtongxia in 2016 with every fact known and good, no rating.
pub(super) fn good_org() -> OrgFacts {
    OrgFacts {
        registered_on: Some(d(2016, 5, 10)),
        registration_authority: Some("青铜峡市民政局".into()),
        area_code: Some("640381".into()),
        certificate_valid_until: Some(d(2026, 5, 9)),
        certificate_valid: None,
        rating: None,
        annual_inspections: [(2022, true), (2023, true), (2024, true)].into_iter().collect(),
        abnormal_list: Some(false),
        blacklisted: Some(false),
        under_investigation: Some(false),
        penalty_record: Some(PenaltyRecord::Clean),
        staff: Some(StaffFacts { full_time: 3, certified: 2 }),
        previous_project: Some(PreviousResult::Passed),
        filed_at_street: None,
    }
}

pub(super) fn line(category: BudgetCategory, yuan: i64, uses: &str) -> BudgetLine {
    BudgetLine { category, amount: Fen::from_yuan(yuan), uses: uses.into() }
}

/// An application for 15万 with 30% personnel, a certified lead and a mostly certified team.
pub(super) fn good_app(program: &str, track: &str, item: Option<&str>) -> ApplicationFacts {
    ApplicationFacts {
        program_code: program.into(),
        track_code: track.into(),
        item_code: item.map(Into::into),
        requested: Fen::from_wan(15),
        budget_lines: vec![
            line(BudgetCategory::Personnel, 45_000, "项目负责人和骨干补贴"),
            line(BudgetCategory::Activities, 80_000, "小组活动和社区活动场地、物料"),
            line(BudgetCategory::Publicity, 10_000, "宣传折页印制"),
            line(BudgetCategory::Evaluation, 15_000, "第三方评估"),
        ],
        lead_certified: Some(true),
        team: vec![
            TeamMember { name: "张三".into(), certified: true },
            TeamMember { name: "李四".into(), certified: true },
            TeamMember { name: "王五".into(), certified: false },
        ],
        subcontracting: Some(false),
        joint_applicants: vec![],
    }
}

pub(super) fn with_eligibility(rules: Vec<EligibilityRule>) -> ProgramRules {
    ProgramRules { eligibility: rules, ..ProgramRules::default() }
}

/// Evaluate one level of rules for the good application.
pub(super) fn run(rules: &ProgramRules, org: &OrgFacts) -> Vec<RuleResult> {
    evaluate(&[rules], org, &good_app("p", "t", None), &Counts::default(), today())
}

/// The result with this code; panics naming the codes present.
pub(super) fn get<'a>(results: &'a [RuleResult], code: &str) -> &'a RuleResult {
    results.iter().find(|r| r.rule == code).unwrap_or_else(|| {
        panic!("no {code} in {:?}", results.iter().map(|r| &r.rule).collect::<Vec<_>>());
    })
}

#[test]
fn overall_is_the_worst_outcome() {
    let r = |o| RuleResult::new("x", o, "事实");
    assert_eq!(overall(&[]), Outcome::Pass);
    assert_eq!(overall(&[r(Outcome::Pass), r(Outcome::Pass)]), Outcome::Pass);
    assert_eq!(overall(&[r(Outcome::Pass), r(Outcome::NeedsCheck)]), Outcome::NeedsCheck);
    assert_eq!(overall(&[r(Outcome::NeedsCheck), r(Outcome::Fail), r(Outcome::Pass)]), Outcome::Fail);
    assert_eq!(r(Outcome::Fail).explanation, "事实，不符合");
    assert_eq!(Outcome::parse("needs_check"), Some(Outcome::NeedsCheck));
    assert_eq!(serde_json::to_string(&Outcome::NeedsCheck).unwrap(), "\"needs_check\"");
}

#[test]
fn repeated_codes_are_numbered_and_identical_rules_checked_once() {
    let program = with_eligibility(vec![
        EligibilityRule::Text { text: "甲".into() },
        EligibilityRule::Text { text: "乙".into() },
        EligibilityRule::CertificateValid,
    ]);
    let track = with_eligibility(vec![EligibilityRule::CertificateValid, EligibilityRule::Text { text: "丙".into() }]);
    let results = evaluate(&[&program, &track], &good_org(), &good_app("p", "t", None), &Counts::default(), today());
    let codes: Vec<&str> = results.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(codes, ["text", "text.2", "certificate_valid", "text.3"]);
    assert_eq!(get(&results, "text.3").explanation, "需人工核实：丙");
}

#[test]
fn no_rules_no_results_for_a_clean_org() {
    let results = run(&ProgramRules::default(), &good_org());
    assert!(results.is_empty(), "{results:?}");
}

#[test]
fn facts_round_trip_through_json() {
    let org = OrgFacts { penalty_record: Some(PenaltyRecord::LastOn(d(2024, 3, 1))), ..good_org() };
    let json = serde_json::to_string(&org).unwrap();
    assert_eq!(serde_json::from_str::<OrgFacts>(&json).unwrap(), org);
    let app = good_app("p", "t", Some("D01"));
    let json = serde_json::to_string(&app).unwrap();
    assert_eq!(serde_json::from_str::<ApplicationFacts>(&json).unwrap(), app);
    assert_eq!(BudgetCategory::parse("personnel"), Some(BudgetCategory::Personnel));
}
