use std::collections::BTreeMap;

use crate::money::Fen;
use crate::program::ProgramSpec;
use crate::review::score::Score;
use crate::review::slate::{Candidate, PriorAward, SlateInput, slate, slots_from_items};
use crate::rules::Quota;

fn cand(id: &str, org: &str, rating: Option<u8>, group: &str, rank: u32, score: i64, wan: i64) -> Candidate {
    Candidate {
        application_id: id.to_string(),
        organization_id: org.to_string(),
        organization_rating: rating,
        group: group.to_string(),
        track: "directed".to_string(),
        rank,
        score: Score::points(score),
        requested: Fen::from_wan(wan),
    }
}

/// Chongchuan: "每家组织……最多可获立项2个公益定投项目，等级评估达3A级以上的社会组织不受数量限制".
fn chongchuan_quotas() -> Vec<Quota> {
    vec![
        Quota {
            track: Some("directed".into()),
            max_applications: Some(2),
            max_awards: Some(2),
            exempt_min_rating: Some(3),
            note: "每家组织最多可申报2个公益定投项目，最多可获立项2个公益定投项目".into(),
        },
        Quota {
            track: Some("micro_venture".into()),
            max_applications: Some(3),
            max_awards: Some(2),
            exempt_min_rating: Some(3),
            note: String::new(),
        },
    ]
}

fn reason<'a>(s: &'a crate::review::Slate, id: &str) -> &'a str {
    s.line(id).unwrap().reason.as_str()
}

#[test]
fn slots_are_respected() {
    let input = SlateInput {
        candidates: vec![
            cand("A1", "O1", None, "2021C1001E", 1, 90, 15),
            cand("A2", "O2", None, "2021C1001E", 2, 85, 15),
            cand("A3", "O3", None, "2021C1001E", 3, 80, 15),
        ],
        slots: [("2021C1001E".to_string(), 2)].into(),
        ..SlateInput::default()
    };
    let s = slate(&input);
    assert_eq!(s.recommended_ids(), ["A1", "A2"]);
    assert_eq!(reason(&s, "A1"), "“2021C1001E”排名第1，推荐立项，金额15万元");
    assert_eq!(reason(&s, "A3"), "“2021C1001E”项目数量为2个，已由排名在前的项目占满");
    assert_eq!(s.total, Fen::from_wan(30));
    assert_eq!(s.budget_left, None);
}

#[test]
fn the_budget_is_never_exceeded_and_a_cheaper_one_may_still_fit() {
    let input = SlateInput {
        candidates: vec![
            cand("A1", "O1", None, "I1", 1, 90, 15),
            cand("B1", "O2", None, "I2", 1, 88, 15),
            cand("C1", "O3", None, "I3", 1, 86, 10),
            cand("D1", "O4", None, "I4", 1, 84, 5),
            cand("A2", "O5", None, "I1", 2, 89, 1),
        ],
        budget: Some(Fen::from_wan(35)),
        ..SlateInput::default()
    };
    let s = slate(&input);
    // Position 1 everywhere first (A1, B1, C1, D1), then A2.
    let order: Vec<&str> = s.lines.iter().map(|l| l.application_id.as_str()).collect();
    assert_eq!(order, ["A1", "B1", "C1", "D1", "A2"]);
    assert_eq!(s.recommended_ids(), ["A1", "B1", "D1"]);
    assert_eq!(reason(&s, "C1"), "计划资金剩余5万元，不足申请金额10万元");
    assert_eq!(reason(&s, "A2"), "计划资金剩余0万元，不足申请金额1万元");
    assert_eq!(s.total, Fen::from_wan(35));
    assert_eq!(s.budget_left, Some(Fen(0)));
}

