use super::{card, card_h};
use crate::review::aggregate::{AggregationMethod, Outcome, aggregate};
use crate::review::rubric::chongchuan_rubric;
use crate::review::score::Score;

/// Totals 80, 85, 70, 90.
fn four() -> Vec<crate::review::Scorecard> {
    vec![
        card("P1", [18, 17, 16, 15, 14]),
        card("P2", [19, 18, 17, 16, 15]),
        card("P3", [16, 15, 14, 13, 12]),
        card("P4", [20, 19, 18, 17, 16]),
    ]
}

/// Totals 80, 85, 70, 90, 60.
fn five() -> Vec<crate::review::Scorecard> {
    let mut cards = four();
    cards.push(card("P5", [12, 12, 12, 12, 12]));
    cards
}

#[test]
fn four_reviewers_take_the_plain_mean() {
    let r = chongchuan_rubric();
    let a = aggregate(&r, AggregationMethod::default(), "A1", &four()).unwrap();
    assert_eq!(a.score(), Some(Score(8125))); // (80 + 85 + 70 + 90) / 4 = 81.25
    assert_eq!(a.method_applied, "有效评分表4份，不足5份，不去掉最高分和最低分，取平均分");
    assert!(a.cards.iter().all(|c| c.counted));
    assert_eq!(a.criterion_means["materials"], Score(1825)); // (18+19+16+20)/4
    let plain = aggregate(&r, AggregationMethod::Mean, "A1", &four()).unwrap();
    assert_eq!(plain.score(), Some(Score(8125)));
}

#[test]
fn five_reviewers_drop_the_highest_and_the_lowest() {
    let r = chongchuan_rubric();
    let a = aggregate(&r, AggregationMethod::default(), "A1", &five()).unwrap();
    // 60 (P5) and 90 (P4) dropped: (80 + 85 + 70) / 3 = 78.333… → 78.33
    assert_eq!(a.score(), Some(Score(7833)));
    assert_eq!(a.method_applied, "有效评分表5份，去掉一个最高分（专家P4）和一个最低分（专家P5）后，取其余3份的平均分");
    let counted: Vec<(&str, bool)> = a.cards.iter().map(|c| (c.expert_id.as_str(), c.counted)).collect();
    assert_eq!(counted, [("P1", true), ("P2", true), ("P3", true), ("P4", false), ("P5", false)]);
    assert_eq!(a.cards[3].total, Score::points(90));
    // Criterion means over P1, P2, P3 only: 申报材料 (18+19+16)/3 = 17.666… → 17.67
    assert_eq!(a.criterion_means["materials"], Score(1767));
    assert_eq!(a.criterion_means["plan_quality"], Score(1667));

    let plain = aggregate(&r, AggregationMethod::Mean, "A1", &five()).unwrap();
    assert_eq!(plain.score(), Some(Score(7700))); // 385 / 5
    assert_eq!(plain.method_applied, "有效评分表5份，取平均分");

    let from_four = AggregationMethod::TrimmedMean { min_scorecards: 4 };
    let a4 = aggregate(&r, from_four, "A1", &four()).unwrap();
    assert_eq!(a4.score(), Some(Score(8250))); // 70 and 90 dropped: (80 + 85) / 2
}

#[test]
fn equal_extremes_drop_a_deterministic_card() {
    let r = chongchuan_rubric();
    let mut cards = five();
    cards[1] = card("P2", [20, 19, 18, 17, 16]); // P2 and P4 both 90
    let a = aggregate(&r, AggregationMethod::default(), "A1", &cards).unwrap();
    assert!(a.cards.iter().find(|c| c.expert_id == "P2").unwrap().counted);
    assert!(!a.cards.iter().find(|c| c.expert_id == "P4").unwrap().counted);
    assert_eq!(a.score(), Some(Score(8000))); // (80 + 70 + 90) / 3
}

#[test]
fn the_mean_is_rounded_once_half_up() {
    let r = chongchuan_rubric();
    let cards = vec![card_h(&r, "P1", &[1801, 1700, 1600, 1500, 1400]), card("P2", [18, 17, 16, 15, 14])];
    let a = aggregate(&r, AggregationMethod::Mean, "A1", &cards).unwrap();
    assert_eq!(a.score(), Some(Score(8001))); // (80.01 + 80.00) / 2 = 80.005 → 80.01
}

#[test]
fn a_knock_out_excludes_with_the_reason() {
    let r = chongchuan_rubric();
    let mut cards = five();
    cards[1].knockouts_failed = vec!["subcontracting".into()];
    cards[1].comment = "申报书写明部分活动交由合作方整体承接".into();
    let a = aggregate(&r, AggregationMethod::default(), "A1", &cards).unwrap();
    assert_eq!(a.score(), None);
    assert_eq!(
        a.outcome,
        Outcome::Excluded {
            reason: "不予推荐：否决项“采用项目分包或转让的方式完成项目计划”（专家P2判定）".into()
        }
    );
    // Totals are still shown for the record.
    assert_eq!(a.cards.len(), 5);

    // A knock-out on an unsigned card does not count yet.
    cards[1].signed = false;
    let a = aggregate(&r, AggregationMethod::default(), "A1", &cards).unwrap();
    assert_eq!(a.pending, ["P2"]);
    assert_eq!(a.score(), Some(Score(7500))); // 4 signed, no trimming: (80 + 70 + 90 + 60) / 4
}

#[test]
fn unsigned_cards_are_pending_and_invalid_signed_cards_are_refused() {
    let r = chongchuan_rubric();
    let mut cards = four();
    for c in &mut cards {
        c.signed = false;
    }
    let a = aggregate(&r, AggregationMethod::default(), "A1", &cards).unwrap();
    assert_eq!(a.outcome, Outcome::NotScored { reason: "尚无已签名的评分表".into() });
    assert_eq!(a.pending, ["P1", "P2", "P3", "P4"]);

    let mut cards = four();
    cards[0].scores.remove("team");
    cards.push(card("P2", [1, 1, 1, 1, 1]));
    let messages: Vec<String> =
        aggregate(&r, AggregationMethod::default(), "A1", &cards).unwrap_err().into_iter().map(|e| e.message).collect();
    assert_eq!(messages, ["专家P1：“团队建设”未评分", "专家P2对同一申报书提交了多份评分表"]);
}
