//! Conditions on the organization, its record and its team.

use super::{d, get, good_app, good_org, run, today, with_eligibility};
use crate::eligibility::*;
use crate::rules::EligibilityRule as R;

fn one(rule: R, org: &OrgFacts) -> RuleResult {
    let results = run(&with_eligibility(vec![rule]), org);
    assert_eq!(results.len(), 1, "{results:?}");
    results.into_iter().next().unwrap()
}

fn with_team(certified: &[bool]) -> ApplicationFacts {
    let team = certified.iter().map(|c| TeamMember { name: String::new(), certified: *c }).collect();
    ApplicationFacts { team, ..good_app("p", "t", None) }
}

fn for_app(rule: R, app: &ApplicationFacts) -> RuleResult {
    let rules = with_eligibility(vec![rule]);
    evaluate(&[&rules], &good_org(), app, &Counts::default(), today()).remove(0)
}

#[test]
fn hangzhou_registered_before_2021_04_30_and_on_the_day_counts() {
    let rule = || R::RegisteredBefore { date: d(2021, 4, 30) };
    let r = one(rule(), &good_org());
    assert_eq!((r.rule.as_str(), r.outcome), ("registered_before", Outcome::Pass));
    assert_eq!(r.explanation, "登记日期 2016-05-10，早于 2021-04-30，符合");
    let on_day = one(rule(), &OrgFacts { registered_on: Some(d(2021, 4, 30)), ..good_org() });
    assert_eq!(on_day.outcome, Outcome::Pass, "{}", on_day.explanation);
    assert!(on_day.explanation.contains("当日"));
    let late = one(rule(), &OrgFacts { registered_on: Some(d(2021, 5, 1)), ..good_org() });
    assert_eq!(late.outcome, Outcome::Fail);
    assert_eq!(late.explanation, "登记日期 2021-05-01，晚于 2021-04-30，不符合");
    let missing = one(rule(), &OrgFacts { registered_on: None, ..good_org() });
    assert_eq!(missing.outcome, Outcome::NeedsCheck);
    assert!(missing.explanation.contains("缺少法人登记日期"));
}

#[test]
fn certificate_validity_against_today() {
    assert_eq!(one(R::CertificateValid, &good_org()).outcome, Outcome::Pass);
    let last_day = OrgFacts { certificate_valid_until: Some(today()), ..good_org() };
    assert_eq!(one(R::CertificateValid, &last_day).outcome, Outcome::Pass);
    let expired = one(R::CertificateValid, &OrgFacts { certificate_valid_until: Some(d(2025, 11, 21)), ..good_org() });
    assert_eq!(expired.outcome, Outcome::Fail);
    assert!(expired.explanation.contains("有效期至 2025-11-21"), "{}", expired.explanation);
    let revoked = OrgFacts { certificate_valid: Some(false), ..good_org() };
    assert_eq!(one(R::CertificateValid, &revoked).outcome, Outcome::Fail);
    let checked = OrgFacts { certificate_valid_until: None, certificate_valid: Some(true), ..good_org() };
    assert_eq!(one(R::CertificateValid, &checked).outcome, Outcome::Pass);
    let unknown = OrgFacts { certificate_valid_until: None, ..good_org() };
    assert_eq!(one(R::CertificateValid, &unknown).outcome, Outcome::NeedsCheck);
}

#[test]
fn qingtongxia_annual_inspection_2022() {
    let rule = || R::AnnualInspectionPassed { year: 2022 };
    assert_eq!(one(rule(), &good_org()).explanation, "2022 年度年检合格，符合");
    let mut failed = good_org();
    failed.annual_inspections.insert(2022, false);
    assert_eq!(one(rule(), &failed).outcome, Outcome::Fail);
    let young = OrgFacts { registered_on: Some(d(2023, 2, 1)), annual_inspections: Default::default(), ..good_org() };
    let r = one(rule(), &young);
    assert_eq!(r.outcome, Outcome::NeedsCheck);
    assert_eq!(r.explanation, "缺少 2022 年度年检记录（机构 2023-02-01 登记，晚于该年度），需人工核实");
}