#[test]
fn the_two_award_quota_holds_without_3a() {
    let input = SlateInput {
        candidates: vec![
            cand("A1", "O1", Some(2), "I1", 1, 90, 15),
            cand("B1", "O1", Some(2), "I2", 1, 89, 15),
            cand("C1", "O1", Some(2), "I3", 1, 88, 15),
            cand("C2", "O2", None, "I3", 2, 70, 15),
        ],
        slots: [("I1".to_string(), 1), ("I2".to_string(), 1), ("I3".to_string(), 1)].into(),
        quotas: chongchuan_quotas(),
        ..SlateInput::default()
    };
    let s = slate(&input);
    assert_eq!(s.recommended_ids(), ["A1", "B1", "C2"]);
    assert_eq!(
        reason(&s, "C1"),
        "该组织在“directed”板块已有2个项目推荐立项，达到每家组织最多立项2个的限制；等级评估3A以上的组织不受限制，该组织等级2A"
    );
}

#[test]
fn a_3a_organization_is_exempt() {
    let candidates = vec![
        cand("A1", "O1", Some(3), "I1", 1, 90, 15),
        cand("B1", "O1", Some(3), "I2", 1, 89, 15),
        cand("C1", "O1", Some(3), "I3", 1, 88, 15),
    ];
    let s = slate(&SlateInput { candidates, quotas: chongchuan_quotas(), ..SlateInput::default() });
    assert_eq!(s.recommended_ids(), ["A1", "B1", "C1"]);

    // Unrated organizations are not exempt, and the quota of another track does not apply.
    let mut candidates = vec![
        cand("A1", "O9", None, "I1", 1, 90, 5),
        cand("B1", "O9", None, "I2", 1, 89, 5),
        cand("C1", "O9", None, "I3", 1, 88, 5),
        cand("M1", "O9", None, "M", 1, 60, 5),
    ];
    candidates[3].track = "micro_venture".into();
    let s = slate(&SlateInput { candidates, quotas: chongchuan_quotas(), ..SlateInput::default() });
    assert_eq!(s.recommended_ids(), ["A1", "B1", "M1"]);
    assert!(reason(&s, "C1").ends_with("该组织未评等级"));
}

#[test]
fn earlier_batches_count_against_slots_quotas_and_budgets() {
    let awarded = vec![PriorAward {
        organization_id: "O1".into(),
        group: "I1".into(),
        track: "directed".into(),
        amount: Fen::from_wan(15),
    }];
    let candidates = vec![
        cand("A2", "O2", None, "I1", 2, 80, 10),
        cand("B1", "O1", None, "I2", 1, 85, 10),
        cand("C1", "O1", None, "I3", 1, 84, 10),
        cand("D1", "O3", None, "I4", 1, 83, 10),
        cand("E1", "O4", None, "I5", 1, 82, 5),
    ];
    let input = SlateInput {
        candidates,
        slots: [("I1".to_string(), 1)].into(),
        budget: Some(Fen::from_wan(100)),
        track_budgets: [("directed".to_string(), Fen::from_wan(40))].into(),
        quotas: chongchuan_quotas(),
        awarded,
    };
    let s = slate(&input);
    assert_eq!(s.recommended_ids(), ["B1", "D1", "E1"]);
    assert!(reason(&s, "C1").starts_with("该组织在“directed”板块已有2个项目推荐立项"));
    assert_eq!(reason(&s, "A2"), "“I1”项目数量为1个，已由排名在前的项目占满");
    assert_eq!(s.total, Fen::from_wan(25));
    assert_eq!(s.budget_left, Some(Fen::from_wan(60)));

    let mut tight = input.clone();
    tight.track_budgets = BTreeMap::from([("directed".to_string(), Fen::from_wan(30))]);
    let s = slate(&tight);
    assert_eq!(s.recommended_ids(), ["B1", "E1"]);
    assert_eq!(reason(&s, "D1"), "“directed”板块资金剩余5万元，不足申请金额10万元");
}

#[test]
fn slots_come_from_the_call_items() {
    let spec = ProgramSpec::from_toml(
        r#"
code = "t"
name = "测试计划"
funder = "区民政局"
year = 2021
area_code = "320613"
[[items]]
code = "2021C1001E"
track = "directed"
name = "甲"
slots = 2
[[items]]
code = "2021C1002E"
track = "directed"
name = "乙"
"#,
    )
    .unwrap();
    assert_eq!(slots_from_items(&spec.items), BTreeMap::from([("2021C1001E".to_string(), 2)]));
}
