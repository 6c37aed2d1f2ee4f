use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use super::{card, card_h};
use crate::review::aggregate::{Aggregate, AggregationMethod, Outcome, aggregate};
use crate::review::rank::{RankEntry, rank, tie_break_statement};
use crate::review::rubric::chongchuan_rubric;
use crate::review::score::Score;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// An aggregate with a score and the two tie-break means.
fn entry(id: &str, group: &str, score: i64, plan: i64, feasibility: i64, submitted: &str) -> RankEntry {
    let criterion_means: BTreeMap<String, Score> =
        [("plan_quality".to_string(), Score(plan)), ("feasibility".to_string(), Score(feasibility))].into();
    RankEntry {
        aggregate: Aggregate {
            application_id: id.to_string(),
            outcome: Outcome::Scored { score: Score(score) },
            method_applied: String::new(),
            cards: vec![],
            pending: vec![],
            criterion_means,
        },
        group: group.to_string(),
        submitted_at: at(submitted),
    }
}

#[test]
fn the_tie_break_chain_is_stated() {
    assert_eq!(
        tie_break_statement(&chongchuan_rubric()),
        "按汇总得分从高到低排序；得分相同时，依次比较“方案质量”平均分（高者在前）、“可行性”平均分（高者在前）、\
申报书提交时间（早者在前）、申报编号（小者在前）。"
    );
}

#[test]
fn ties_are_broken_as_stated() {
    let r = chongchuan_rubric();
    let entries = vec![
        entry("A-07", "2021C1001E", 8200, 1600, 1600, "2021-01-20 09:00"),
        // 85.00 ×4: plan quality decides first, then feasibility, then time, then id.
        entry("A-05", "2021C1001E", 8500, 1700, 1700, "2021-01-20 10:00"),
        entry("A-03", "2021C1001E", 8500, 1700, 1700, "2021-01-20 10:00"),
        entry("A-04", "2021C1001E", 8500, 1700, 1800, "2021-01-21 10:00"),
        entry("A-02", "2021C1001E", 8500, 1800, 1500, "2021-01-22 10:00"),
        entry("A-06", "2021C1001E", 8500, 1700, 1700, "2021-01-19 16:30"),
        entry("A-01", "2021C1001E", 9000, 1500, 1500, "2021-01-25 10:00"),
    ];
    let rankings = rank(&r, &entries);
    assert_eq!(rankings.len(), 1);
    let rows = &rankings[0].rows;
    let order: Vec<&str> = rows.iter().map(|r| r.application_id.as_str()).collect();
    assert_eq!(order, ["A-01", "A-02", "A-04", "A-06", "A-03", "A-05", "A-07"]);
    assert_eq!(rows.iter().map(|r| r.rank).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(rows[0].tie_note, None);
    assert_eq!(rows[1].tie_note, None);
    assert_eq!(
        rows[2].tie_note.as_deref(),
        Some("与A-02得分同为85.00，因“方案质量”平均分较低（17.00，对方18.00）排在其后")
    );
    assert_eq!(
        rows[3].tie_note.as_deref(),
        Some("与A-04得分同为85.00，因“可行性”平均分较低（17.00，对方18.00）排在其后")
    );
    assert_eq!(
        rows[4].tie_note.as_deref(),
        Some("与A-06得分同为85.00，因申报书提交较晚（2021-01-20 10:00:00，对方2021-01-19 16:30:00）排在其后")
    );
    assert_eq!(
        rows[5].tie_note.as_deref(),
        Some("与A-03得分同为85.00，因比较项和提交时间均相同而申报编号较大排在其后")
    );
    assert_eq!(rows[6].tie_note, None);
}

#[test]
fn the_published_hundredths_decide_not_hidden_digits() {
    let r = chongchuan_rubric();
    // X: 80.01, 80.00, 80.00 → 80.0033… published 80.00; plan quality mean 17.00.
    let x = vec![
        card_h(&r, "P1", &[1801, 1700, 1600, 1500, 1400]),
        card("P2", [18, 17, 16, 15, 14]),
        card("P3", [18, 17, 16, 15, 14]),
    ];
    // Y: 80.00 ×3, plan quality 18.00.
    let y = vec![card("P1", [17, 18, 16, 15, 14]), card("P2", [17, 18, 16, 15, 14]), card("P3", [17, 18, 16, 15, 14])];
    let agg =
        |id: &str, cards: &[crate::review::Scorecard]| aggregate(&r, AggregationMethod::default(), id, cards).unwrap();
    let entries = vec![
        RankEntry { aggregate: agg("X", &x), group: "G".into(), submitted_at: at("2021-01-20 09:00") },
        RankEntry { aggregate: agg("Y", &y), group: "G".into(), submitted_at: at("2021-01-21 09:00") },
    ];
    assert_eq!(entries[0].aggregate.score(), Some(Score(8000)));
    let rows = &rank(&r, &entries)[0].rows;
    assert_eq!(rows[0].application_id, "Y");
    assert_eq!(rows[1].application_id, "X");
}

#[test]
fn groups_are_ranked_apart_and_exclusions_listed() {
    let r = chongchuan_rubric();
    let mut excluded = entry("B-09", "2021C1002E", 0, 0, 0, "2021-01-20 09:00");
    excluded.aggregate.outcome =
        Outcome::Excluded { reason: "不予推荐：否决项“…”（专家P1判定）".into() };
    let mut unscored = entry("B-08", "2021C1002E", 0, 0, 0, "2021-01-20 09:00");
    unscored.aggregate.outcome = Outcome::NotScored { reason: "尚无已签名的评分表".into() };
    let entries = vec![
        entry("B-01", "2021C1002E", 7000, 1400, 1400, "2021-01-20 09:00"),
        excluded,
        entry("A-01", "2021C1001E", 6000, 1200, 1200, "2021-01-20 09:00"),
        unscored,
        entry("B-02", "2021C1002E", 7100, 1400, 1400, "2021-01-20 09:00"),
    ];
    let rankings = rank(&r, &entries);
    let groups: Vec<&str> = rankings.iter().map(|g| g.group.as_str()).collect();
    assert_eq!(groups, ["2021C1001E", "2021C1002E"]);
    assert_eq!(rankings[0].rows[0].rank, 1);
    let b: Vec<&str> = rankings[1].rows.iter().map(|r| r.application_id.as_str()).collect();
    assert_eq!(b, ["B-02", "B-01"]);
    let unranked: Vec<(&str, &str)> =
        rankings[1].unranked.iter().map(|u| (u.application_id.as_str(), u.reason.as_str())).collect();
    assert_eq!(unranked, [("B-08", "尚无已签名的评分表"), ("B-09", "不予推荐：否决项“…”（专家P1判定）")]);
}
