use std::collections::BTreeSet;

use crate::review::panel::{DRAW_ALGORITHM, DrawError, DrawRequest, Expert, draw_panel};
use crate::review::prng::SplitMix64;

fn expert(id: &str, fields: &[&str], org: Option<&str>, area: Option<&str>, relations: &[&str]) -> Expert {
    Expert {
        id: id.to_string(),
        name: format!("专家{id}"),
        fields: fields.iter().map(|f| f.to_string()).collect(),
        organization_id: org.map(str::to_string),
        area_code: area.map(str::to_string),
        relations: relations.iter().map(|r| r.to_string()).collect(),
    }
}

/// Fourteen experts; four of them must step aside for an application of ORG-A with joint
/// applicant ORG-B in street 320613001 (崇川区某街道).
fn pool() -> Vec<Expert> {
    vec![
        expert("E01", &["社会工作"], Some("ORG-A"), Some("320613002001"), &[]), // own organization
        expert("E02", &["财务"], Some("ORG-B"), None, &[]),                     // joint applicant
        expert("E03", &["养老服务"], Some("UNI-1"), Some("320613001003"), &[]), // same street
        expert("E04", &["社会工作"], Some("UNI-1"), None, &["ORG-A"]),          // declared relation
        expert("E05", &["社会工作", "养老服务"], Some("UNI-1"), Some("320613002"), &[]),
        expert("E06", &["财务"], Some("ACC-1"), None, &["ORG-Z"]),
        expert("E07", &["社区治理"], None, Some("320613003001"), &[]),
        expert("E08", &["青少年"], Some("UNI-2"), None, &[]),
        expert("E09", &["养老服务"], Some("GOV-1"), Some("320613004"), &[]),
        expert("E10", &["社会工作"], Some("UNI-2"), None, &[]),
        expert("E11", &["财务", "项目管理"], Some("ACC-2"), None, &[]),
        expert("E12", &["社区治理"], Some("NGO-9"), Some("320613002002"), &[]),
        expert("E13", &["项目管理"], Some("UNI-3"), None, &[]),
        expert("E14", &["青少年", "社会工作"], Some("UNI-3"), None, &[]),
    ]
}

fn request(seed: u64) -> DrawRequest {
    DrawRequest {
        size: 5,
        required_fields: vec!["财务".to_string(), "养老服务".to_string()],
        avoid_organizations: vec!["ORG-A".to_string(), "ORG-B".to_string()],
        avoid_area_prefix: Some("320613001".to_string()),
        seed,
    }
}

#[test]
fn splitmix64_matches_the_reference_outputs() {
    // First outputs of the reference C implementation seeded with 0.
    let mut rng = SplitMix64::new(0);
    assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
    assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    let mut rng = SplitMix64::new(7);
    assert!((0..1000).all(|_| rng.below(3) < 3));
    assert_eq!(rng.below(0), 0);
}

#[test]
fn same_seed_same_panel_whatever_the_pool_order() {
    let first = draw_panel(&pool(), &request(20_210_115)).unwrap();
    let again = draw_panel(&pool(), &request(20_210_115)).unwrap();
    assert_eq!(first, again);
    let mut reversed = pool();
    reversed.reverse();
    assert_eq!(draw_panel(&reversed, &request(20_210_115)).unwrap(), first);
    assert_eq!(first.seed, 20_210_115);
    assert_eq!(first.algorithm, DRAW_ALGORITHM);
    assert_eq!(first.chosen.len(), 5);
}

#[test]
fn a_recorded_draw_replays_exactly() {
    // Pinned: if this changes, recorded draws no longer replay; change DRAW_ALGORITHM instead.
    let draw = draw_panel(&pool(), &request(20_210_115)).unwrap();
    assert_eq!(draw.chosen, PINNED);
    assert_eq!(draw.steps.len(), 1 + 5);
    assert!(draw.steps[0].contains("专家库共14名，回避4名，可抽10名"), "{}", draw.steps[0]);
    assert!(draw.steps[0].contains("随机种子20210115"));
    assert_eq!(draw.steps[1], "按领域“财务”从2名候选中抽中第2位：专家E11（E11）");
    assert_eq!(draw.steps[2], "按领域“养老服务”从2名候选中抽中第2位：专家E09（E09）");
    assert_eq!(draw.steps[3], "从其余8名可抽专家中抽中第6位：专家E12（E12）");
}

/// Checked against an independent re-implementation of the documented procedure (Python, ten
/// lines of SplitMix64 plus the steps of the module documentation).
const PINNED: [&str; 5] = ["E11", "E09", "E12", "E14", "E05"];

