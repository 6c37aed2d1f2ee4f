#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The five demo programs (crates/db/demo/programs/*.toml) parse into `ProgramSpec` and carry the
//! facts of their source documents (shared/seeds/000–004).

use domain::money::Fen;
use domain::program::{CallItem, Metric, Period, ProgramSpec, ProgramStatus, TrackKind};
use domain::rules::{EligibilityRule, EvaluationStage, NoticeRule, ProgramRules, Quota};

const HANGZHOU: &str = include_str!("../../db/demo/programs/hangzhou_2021.toml");
const FANGSHAN: &str = include_str!("../../db/demo/programs/fangshan_2020.toml");
const CHONGCHUAN: &str = include_str!("../../db/demo/programs/chongchuan_9.toml");
const QINGTONGXIA: &str = include_str!("../../db/demo/programs/qingtongxia_2023.toml");
const CHENGGUAN: &str = include_str!("../../db/demo/programs/chengguan.toml");

fn parse(name: &str, text: &str) -> ProgramSpec {
    match ProgramSpec::from_toml(text) {
        Ok(p) => p,
        Err(e) => panic!("{name} does not parse: {e}"),
    }
}

fn all() -> Vec<ProgramSpec> {
    vec![
        parse("hangzhou_2021", HANGZHOU),
        parse("fangshan_2020", FANGSHAN),
        parse("chongchuan_9", CHONGCHUAN),
        parse("qingtongxia_2023", QINGTONGXIA),
        parse("chengguan", CHENGGUAN),
    ]
}

fn item<'a>(p: &'a ProgramSpec, code: &str) -> &'a CallItem {
    p.items.iter().find(|i| i.code == code).unwrap_or_else(|| panic!("{}: no item {code}", p.code))
}

fn items_of<'a>(p: &'a ProgramSpec, track: &str) -> Vec<&'a CallItem> {
    p.items.iter().filter(|i| i.track == track).collect()
}

fn track_rules<'a>(p: &'a ProgramSpec, code: &str) -> &'a ProgramRules {
    &p.tracks.iter().find(|t| t.code == code).unwrap_or_else(|| panic!("{}: no track {code}", p.code)).rules
}

fn percents(r: &ProgramRules) -> Vec<u32> {
    r.tranches.iter().map(|t| t.percent).collect()
}

fn all_rules(p: &ProgramSpec) -> Vec<(String, &ProgramRules)> {
    let mut v = vec![(format!("{} program", p.code), &p.rules)];
    v.extend(p.tracks.iter().map(|t| (format!("{} track {}", p.code, t.code), &t.rules)));
    v.extend(p.items.iter().map(|i| (format!("{} item {}", p.code, i.code), &i.rules)));
    v
}

#[test]
fn every_program_parses_is_public_and_consistent() {
    let programs = all();
    let codes: Vec<&str> = programs.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["hangzhou-2021", "fangshan-2020", "chongchuan-9", "qingtongxia-2023", "chengguan-2023"]);
    for p in &programs {
        // the calls whose deadlines passed long ago are closed; the rest stay open for the demo
        let expected = if ["hangzhou-2021", "fangshan-2020"].contains(&p.code.as_str()) {
            ProgramStatus::Closed
        } else {
            ProgramStatus::Published
        };
        assert_eq!(p.status, expected, "{}", p.code);
        assert!(!p.source.is_empty(), "{} has a source", p.code);
        assert!(!p.items.is_empty(), "{} has items", p.code);
        let track_codes: Vec<&str> = p.tracks.iter().map(|t| t.code.as_str()).collect();
        let mut seen = std::collections::HashSet::new();
        for i in &p.items {
            assert!(
                track_codes.contains(&i.track.as_str()),
                "{} item {} has unknown track {}",
                p.code,
                i.code,
                i.track
            );
            assert!(seen.insert(i.code.as_str()), "{} item code {} repeated", p.code, i.code);
            for o in &i.outputs {
                assert!(!o.description.trim().is_empty(), "{} item {} has an output without wording", p.code, i.code);
                if let (Some(lo), Some(hi)) = (o.quantity, o.quantity_max) {
                    assert!(lo <= hi, "{} item {}: range {lo}–{hi}", p.code, i.code);
                }
            }
            for c in &i.place_codes {
                assert!(c.starts_with(&p.area_code), "{} item {}: place {c} outside {}", p.code, i.code, p.area_code);
                assert!(matches!(c.len(), 6 | 9 | 12), "{} item {}: place code {c}", p.code, i.code);
            }
        }
    }
}

#[test]
fn tranche_schedules_sum_to_100() {
    for p in all() {
        for (whose, r) in all_rules(&p) {
            if !r.tranches.is_empty() {
                assert_eq!(r.tranche_total(), 100, "{whose}");
            }
        }
    }
}

