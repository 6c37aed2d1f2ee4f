use super::card;
use crate::review::rubric::{CHONGCHUAN_REVIEW_TEXT, Criterion, chongchuan_rubric};
use crate::review::score::{Score, div_round_half_up};

#[test]
fn scores_parse_exactly_and_print_with_two_decimals() {
    assert_eq!(Score::parse("17").unwrap(), Score(1700));
    assert_eq!(Score::parse("17.5").unwrap(), Score(1750));
    assert_eq!(Score::parse(" 17.25 ").unwrap(), Score(1725));
    assert_eq!(Score::parse("0.05").unwrap(), Score(5));
    for bad in ["", "-1", "17.", ".5", "17.255", "17,5", "十七", "１７"] {
        assert!(Score::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(Score(1750).to_string(), "17.50");
    assert_eq!(Score(5).to_string(), "0.05");
    assert_eq!(serde_json::to_string(&Score(1750)).unwrap(), "\"17.50\"");
    assert_eq!(serde_json::from_str::<Score>("17.5").unwrap(), Score(1750));
    assert_eq!(serde_json::from_str::<Score>("18").unwrap(), Score(1800));
    assert_eq!(serde_json::from_str::<Score>("\"16.25\"").unwrap(), Score(1625));
    assert!(serde_json::from_str::<Score>("16.255").is_err());
    assert!(serde_json::from_str::<Score>("-3").is_err());
}

#[test]
fn rounding_is_half_up_once() {
    assert_eq!(div_round_half_up(5, 2), 3); // 2.5 → 3
    assert_eq!(div_round_half_up(7, 2), 4); // 3.5 → 4
    assert_eq!(div_round_half_up(4, 3), 1); // 1.33 → 1
    assert_eq!(div_round_half_up(5, 3), 2); // 1.67 → 2
    assert_eq!(div_round_half_up(0, 4), 0);
    assert_eq!(Score::from_ten_thousandths(12_345_050), Score(123_451)); // 1234.5050 → 1234.51
}

#[test]
fn the_chongchuan_rubric_follows_the_document() {
    let r = chongchuan_rubric();
    assert!(r.validate().is_ok());
    let names: Vec<&str> = r.criteria.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["申报材料", "方案质量", "可行性", "组织能力", "团队建设"]);
    for name in ["申报材料", "方案质量", "可行性", "组织能力", "团队建设"] {
        assert!(CHONGCHUAN_REVIEW_TEXT.contains(name), "{name}");
    }
    assert_eq!(r.max_total(), Score::points(100));
    assert_eq!(r.tie_break, ["plan_quality", "feasibility"]);
    assert_eq!(r.knockouts.len(), 2);
    let toml_text = toml::to_string(&r).unwrap();
    assert_eq!(toml::from_str::<crate::review::Rubric>(&toml_text).unwrap(), r);
}

#[test]
fn a_broken_rubric_is_refused() {
    let mut r = chongchuan_rubric();
    r.criteria.push(r.criteria[0].clone());
    r.criteria.push(Criterion {
        code: "x".into(),
        name: "无效项".into(),
        max_score: Score(0),
        weight: 0,
        guidance: String::new(),
    });
    r.tie_break.push("nope".into());
    let messages: Vec<String> = r.validate().unwrap_err().into_iter().map(|e| e.message).collect();
    assert_eq!(
        messages,
        [
            "评分项编号“materials”重复",
            "评分项“无效项”的满分应大于0",
            "评分项“无效项”的权重应大于0",
            "同分比较项“nope”不是本评分表的评分项"
        ]
    );
}

#[test]
fn weighted_totals_are_exact() {
    let r = chongchuan_rubric();
    assert_eq!(r.weighted_total_e4(&card("P1", [18, 17, 16, 15, 14])), 800_000); // 80.0000
    // A percent rubric: 0–100 per criterion, weights 30 and 70.
    let mut pct = chongchuan_rubric();
    pct.criteria.truncate(2);
    pct.criteria[0].max_score = Score::points(100);
    pct.criteria[0].weight = 30;
    pct.criteria[1].max_score = Score::points(100);
    pct.criteria[1].weight = 70;
    pct.tie_break.clear();
    assert_eq!(pct.max_total(), Score::points(100));
    let c = super::card_h(&pct, "P1", &[8_333, 9_167]); // 83.33×30% + 91.67×70% = 24.999 + 64.169
    assert_eq!(pct.weighted_total_e4(&c), 891_680);
    assert_eq!(Score::from_ten_thousandths(891_680).to_string(), "89.17");
    let c = super::card_h(&pct, "P1", &[8_335, 9_000]); // 25.005 + 63.000 = 88.005 → 88.01
    assert_eq!(pct.weighted_total_e4(&c), 880_050);
    let a = crate::review::aggregate(&pct, crate::review::AggregationMethod::Mean, "A", &[c]).unwrap();
    assert_eq!(a.score(), Some(Score(8801)));
}

#[test]
fn scorecards_are_validated_naming_the_criterion() {
    let r = chongchuan_rubric();
    assert!(card("P1", [20, 0, 19, 18, 17]).validate(&r).is_ok());

    let mut bad = card("P1", [21, 18, 17, 16, 15]);
    bad.scores.remove("team");
    bad.scores.insert("innovation".into(), Score::points(5));
    bad.scores.insert("feasibility".into(), Score(-50));
    bad.knockouts_failed = vec!["subcontracting".into(), "nope".into()];
    let errors = bad.validate(&r).unwrap_err();
    let pairs: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.message.as_str())).collect();
    assert_eq!(
        pairs,
        [
            ("scores.materials", "“申报材料”的得分21.00超出满分20.00"),
            ("scores.feasibility", "“可行性”的得分不能为负数"),
            ("scores.team", "“团队建设”未评分"),
            ("scores.innovation", "评分表中没有编号为“innovation”的评分项"),
            ("comment", "判定否决项“采用项目分包或转让的方式完成项目计划”时须填写评审意见"),
            ("knockouts.nope", "评分表中没有编号为“nope”的否决项"),
        ]
    );
}

#[test]
fn signing_validates_and_locks() {
    let r = chongchuan_rubric();
    let mut c = card("P1", [18, 17, 16, 15, 14]);
    c.signed = false;
    assert!(c.ensure_editable().is_ok());
    c.scores.remove("team");
    assert_eq!(c.sign(&r).unwrap_err()[0].message, "“团队建设”未评分");
    assert!(!c.signed);
    c.scores.insert("team".into(), Score::points(14));
    c.sign(&r).unwrap();
    assert!(c.signed);
    assert_eq!(c.ensure_editable().unwrap_err().message, "专家P1的评分表已签名锁定，不能修改");
    assert!(c.sign(&r).is_err());
}
