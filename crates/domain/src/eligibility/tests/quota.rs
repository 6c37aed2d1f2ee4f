//! Quotas with the Chongchuan and Fangshan numbers, Qingtongxia's one application, joint
//! applications.

use super::{get, good_app, good_org, today};
use crate::eligibility::*;
use crate::rules::{ProgramRules, Quota};

/// Chongchuan: 公益定投 at most 2 applications and 2 awards, 微公益创投 3 and 2, 3A exempt.
fn chongchuan_track(track: &str, max_applications: u32) -> ProgramRules {
    let quota = Quota {
        track: Some(track.into()),
        max_applications: Some(max_applications),
        max_awards: Some(2),
        exempt_min_rating: Some(3),
        note: format!("每家组织最多可申报{max_applications}个项目"),
    };
    ProgramRules { quotas: vec![quota], ..ProgramRules::default() }
}

fn counts(track: &str, applications: u32, awards: u32) -> Counts {
    Counts {
        applications_by_track: [(track.to_string(), applications)].into_iter().collect(),
        awards_by_track: [(track.to_string(), awards)].into_iter().collect(),
        program_applications: applications,
        program_awards: awards,
    }
}

fn quota_results(track_rules: &ProgramRules, track: &str, rating: Option<u8>, c: &Counts) -> Vec<RuleResult> {
    let program = ProgramRules::default();
    let org = OrgFacts { rating, ..good_org() };
    evaluate(&[&program, track_rules], &org, &good_app("chongchuan-9", track, None), c, today())
}

#[test]
fn chongchuan_directed_two_applications_without_3a() {
    let rules = chongchuan_track("directed", 2);
    let second = quota_results(&rules, "directed", Some(2), &counts("directed", 1, 0));
    let r = get(&second, "max_applications_track");
    assert_eq!(r.outcome, Outcome::Pass);
    assert_eq!(r.explanation, "本板块已有其他申报 1 个，本申报为第 2 个，不超过每家组织最多 2 个，符合");
    let third = quota_results(&rules, "directed", Some(2), &counts("directed", 2, 0));
    let r = get(&third, "max_applications_track");
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(
        r.explanation.contains("本申报为第 3 个，超过每家组织最多 2 个；等级评估 2A，未达 3A"),
        "{}",
        r.explanation
    );
    assert!(r.explanation.contains("文件：每家组织最多可申报2个项目"));
    let unrated = quota_results(&rules, "directed", None, &counts("directed", 2, 0));
    assert_eq!(get(&unrated, "max_applications_track").outcome, Outcome::Fail);
}

#[test]
fn chongchuan_directed_3a_is_exempt() {
    let rules = chongchuan_track("directed", 2);
    for rating in [3, 5] {
        let results = quota_results(&rules, "directed", Some(rating), &counts("directed", 5, 4));
        for code in ["max_applications_track", "max_awards_track"] {
            let r = get(&results, code);
            assert_eq!(r.outcome, Outcome::Pass, "{code}: {}", r.explanation);
            assert!(r.explanation.contains(&format!("等级评估 {rating}A，达到 3A 以上，不受数量限制")));
        }
    }
}

#[test]
fn chongchuan_two_awards_at_most() {
    let rules = chongchuan_track("directed", 2);
    let one_award = quota_results(&rules, "directed", Some(2), &counts("directed", 1, 1));
    assert_eq!(get(&one_award, "max_awards_track").outcome, Outcome::Pass);
    let two_awards = quota_results(&rules, "directed", Some(2), &counts("directed", 1, 2));
    let r = get(&two_awards, "max_awards_track");
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(r.explanation.starts_with("本板块已获立项 2 个，已达每家组织最多 2 个"), "{}", r.explanation);
}