#[test]
fn hangzhou_2021_supplementary_items() {
    let p = parse("hangzhou_2021", HANGZHOU);
    assert_eq!(p.funder, "杭州市民政局");
    assert_eq!(p.year, 2021);
    assert_eq!(p.area_code, "3301");
    assert_eq!(p.tracks.len(), 1);
    assert_eq!(p.tracks[0].kind, TrackKind::Supplementary);
    let codes: Vec<&str> = p.items.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, ["2021C1001E", "2021C1006B", "2021B1001D", "2021B1005G", "2021A1002"]);
    let caps: Vec<Option<Fen>> = p.items.iter().map(|i| i.funding_cap).collect();
    assert_eq!(caps, [120_000, 150_000, 200_000, 150_000, 180_000].map(|y| Some(Fen::from_yuan(y))).to_vec());

    let first = item(&p, "2021C1001E");
    assert_eq!(first.name, "散居特困人员探访关爱项目（桐庐一片区）");
    assert_eq!(first.category, "社会救助类");
    assert_eq!(first.funding_cap, Some(Fen::from_wan(12)));
    assert_eq!(first.place_codes, ["330122109", "330122110", "330122112", "330122210"]);
    assert_eq!(first.period_start.map(|d| d.to_string()).as_deref(), Some("2021-07-01"));
    assert_eq!(first.period_end.map(|d| d.to_string()).as_deref(), Some("2022-05-31"));
    // weekly visits, at least 40 a year; files and needs assessment within a month; 80% satisfaction
    let visits = first.outputs.iter().find(|o| o.metric == Metric::Visits).expect("visits");
    assert_eq!(
        (visits.quantity, visits.period, visits.min_per_year, visits.per_beneficiary),
        (Some(1), Some(Period::Week), Some(40), true)
    );
    assert!(first.outputs.iter().any(|o| o.metric == Metric::FilesBuilt && o.within_days_of_start == Some(30)));
    assert!(first.outputs.iter().any(|o| o.metric == Metric::NeedsAssessments && o.within_days_of_start == Some(30)));
    assert!(first.outputs.iter().any(|o| o.metric == Metric::Satisfaction && o.quantity == Some(80)));

    let elders = item(&p, "2021B1001D");
    assert!(elders.outputs.iter().any(|o| o.metric == Metric::Visits && o.quantity == Some(10_000)));
    assert!(
        elders
            .outputs
            .iter()
            .any(|o| o.metric == Metric::Visits && o.period == Some(Period::Month) && o.per_beneficiary)
    );
    assert!(elders.outputs.iter().any(|o| o.metric == Metric::Beneficiaries && o.quantity == Some(1000)));

    let social = item(&p, "2021C1006B");
    assert!(social.outputs.iter().any(|o| o.metric == Metric::SupervisionPersonTimes && o.quantity == Some(60)));
    assert!(social.outputs.iter().any(|o| o.metric == Metric::SupervisionHours && o.quantity == Some(120)));
    assert!(social.outputs.iter().any(|o| o.metric == Metric::Cases && o.min_months == Some(6)));
    assert!(social.outputs.iter().any(|o| o.metric == Metric::Satisfaction && o.quantity == Some(85)));

    let carers = item(&p, "2021B1005G");
    assert!(carers.outputs.iter().any(|o| o.metric == Metric::TrainingHours && o.quantity == Some(20)));
    assert!(carers.outputs.iter().any(|o| o.metric == Metric::PassRate && o.quantity == Some(80)));

    assert!(
        p.rules
            .eligibility
            .iter()
            .any(|r| matches!(r, EligibilityRule::RegisteredBefore { date } if date.to_string() == "2021-04-30"))
    );
    assert!(p.rules.eligibility.contains(&EligibilityRule::NotBlacklisted));
    let deadline = p.phases.iter().find_map(|ph| ph.deadline).expect("a deadline");
    assert_eq!(deadline.to_string(), "2021-06-10 12:00:00");
}