#[test]
fn fangshan_no_penalty_in_2_years_and_not_under_investigation() {
    let rule = || R::NoPenaltyYears { years: 2 };
    let clean = one(rule(), &good_org());
    assert_eq!(clean.outcome, Outcome::Pass);
    assert_eq!(clean.explanation, "近2年内（2023-11-22 起）无行政处罚记录；未在接受有关部门调查，符合");
    let penalized = OrgFacts { penalty_record: Some(PenaltyRecord::LastOn(d(2024, 3, 1))), ..good_org() };
    let r = one(rule(), &penalized);
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(r.explanation.starts_with("近2年内（2023-11-22 起）有行政处罚记录（2024-03-01）"), "{}", r.explanation);
    // the window includes its first day; the day before is outside it
    let anniversary = OrgFacts { penalty_record: Some(PenaltyRecord::LastOn(d(2023, 11, 22))), ..good_org() };
    assert_eq!(one(rule(), &anniversary).outcome, Outcome::Fail);
    let older = OrgFacts { penalty_record: Some(PenaltyRecord::LastOn(d(2023, 11, 21))), ..good_org() };
    assert_eq!(one(rule(), &older).outcome, Outcome::Pass);
    let investigated = OrgFacts { under_investigation: Some(true), ..good_org() };
    let r = one(rule(), &investigated);
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(r.explanation.contains("正在因涉嫌违法违规接受有关部门调查"));
    let unknown = OrgFacts { penalty_record: None, ..good_org() };
    let r = one(rule(), &unknown);
    assert_eq!(r.outcome, Outcome::NeedsCheck);
    assert!(r.explanation.contains("缺少行政处罚记录核查结果"));
}

#[test]
fn blacklisted_org_fails() {
    let black = OrgFacts { blacklisted: Some(true), ..good_org() };
    let r = one(R::NotBlacklisted, &black);
    assert_eq!(r.outcome, Outcome::Fail);
    assert_eq!(r.explanation, "未列入活动异常名录；已列入严重违法失信名单，不符合");
    let abnormal = OrgFacts { abnormal_list: Some(true), ..good_org() };
    assert_eq!(one(R::NotBlacklisted, &abnormal).outcome, Outcome::Fail);
    assert_eq!(one(R::NotBlacklisted, &good_org()).outcome, Outcome::Pass);
    let unchecked = OrgFacts { blacklisted: None, ..good_org() };
    assert_eq!(one(R::NotBlacklisted, &unchecked).outcome, Outcome::NeedsCheck);
}

#[test]
fn the_lists_block_even_where_the_program_does_not_say_so() {
    let rules = with_eligibility(vec![R::MinStaff { full_time: 2, certified: 1 }]);
    let black = OrgFacts { blacklisted: Some(true), ..good_org() };
    let results = run(&rules, &black);
    let r = get(&results, "not_blacklisted");
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(r.explanation.contains("平台通用条件"));
    assert_eq!(overall(&results), Outcome::Fail);
    // unknown list status is asked only where the program states the condition
    let unchecked = OrgFacts { blacklisted: None, abnormal_list: None, ..good_org() };
    assert_eq!(run(&rules, &unchecked).len(), 1);
}

#[test]
fn fangshan_certified_lead() {
    assert_eq!(for_app(R::LeadCertified, &good_app("p", "t", None)).outcome, Outcome::Pass);
    let uncertified = ApplicationFacts { lead_certified: Some(false), ..good_app("p", "t", None) };
    let r = for_app(R::LeadCertified, &uncertified);
    assert_eq!(r.outcome, Outcome::Fail);
    assert_eq!(r.explanation, "项目负责人未持有社会工作职业水平证书，不符合");
    let no_lead = ApplicationFacts { lead_certified: None, ..good_app("p", "t", None) };
    assert_eq!(for_app(R::LeadCertified, &no_lead).outcome, Outcome::NeedsCheck);
}