#[test]
fn chongchuan_micro_venture_three_applications() {
    let rules = chongchuan_track("micro_venture", 3);
    let third = quota_results(&rules, "micro_venture", None, &counts("micro_venture", 2, 0));
    assert_eq!(get(&third, "max_applications_track").outcome, Outcome::Pass);
    let fourth = quota_results(&rules, "micro_venture", None, &counts("micro_venture", 3, 0));
    assert_eq!(get(&fourth, "max_applications_track").outcome, Outcome::Fail);
    // applications in another track do not count here
    let other = quota_results(&rules, "micro_venture", None, &counts("directed", 3, 2));
    assert_eq!(get(&other, "max_applications_track").outcome, Outcome::Pass);
}

#[test]
fn a_quota_of_another_track_does_not_apply() {
    let rules = chongchuan_track("directed", 2);
    let results = quota_results(&rules, "micro_venture", None, &counts("micro_venture", 9, 9));
    assert!(results.is_empty(), "{results:?}");
}

#[test]
fn fangshan_two_applications_in_the_whole_program() {
    let quota = Quota {
        track: None,
        max_applications: Some(2),
        max_awards: None,
        exempt_min_rating: None,
        note: "单一社会组织既可申报社会组织服务项目不能超过2个。".into(),
    };
    let program = ProgramRules { quotas: vec![quota], ..ProgramRules::default() };
    let app = good_app("fangshan-2020", "guide", Some("1-1"));
    let c = |n| Counts { program_applications: n, ..Counts::default() };
    let ok = evaluate(&[&program], &good_org(), &app, &c(1), today());
    assert_eq!(get(&ok, "max_applications_program").outcome, Outcome::Pass);
    let over = evaluate(&[&program], &good_org(), &app, &c(2), today());
    let r = get(&over, "max_applications_program");
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(r.explanation.starts_with("本计划已有其他申报 2 个"));
}

#[test]
fn qingtongxia_one_application_per_org() {
    let program = ProgramRules { one_application_per_org: true, ..ProgramRules::default() };
    let app = good_app("qingtongxia-2023", "service", Some("1"));
    let first = evaluate(&[&program], &good_org(), &app, &Counts::default(), today());
    assert_eq!(get(&first, "one_application_per_org").outcome, Outcome::Pass);
    let c = Counts { program_applications: 1, ..Counts::default() };
    let second = evaluate(&[&program], &good_org(), &app, &c, today());
    let r = get(&second, "one_application_per_org");
    assert_eq!(r.outcome, Outcome::Fail);
    assert_eq!(r.explanation, "本计划每个机构最多申报1个项目，本机构已有其他申报 1 个，不符合");
}

#[test]
fn joint_applications() {
    let rules = |allowed| ProgramRules { joint_applications: allowed, ..ProgramRules::default() };
    let joint = ApplicationFacts {
        joint_applicants: vec!["甲社工事务所".into(), "乙协会".into()],
        ..good_app("p", "t", None)
    };
    let run = |r: &ProgramRules, a: &ApplicationFacts| evaluate(&[r], &good_org(), a, &Counts::default(), today());
    let r = run(&rules(Some(false)), &joint);
    assert_eq!(get(&r, "joint_applications").outcome, Outcome::Fail);
    assert_eq!(
        get(&r, "joint_applications").explanation,
        "联合申报方：甲社工事务所、乙协会；本计划不允许联合申报，不符合"
    );
    assert_eq!(get(&run(&rules(Some(true)), &joint), "joint_applications").outcome, Outcome::NeedsCheck);
    assert_eq!(get(&run(&rules(None), &joint), "joint_applications").outcome, Outcome::NeedsCheck);
    let single = good_app("p", "t", None);
    assert_eq!(get(&run(&rules(Some(false)), &single), "joint_applications").outcome, Outcome::Pass);
    assert!(run(&rules(None), &single).is_empty());
    // the most specific level that says decides
    let track = rules(Some(false));
    let results = evaluate(&[&rules(Some(true)), &track], &good_org(), &joint, &Counts::default(), today());
    assert_eq!(get(&results, "joint_applications").outcome, Outcome::Fail);
}