#[test]
fn fangshan_2020_guide_directions() {
    let p = parse("fangshan_2020", FANGSHAN);
    assert_eq!(p.funder, "房山区民政局");
    assert_eq!(p.area_code, "110111");
    assert_eq!(p.tracks.len(), 1);
    assert_eq!(p.tracks[0].kind, TrackKind::Guide);
    let codes: Vec<&str> = p.items.iter().map(|i| i.code.as_str()).collect();
    // exactly as published: there is no 2-5
    assert_eq!(
        codes,
        [
            "1-1", "1-2", "1-3", "1-4", "1-5", "2-1", "2-2", "2-3", "2-4", "2-6", "3-1", "3-2", "3-3", "3-4", "4-1",
            "4-2", "5-1", "5-2"
        ]
    );
    for i in &p.items {
        assert!(!i.beneficiaries.is_empty() && !i.objectives.is_empty() && !i.content.is_empty(), "{}", i.code);
        assert!(!i.indicators.is_empty(), "{} has evaluation indicators", i.code);
        assert!(!i.category.is_empty(), "{}", i.code);
    }
    assert_eq!(item(&p, "2-6").name, "老年社区参与服务项目");
    assert_eq!(item(&p, "5-2").category, "社工服务类");

    let quota: &Quota = p.rules.quotas.first().expect("a quota");
    assert_eq!(quota.max_applications, Some(2));
    assert_eq!(p.rules.joint_applications, Some(true));
    let e = &p.rules.eligibility;
    assert!(e.contains(&EligibilityRule::NoPenaltyYears { years: 2 }));
    assert!(e.contains(&EligibilityRule::LeadCertified));
    assert!(e.contains(&EligibilityRule::TeamMainlyCertified));
    assert!(e.contains(&EligibilityRule::PreviousProjectPassed));
    assert_eq!(p.rules.budget.forbidden_uses.len(), 2);
    let deadline = p.phases.iter().find_map(|ph| ph.deadline).expect("a deadline");
    assert_eq!(deadline.date().to_string(), "2020-02-07");
}

#[test]
fn chongchuan_9_tracks_catalog_and_money() {
    let p = parse("chongchuan_9", CHONGCHUAN);
    assert_eq!(p.funder, "南通市崇川区民政局");
    assert_eq!(p.operator.as_deref(), Some("南通市崇川爱德社会组织建设中心"));
    assert_eq!(p.area_code, "320613");
    let kinds: Vec<TrackKind> = p.tracks.iter().map(|t| t.kind).collect();
    assert_eq!(kinds, [TrackKind::StreetPlan, TrackKind::Directed, TrackKind::MicroVenture]);

    let directed = items_of(&p, "directed");
    assert_eq!(directed.len(), 15);
    let slots: Vec<u32> = directed.iter().map(|i| i.slots.unwrap_or(0)).collect();
    assert_eq!(slots, [1, 1, 2, 1, 1, 1, 1, 2, 6, 5, 1, 2, 2, 1, 1]);
    assert!(directed.iter().all(|i| i.support_units.len() == 1 && i.funding_cap.is_some()));
    assert_eq!(item(&p, "D04").support_units, ["共青团区委"]);
    assert_eq!(item(&p, "D03").support_units, ["崇川区总工会"]);
    assert_eq!(item(&p, "D01").support_units, ["崇川区文明办"]);
    assert_eq!(item(&p, "D14").funding_cap, Some(Fen::from_wan(15)));
    assert_eq!(item(&p, "D03").funding_cap, Some(Fen::from_yuan(35_000)));
    assert!(item(&p, "D06").notes.contains("“红、黄、蓝、绿”四个等级"));
    assert_eq!(items_of(&p, "micro_venture").len(), 5);
    assert_eq!(items_of(&p, "micro_venture")[0].name, "邻里守望类");

    let d = track_rules(&p, "directed");
    let m = track_rules(&p, "micro_venture");
    assert_eq!(d.budget.cap, Some(Fen::from_wan(15)));
    assert_eq!(m.budget.cap, Some(Fen::from_wan(5)));
    assert_eq!(d.budget.personnel_max_percent, Some(30));
    assert_eq!(m.budget.personnel_max_percent, None);
    assert!(d.budget.no_subcontracting && m.budget.no_subcontracting);
    for r in [d, m] {
        assert_eq!(percents(r), [40, 40, 20]);
        assert_eq!(r.tranches[1].gate, Some(EvaluationStage::Midterm));
        assert_eq!(r.tranches[2].gate, Some(EvaluationStage::Final));
        assert_eq!(r.notice, Some(NoticeRule::WorkingDays(3)));
    }
    let dq = &d.quotas[0];
    assert_eq!((dq.max_applications, dq.max_awards, dq.exempt_min_rating), (Some(2), Some(2), Some(3)));
    let mq = &m.quotas[0];
    assert_eq!((mq.max_applications, mq.max_awards, mq.exempt_min_rating), (Some(3), Some(2), Some(3)));
    assert!(track_rules(&p, "street_plan").tranches.is_empty());

    let phase_names: Vec<&str> = p.phases.iter().map(|ph| ph.name.as_str()).collect();
    for name in ["需求摸查", "项目征集", "项目评审", "公示", "项目实施", "中期评估", "结项评估", "项目总结"]
    {
        assert!(phase_names.contains(&name), "phase {name}");
    }
}