#[test]
fn different_seeds_usually_differ() {
    let base: BTreeSet<String> = draw_panel(&pool(), &request(1)).unwrap().chosen.into_iter().collect();
    let differing = (2..=21)
        .filter(|seed| {
            let other: BTreeSet<String> = draw_panel(&pool(), &request(*seed)).unwrap().chosen.into_iter().collect();
            other != base
        })
        .count();
    assert!(differing >= 15, "only {differing} of 20 seeds gave another panel");
}

#[test]
fn avoidance_is_respected_and_explained() {
    let avoided = ["E01", "E02", "E03", "E04"];
    for seed in 0..200 {
        let draw = draw_panel(&pool(), &request(seed)).unwrap();
        assert!(draw.chosen.iter().all(|id| !avoided.contains(&id.as_str())), "seed {seed}: {:?}", draw.chosen);
    }
    let draw = draw_panel(&pool(), &request(3)).unwrap();
    let reason = |id: &str| draw.excluded.iter().find(|e| e.expert_id == id).map(|e| e.reason.clone()).unwrap();
    assert_eq!(draw.excluded.len(), 4);
    assert_eq!(reason("E01"), "本人所在单位（ORG-A）为申报单位或联合申报单位");
    assert_eq!(reason("E02"), "本人所在单位（ORG-B）为申报单位或联合申报单位");
    assert_eq!(reason("E03"), "本人所在地区（320613001003）属于项目所在街道（320613001），按本计划规定回避");
    assert_eq!(reason("E04"), "本人申报与申报单位或联合申报单位（ORG-A）存在关联关系");
    // E06 declared a relation with an organization that is not applying: no effect.
    assert!(draw.excluded.iter().all(|e| e.expert_id != "E06"));
}

#[test]
fn every_reason_is_listed_and_the_street_rule_is_optional() {
    let mut experts = pool();
    experts.push(expert("E15", &["财务"], Some("ORG-A"), Some("320613001001"), &["ORG-B"]));
    let draw = draw_panel(&experts, &request(1)).unwrap();
    let e15 = draw.excluded.iter().find(|e| e.expert_id == "E15").unwrap();
    assert_eq!(e15.reason.split('；').count(), 3, "{}", e15.reason);

    let mut no_street = request(1);
    no_street.avoid_area_prefix = None;
    let draw = draw_panel(&pool(), &no_street).unwrap();
    assert!(draw.excluded.iter().all(|e| e.expert_id != "E03"));
}

#[test]
fn required_fields_are_covered() {
    let finance = ["E06", "E11"];
    let elderly = ["E05", "E09"];
    for seed in 0..200 {
        let draw = draw_panel(&pool(), &request(seed)).unwrap();
        assert!(draw.chosen.iter().any(|id| finance.contains(&id.as_str())), "seed {seed}");
        assert!(draw.chosen.iter().any(|id| elderly.contains(&id.as_str())), "seed {seed}");
        assert!(draw.unmet_fields.is_empty());
    }
}

#[test]
fn an_unmet_field_is_reported_not_invented() {
    let mut req = request(9);
    req.required_fields.push("法律".to_string());
    let draw = draw_panel(&pool(), &req).unwrap();
    assert_eq!(draw.unmet_fields, vec!["法律".to_string()]);
    assert!(draw.steps.iter().any(|s| s == "可抽专家中没有“法律”领域的专家，该领域无法满足"));
    assert_eq!(draw.chosen.len(), 5);

    // More required fields than seats: the later ones cannot all be met.
    let mut req = request(9);
    req.size = 1;
    let draw = draw_panel(&pool(), &req).unwrap();
    assert_eq!(draw.chosen.len(), 1);
    assert!(draw.unmet_fields.len() <= 1);
}

#[test]
fn too_small_a_pool_is_refused_in_chinese() {
    let mut req = request(1);
    req.size = 11;
    let err = draw_panel(&pool(), &req).unwrap_err();
    assert_eq!(err, DrawError::PoolTooSmall { needed: 11, pool: 14, excluded: 4, available: 10 });
    assert_eq!(err.to_string(), "可抽专家不足：需抽取11名，专家库共14名，回避4名后仅剩10名");
    req.size = 10;
    assert_eq!(draw_panel(&pool(), &req).unwrap().chosen.len(), 10);
    req.size = 0;
    assert_eq!(draw_panel(&pool(), &req).unwrap_err().to_string(), "抽取人数应至少为1人");
    let mut twice = pool();
    twice.push(expert("E05", &[], None, None, &[]));
    assert_eq!(draw_panel(&twice, &request(1)).unwrap_err(), DrawError::DuplicateExpert("E05".to_string()));
}

#[test]
fn a_draw_round_trips_through_json() {
    let draw = draw_panel(&pool(), &request(42)).unwrap();
    let json = serde_json::to_string(&draw).unwrap();
    assert_eq!(serde_json::from_str::<crate::review::Draw>(&json).unwrap(), draw);
}