#[test]
fn fangshan_team_mainly_certified() {
    let r = for_app(R::TeamMainlyCertified, &with_team(&[true, true, false]));
    assert_eq!(r.outcome, Outcome::Pass);
    assert_eq!(r.explanation, "执行团队 3 人，其中持证 2 人，持证人员占多数，符合");
    assert_eq!(for_app(R::TeamMainlyCertified, &with_team(&[true, false])).outcome, Outcome::NeedsCheck);
    assert_eq!(for_app(R::TeamMainlyCertified, &with_team(&[true, false, false])).outcome, Outcome::Fail);
    assert_eq!(for_app(R::TeamMainlyCertified, &with_team(&[])).outcome, Outcome::NeedsCheck);
}

#[test]
fn qingtongxia_min_staff_2_full_time_1_certified() {
    let rule = || R::MinStaff { full_time: 2, certified: 1 };
    let staff = |full_time, certified| OrgFacts { staff: Some(StaffFacts { full_time, certified }), ..good_org() };
    let r = one(rule(), &staff(2, 1));
    assert_eq!(r.outcome, Outcome::Pass);
    assert_eq!(r.explanation, "专职工作人员 2 名（要求至少 2 名），其中持证 1 名（要求至少 1 名），符合");
    assert_eq!(one(rule(), &staff(1, 1)).outcome, Outcome::Fail);
    assert_eq!(one(rule(), &staff(2, 0)).outcome, Outcome::Fail);
    assert_eq!(one(rule(), &OrgFacts { staff: None, ..good_org() }).outcome, Outcome::NeedsCheck);
}

#[test]
fn previous_project_passed() {
    assert_eq!(one(R::PreviousProjectPassed, &good_org()).outcome, Outcome::Pass);
    let failed = OrgFacts { previous_project: Some(PreviousResult::Failed), ..good_org() };
    assert_eq!(one(R::PreviousProjectPassed, &failed).outcome, Outcome::Fail);
    let newcomer = OrgFacts { previous_project: Some(PreviousResult::NoProject), ..good_org() };
    assert_eq!(one(R::PreviousProjectPassed, &newcomer).outcome, Outcome::NeedsCheck);
    let unknown = OrgFacts { previous_project: None, ..good_org() };
    assert_eq!(one(R::PreviousProjectPassed, &unknown).outcome, Outcome::NeedsCheck);
}

#[test]
fn registered_in_area_or_filed_at_a_street() {
    let rule = |ok| R::RegisteredInArea { area_code: "640381".into(), filed_at_street_ok: ok };
    let r = one(rule(false), &good_org());
    assert_eq!(r.outcome, Outcome::Pass);
    assert_eq!(r.explanation, "登记于青铜峡市民政局（640381），在 640381 范围内，符合");
    let elsewhere =
        OrgFacts {
            registration_authority: Some("吴忠市民政局".into()), area_code: Some("6403".into()), ..good_org()
        };
    assert_eq!(one(rule(false), &elsewhere).outcome, Outcome::Fail);
    let filed =
        OrgFacts { area_code: None, registered_on: None, filed_at_street: Some("640381001".into()), ..good_org() };
    assert_eq!(one(rule(true), &filed).outcome, Outcome::Pass);
    assert_eq!(one(rule(false), &filed).outcome, Outcome::NeedsCheck);
    let filed_elsewhere = OrgFacts { filed_at_street: Some("320613001".into()), ..filed.clone() };
    assert_eq!(one(rule(true), &filed_elsewhere).outcome, Outcome::Fail);
}

#[test]
fn min_rating() {
    let rule = || R::MinRating { rating: 3 };
    assert_eq!(one(rule(), &OrgFacts { rating: Some(4), ..good_org() }).outcome, Outcome::Pass);
    assert_eq!(one(rule(), &OrgFacts { rating: Some(2), ..good_org() }).outcome, Outcome::Fail);
    assert_eq!(one(rule(), &good_org()).outcome, Outcome::Fail);
}

#[test]
fn text_rules_need_checking_verbatim() {
    let text = "具有依法缴纳税收和社会保险的良好记录";
    let r = one(R::Text { text: text.into() }, &good_org());
    assert_eq!((r.rule.as_str(), r.outcome), ("text", Outcome::NeedsCheck));
    assert_eq!(r.explanation, format!("需人工核实：{text}"));
}
