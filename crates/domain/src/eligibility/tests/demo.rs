//! The real demo programs (crates/db/demo/programs) as the engine reads them.

use super::{d, get, good_app, good_org, line, today};
use crate::eligibility::*;
use crate::money::Fen;
use crate::program::ProgramSpec;

fn program(text: &str) -> ProgramSpec {
    ProgramSpec::from_toml(text).unwrap()
}

fn chongchuan() -> ProgramSpec {
    program(include_str!("../../../../db/demo/programs/chongchuan_9.toml"))
}

fn all_demos() -> Vec<ProgramSpec> {
    vec![
        chongchuan(),
        program(include_str!("../../../../db/demo/programs/chengguan.toml")),
        program(include_str!("../../../../db/demo/programs/fangshan_2020.toml")),
        program(include_str!("../../../../db/demo/programs/hangzhou_2021.toml")),
        program(include_str!("../../../../db/demo/programs/qingtongxia_2023.toml")),
    ]
}

/// A 2A organization registered with the Chongchuan bureau, applying to D05 for 10万.
fn chongchuan_org() -> OrgFacts {
    OrgFacts {
        registration_authority: Some("南通市崇川区民政局".into()),
        area_code: Some("320613".into()),
        rating: Some(2),
        ..good_org()
    }
}

fn d05_app() -> ApplicationFacts {
    ApplicationFacts {
        requested: Fen::from_wan(10),
        budget_lines: vec![
            line(BudgetCategory::Personnel, 30_000, "项目负责人和骨干补贴、财务人力"),
            line(BudgetCategory::Activities, 50_000, "心理和精神关爱服务、公益生日活动"),
            line(BudgetCategory::Materials, 15_000, "生日礼物"),
            line(BudgetCategory::Publicity, 5_000, "调研报告印制"),
        ],
        ..good_app("chongchuan-9", "directed", Some("D05"))
    }
}

#[test]
fn chongchuan_directed_track_from_the_demo_file() {
    let spec = chongchuan();
    let counts = Counts {
        applications_by_track: [("directed".to_string(), 1)].into_iter().collect(),
        program_applications: 1,
        ..Counts::default()
    };
    let results = evaluate_program(&spec, &chongchuan_org(), &d05_app(), &counts, today());
    let codes: Vec<&str> = results.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(
        codes,
        [
            "text",
            "text.2",
            "text.3",
            "text.4",
            "max_applications_track",
            "max_awards_track",
            "budget_cap",
            "personnel_share",
            "no_subcontracting"
        ]
    );
    assert_eq!(
        get(&results, "text").explanation,
        "需人工核实：在崇川区民政局或南通市民政局正式登记注册且有独立银行账户的公益性社会组织；"
    );
    assert_eq!(get(&results, "budget_cap").explanation, "申请金额 10万元，不超过项目条目资金上限 10万元，符合");
    assert_eq!(get(&results, "personnel_share").outcome, Outcome::Pass);
    assert_eq!(get(&results, "max_applications_track").outcome, Outcome::Pass);
    assert!(results.iter().all(|r| r.outcome != Outcome::Fail), "{results:#?}");
    assert_eq!(overall(&results), Outcome::NeedsCheck);

    // a third directed application of a 2A organization fails; a 3A one is exempt
    let two = Counts { applications_by_track: [("directed".to_string(), 2)].into_iter().collect(), ..counts };
    let third = evaluate_program(&spec, &chongchuan_org(), &d05_app(), &two, today());
    assert_eq!(get(&third, "max_applications_track").outcome, Outcome::Fail);
    assert_eq!(overall(&third), Outcome::Fail);
    let rated = OrgFacts { rating: Some(3), ..chongchuan_org() };
    let exempt = evaluate_program(&spec, &rated, &d05_app(), &two, today());
    assert_eq!(get(&exempt, "max_applications_track").outcome, Outcome::Pass);

    // D05 funds 10万: 12万 is within the track's 15万 but over the item's cap
    let greedy = ApplicationFacts { requested: Fen::from_wan(12), ..d05_app() };
    let r = evaluate_program(&spec, &chongchuan_org(), &greedy, &Counts::default(), today());
    assert_eq!(get(&r, "budget_cap").explanation, "申请金额 12万元，超过项目条目资金上限 10万元，不符合");
}

#[test]
fn chongchuan_micro_venture_from_the_demo_file() {
    let spec = chongchuan();
    let app = ApplicationFacts {
        requested: Fen::from_yuan(50_001),
        ..good_app("chongchuan-9", "micro_venture", Some("M01"))
    };
    let results = evaluate_program(&spec, &chongchuan_org(), &app, &Counts::default(), today());
    let r = get(&results, "budget_cap");
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(r.explanation.contains("5万元"), "{}", r.explanation);
    assert!(results.iter().all(|r| r.rule != "personnel_share"));
}