#[test]
fn qingtongxia_2023_service_projects() {
    let p = parse("qingtongxia_2023", QINGTONGXIA);
    assert_eq!(p.funder, "青铜峡市民政局");
    assert_eq!(p.area_code, "640381");
    assert!(p.rules.one_application_per_org);
    assert!(p.rules.eligibility.contains(&EligibilityRule::MinStaff { full_time: 2, certified: 1 }));
    assert!(p.rules.eligibility.contains(&EligibilityRule::AnnualInspectionPassed { year: 2022 }));
    assert_eq!(p.rules.notice, Some(NoticeRule::CalendarDays(7)));
    assert_eq!(p.rules.evaluation_fund, Some(Fen::from_wan(2)));
    assert_eq!(p.items.len(), 2);
    let elders = &p.items[0];
    let children = &p.items[1];
    assert_eq!(elders.funding_cap, Some(Fen::from_wan(10)));
    assert_eq!(children.funding_cap, Some(Fen::from_wan(8)));
    for i in [elders, children] {
        let o = &i.outputs;
        assert!(
            o.iter().any(|t| t.metric == Metric::Beneficiaries && t.quantity == Some(10) && t.quantity_max == Some(15))
        );
        assert!(o.iter().any(|t| t.metric == Metric::Visits && t.period == Some(Period::Month) && t.per_beneficiary));
        assert!(o.iter().any(|t| t.metric == Metric::Cases && t.quantity == Some(5)));
        assert!(o.iter().any(|t| t.metric == Metric::Groups
            && t.quantity == Some(4)
            && t.min_members == Some(8)
            && t.min_sessions == Some(4)));
        assert!(o.iter().any(|t| t.metric == Metric::Activities && t.quantity == Some(10)));
        assert!(o.iter().any(|t| t.metric == Metric::Documents && t.period == Some(Period::Month)));
        assert_eq!(i.indicators.len(), 9);
    }
    let phase_names: Vec<&str> = p.phases.iter().map(|ph| ph.name.as_str()).collect();
    assert!(phase_names.contains(&"中期评估") && phase_names.contains(&"末期评估"));
    let deadline = p.phases.iter().find_map(|ph| ph.deadline).expect("a deadline");
    assert_eq!(deadline.to_string(), "2023-05-16 17:00:00");
}

#[test]
fn chengguan_lots_and_cofunding() {
    let p = parse("chengguan", CHENGGUAN);
    assert_eq!(p.funder, "兰州市城关区民政局");
    assert_eq!(p.area_code, "620102");
    assert_eq!(p.tracks[0].kind, TrackKind::Tender);
    let lots: Vec<Option<u32>> = p.items.iter().map(|i| i.lot).collect();
    assert_eq!(lots, [Some(1), Some(2), Some(3)]);
    let names: Vec<&str> = p.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["白银路街道正宁路社区", "雁园街道雁滨社区", "皋兰路街道詹家拐子社区"]);
    assert!(p.items.iter().all(|i| i.period_note.contains("三年")));
    assert_eq!(p.rules.budget.floor, Some(Fen::from_wan(15)));
    assert_eq!(percents(&p.rules), [60, 30, 10]);
    let shares: Vec<(&str, Option<u32>, Option<Fen>)> =
        p.rules.co_funding.iter().map(|s| (s.party.as_str(), s.ratio, s.amount)).collect();
    assert_eq!(
        shares,
        [
            ("省民政厅", Some(1), Some(Fen::from_wan(5))),
            ("市民政局", Some(1), Some(Fen::from_wan(5))),
            ("区民政局", Some(1), Some(Fen::from_wan(5))),
        ]
    );
}

/// serde ignores unknown keys, so a misspelt key would silently vanish: every key written in a
/// file must come back when the parsed program is serialized again.
#[test]
fn no_key_in_the_files_is_ignored() {
    fn walk(path: &str, written: &toml::Value, parsed: &toml::Value, missing: &mut Vec<String>) {
        match (written, parsed) {
            (toml::Value::Table(w), toml::Value::Table(p)) => {
                for (k, v) in w {
                    let here = format!("{path}.{k}");
                    match p.get(k) {
                        Some(pv) => walk(&here, v, pv, missing),
                        None => missing.push(here),
                    }
                }
            }
            (toml::Value::Array(w), toml::Value::Array(p)) => {
                assert_eq!(w.len(), p.len(), "{path}");
                for (n, (wv, pv)) in w.iter().zip(p).enumerate() {
                    walk(&format!("{path}[{n}]"), wv, pv, missing);
                }
            }
            _ => {}
        }
    }
    for (name, text) in [
        ("hangzhou_2021", HANGZHOU),
        ("fangshan_2020", FANGSHAN),
        ("chongchuan_9", CHONGCHUAN),
        ("qingtongxia_2023", QINGTONGXIA),
        ("chengguan", CHENGGUAN),
    ] {
        let written: toml::Value = toml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let parsed = toml::Value::try_from(parse(name, text)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut missing = Vec::new();
        walk(name, &written, &parsed, &mut missing);
        assert!(missing.is_empty(), "keys not in the schema: {missing:?}");
    }
}