#[test]
fn qingtongxia_from_the_demo_file() {
    let spec = program(include_str!("../../../../db/demo/programs/qingtongxia_2023.toml"));
    let app = ApplicationFacts { requested: Fen::from_wan(10), ..good_app("qingtongxia-2023", "service", Some("1")) };
    let results = evaluate_program(&spec, &good_org(), &app, &Counts::default(), today());
    for code in ["registered_in_area", "annual_inspection_passed", "min_staff", "one_application_per_org", "budget_cap"]
    {
        assert_eq!(get(&results, code).outcome, Outcome::Pass, "{code}: {}", get(&results, code).explanation);
    }
    assert_eq!(overall(&results), Outcome::NeedsCheck);
    let again = Counts { program_applications: 1, ..Counts::default() };
    let results = evaluate_program(&spec, &good_org(), &app, &again, today());
    assert_eq!(get(&results, "one_application_per_org").outcome, Outcome::Fail);
    let small = OrgFacts { staff: Some(StaffFacts { full_time: 2, certified: 0 }), ..good_org() };
    let results = evaluate_program(&spec, &small, &app, &Counts::default(), today());
    assert_eq!(get(&results, "min_staff").outcome, Outcome::Fail);
}

#[test]
fn hangzhou_and_fangshan_from_the_demo_files() {
    let hangzhou = program(include_str!("../../../../db/demo/programs/hangzhou_2021.toml"));
    let app = ApplicationFacts {
        requested: Fen::from_wan(12),
        ..good_app("hangzhou-2021", "supplementary", Some("2021C1001E"))
    };
    let late = OrgFacts { registered_on: Some(d(2021, 5, 6)), ..good_org() };
    let results = evaluate_program(&hangzhou, &late, &app, &Counts::default(), d(2021, 6, 1));
    assert_eq!(get(&results, "registered_before").outcome, Outcome::Fail);
    assert_eq!(get(&results, "certificate_valid").outcome, Outcome::Pass);
    assert_eq!(get(&results, "budget_cap").outcome, Outcome::Pass);
    let black = OrgFacts { blacklisted: Some(true), ..good_org() };
    let results = evaluate_program(&hangzhou, &black, &app, &Counts::default(), d(2021, 6, 1));
    assert_eq!(get(&results, "not_blacklisted").outcome, Outcome::Fail);

    let fangshan = program(include_str!("../../../../db/demo/programs/fangshan_2020.toml"));
    let mut app = good_app("fangshan-2020", "guide", Some("1-1"));
    app.lead_certified = Some(false);
    app.budget_lines.push(line(BudgetCategory::Other, 20_000, "改善办公条件"));
    let results = evaluate_program(&fangshan, &good_org(), &app, &Counts::default(), d(2020, 2, 1));
    assert_eq!(get(&results, "lead_certified").outcome, Outcome::Fail);
    assert_eq!(get(&results, "no_penalty").outcome, Outcome::Pass);
    assert_eq!(get(&results, "team_mainly_certified").outcome, Outcome::Pass);
    assert_eq!(get(&results, "forbidden_uses").outcome, Outcome::NeedsCheck);
    assert_eq!(get(&results, "joint_applications").outcome, Outcome::Pass);
    assert_eq!(get(&results, "max_applications_program").outcome, Outcome::Pass);
}

#[test]
fn every_demo_program_evaluates_with_unique_codes() {
    for spec in all_demos() {
        let mut checked = 0;
        for track in &spec.tracks {
            let item = spec.items.iter().find(|i| i.track == track.code).map(|i| i.code.as_str());
            let app = good_app(&spec.code, &track.code, item);
            let results = evaluate_program(&spec, &good_org(), &app, &Counts::default(), today());
            checked += results.len();
            let mut codes: Vec<&str> = results.iter().map(|r| r.rule.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), results.len(), "{}: {results:#?}", spec.code);
            assert!(results.iter().all(|r| !r.explanation.is_empty() && r.rule != "scope"), "{}", spec.code);
        }
        assert!(checked > 0, "{}", spec.code);
    }
}

#[test]
fn an_application_outside_the_program_fails_scope() {
    let spec = chongchuan();
    let scope = |app: &ApplicationFacts| evaluate_program(&spec, &good_org(), app, &Counts::default(), today());
    let wrong_item = good_app("chongchuan-9", "micro_venture", Some("D05"));
    let r = scope(&wrong_item);
    assert_eq!((r.len(), r[0].rule.as_str(), r[0].outcome), (1, "scope", Outcome::Fail));
    assert_eq!(r[0].explanation, "项目条目 D05 属于板块 directed，不属于板块 micro_venture，不符合");
    assert_eq!(scope(&good_app("chongchuan-9", "nowhere", None))[0].rule, "scope");
    assert_eq!(scope(&good_app("chongchuan-9", "directed", Some("X99")))[0].rule, "scope");
    assert_eq!(scope(&good_app("fangshan-2020", "directed", Some("D05")))[0].rule, "scope");
}
