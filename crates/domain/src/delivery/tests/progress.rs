//! Totals, hours, rates and periodic targets.

use super::{d, hangzhou, qingtongxia, target};
use crate::delivery::facts::{
    ActivityFacts, DeliveryFacts, PersonFacts, SatisfactionFacts, SupervisionFacts, TrainingFacts,
};
use crate::delivery::progress::progress;
use crate::delivery::visit::Contact;
use crate::program::{Metric, OutputTarget, Period};

/// `n` people visited monthly on the 10th, July 2021 .. May 2022 (11 visits each).
fn fuyang(n: usize) -> DeliveryFacts {
    let months = [
        (2021, 7),
        (2021, 8),
        (2021, 9),
        (2021, 10),
        (2021, 11),
        (2021, 12),
        (2022, 1),
        (2022, 2),
        (2022, 3),
        (2022, 4),
        (2022, 5),
    ];
    let people = (0..n)
        .map(|i| PersonFacts {
            id: format!("p{i}"),
            contacts: months.iter().map(|&(y, m)| Contact::home(d(y, m, 10))).collect(),
            ..PersonFacts::default()
        })
        .collect();
    DeliveryFacts { people, ..DeliveryFacts::default() }
}

#[test]
fn fuyang_total_visits_10000() {
    // 2021B1001D: 探访对象不少于1000人，每月上门不少于1次，总数不少于1万人次.
    let facts = fuyang(1000);
    let t = target(Metric::Visits, 10_000);
    let p = progress(&t, hangzhou(), d(2022, 5, 31), &facts);
    assert_eq!((p.value, p.target, p.percent, p.met), (11_000, 10_000, 100, true)); // capped percent, real value
    assert_eq!(p.unit, "次");
    assert!(p.explanation.starts_with("上门探访：11000次，目标10000次，完成100%，已达标"), "{}", p.explanation);
    // 2021-12-31: 6,000 visits; 184 of 335 days → 5,492 expected.
    let p = progress(&t, hangzhou(), d(2021, 12, 31), &facts);
    assert_eq!((p.value, p.percent, p.met, p.expected, p.on_pace), (6000, 60, false, Some(5492), Some(true)));
    assert!(p.explanation.contains("按时间进度应达5492次，进度正常"), "{}", p.explanation);
    // With 500 people the same day is behind.
    let p = progress(&t, hangzhou(), d(2021, 12, 31), &fuyang(500));
    assert_eq!((p.value, p.on_pace), (3000, Some(false)));
    assert!(p.explanation.contains("进度落后"));
    // Before the start nothing is judged.
    let p = progress(&t, hangzhou(), d(2021, 6, 30), &facts);
    assert_eq!((p.value, p.on_pace, p.expected), (0, None, None));
}

#[test]
fn hangzhou_b_supervision_60_person_times_120_hours() {
    // 提供社会工作督导服务不少于60人次，120小时: 30 sessions of 2 supervisees × 4 hours.
    let sessions: Vec<SupervisionFacts> = (0..30)
        .map(|i| SupervisionFacts { date: d(2021, 8, 1) + chrono::Days::new(i * 7), minutes: 240, supervisees: 2 })
        .collect();
    let facts = DeliveryFacts { supervisions: sessions, ..DeliveryFacts::default() };
    let pt = progress(&target(Metric::SupervisionPersonTimes, 60), hangzhou(), d(2022, 5, 31), &facts);
    assert_eq!((pt.value, pt.unit.as_str(), pt.met), (60, "人次", true));
    let h = progress(&target(Metric::SupervisionHours, 120), hangzhou(), d(2022, 5, 31), &facts);
    assert_eq!((h.value, h.unit.as_str(), h.met, h.percent), (120, "小时", true, 100));
    // Half an hour short: 119.5 hours is not 120.
    let mut short = facts.clone();
    short.supervisions[0].minutes = 210;
    let h = progress(&target(Metric::SupervisionHours, 120), hangzhou(), d(2022, 5, 31), &short);
    assert_eq!((h.value, h.met, h.percent), (119, false, 99));
    assert!(h.explanation.starts_with("督导时长：119.5小时，目标120小时"), "{}", h.explanation);
    // On 2021-12-31 (184/335 days) 65.9 hours are expected; 22 sessions = 88 hours.
    let h = progress(&target(Metric::SupervisionHours, 120), hangzhou(), d(2021, 12, 31), &facts);
    assert_eq!((h.value, h.expected, h.on_pace), (88, Some(65), Some(true)));
    assert!(h.explanation.contains("按时间进度应达65.9小时"), "{}", h.explanation);
}

fn fuyang_training(passed: u32) -> DeliveryFacts {
    // 2021B1005G: 培训养老护理员不少于150人，合格率不低于80%；培训家庭照护者…不少于20学时.
    let mut trainings = vec![
        TrainingFacts { date: d(2021, 9, 1), minutes: 8 * 60, trainees: 80, examined: 80, passed: 64 },
        TrainingFacts { date: d(2021, 10, 1), minutes: 8 * 60, trainees: 70, examined: 70, passed: passed - 64 },
    ];
    trainings.extend((0..4).map(|i| TrainingFacts {
        date: d(2021, 11, 1 + i),
        minutes: 60,
        trainees: 0,
        examined: 0,
        passed: 0,
    }));
    DeliveryFacts { trainings, ..DeliveryFacts::default() }
}

#[test]
fn fuyang_training_150_trained_pass_80_and_20_hours() {
    let at = d(2022, 5, 31);
    let f = fuyang_training(120);
    let trainees = progress(&target(Metric::Trainees, 150), hangzhou(), at, &f);
    assert_eq!((trainees.value, trainees.met), (150, true));
    let pass = progress(&target(Metric::PassRate, 80), hangzhou(), at, &f);
    assert_eq!((pass.value, pass.target, pass.unit.as_str(), pass.met, pass.on_pace), (80, 80, "%", true, None));
    assert!(pass.explanation.contains("考核150人，其中120人合格/满意，比例80.0%"), "{}", pass.explanation);
    let pass = progress(&target(Metric::PassRate, 80), hangzhou(), at, &fuyang_training(119));
    assert_eq!((pass.value, pass.met, pass.percent), (79, false, 98)); // 79.3%
    let hours = progress(&target(Metric::TrainingHours, 20), hangzhou(), at, &f);
    assert_eq!((hours.value, hours.met), (20, true));
    let sessions = progress(&target(Metric::Trainings, 7), hangzhou(), at, &f);
    assert_eq!((sessions.value, sessions.met, sessions.unit.as_str()), (6, false, "场"));
    // Before any assessment the rate is not met and says why.
    let pass = progress(&target(Metric::PassRate, 80), hangzhou(), d(2021, 8, 1), &f);
    assert_eq!((pass.value, pass.met), (0, false));
    assert!(pass.explanation.contains("尚无考核结果"));
}

#[test]
fn satisfaction_80_and_85() {
    let sample = |ok: u32| DeliveryFacts {
        satisfaction: vec![
            SatisfactionFacts { sampled: 20, satisfied: ok / 2 },
            SatisfactionFacts { sampled: 20, satisfied: ok - ok / 2 },
        ],
        ..DeliveryFacts::default()
    };
    let at = d(2022, 5, 31);
    // 34 of 40 = 85%: meets Tonglu's 80% and Fuyang's 85%.
    assert!(progress(&target(Metric::Satisfaction, 80), hangzhou(), at, &sample(34)).met);
    assert!(progress(&target(Metric::Satisfaction, 85), hangzhou(), at, &sample(34)).met);
    // 33 of 40 = 82.5%: only 80%.
    let p80 = progress(&target(Metric::Satisfaction, 80), hangzhou(), at, &sample(33));
    let p85 = progress(&target(Metric::Satisfaction, 85), hangzhou(), at, &sample(33));
    assert!(p80.met && !p85.met);
    assert_eq!((p85.value, p85.percent), (82, 96));
    assert!(p85.explanation.contains("比例82.5%"), "{}", p85.explanation);
    let none = progress(&target(Metric::Satisfaction, 85), hangzhou(), at, &DeliveryFacts::default());
    assert!(!none.met && none.explanation.contains("尚无抽样结果"));
}

#[test]
fn activities_and_participants() {
    // Qingtongxia: 计划开展10场社区活动. Hangzhou 2021A1002: 至少1500位中外社区居民.
    let activities: Vec<ActivityFacts> =
        (0..10).map(|i| ActivityFacts { date: d(2023, 7 + i / 2, 1 + i), participants: 160 }).collect();
    let facts = DeliveryFacts { activities, ..DeliveryFacts::default() };
    let a = progress(&target(Metric::Activities, 10), qingtongxia(), d(2024, 5, 31), &facts);
    assert_eq!((a.value, a.met, a.unit.as_str()), (10, true, "场"));
    let p = progress(&target(Metric::Participants, 1500), qingtongxia(), d(2024, 5, 31), &facts);
    assert_eq!((p.value, p.met, p.unit.as_str()), (1600, true, "人次"));
    // Records after the day are not counted yet: by 2023-09-30 six activities.
    let a = progress(&target(Metric::Activities, 10), qingtongxia(), d(2023, 9, 30), &facts);
    assert_eq!(a.value, 6);
}

#[test]
fn monthly_plans_every_month() {
    // Qingtongxia: 每月及时向民政局、第三方提交月工作计划、总结 — 1 a month, June 2023 .. May 2024.
    let months = [
        (2023, 6),
        (2023, 7),
        (2023, 8),
        (2023, 9),
        (2023, 10),
        (2023, 11),
        (2023, 12),
        (2024, 1),
        (2024, 2),
        (2024, 3),
        (2024, 4),
        (2024, 5),
    ];
    let mut docs: Vec<_> = months.iter().map(|&(y, m)| d(y, m, 28)).collect();
    docs.retain(|x| *x != d(2023, 9, 28)); // September missing
    let facts = DeliveryFacts { documents: docs, ..DeliveryFacts::default() };
    let t = OutputTarget { period: Some(Period::Month), unit: "份".to_string(), ..target(Metric::Documents, 1) };
    let p = progress(&t, qingtongxia(), d(2024, 5, 31), &facts);
    assert_eq!((p.value, p.target, p.unit.as_str(), p.met, p.on_pace), (11, 12, "个周期", false, Some(false)));
    assert!(p.explanation.contains("未达标的周期：2023-09-01至2023-09-30"), "{}", p.explanation);
    // In August everything so far is in order (June, July done; August still open).
    let p = progress(&t, qingtongxia(), d(2023, 8, 15), &facts);
    assert_eq!((p.value, p.on_pace), (2, Some(true)));
}

#[test]
fn volunteer_teams_and_other() {
    // Qingtongxia: 培育、发展社区社会组织和社区志愿服务队10个.
    let facts = DeliveryFacts { volunteers: 40, volunteer_teams: 6, ..DeliveryFacts::default() };
    let t = OutputTarget { unit: "个".to_string(), ..target(Metric::Volunteers, 10) };
    let p = progress(&t, qingtongxia(), d(2024, 5, 31), &facts);
    assert_eq!((p.value, p.met, p.percent), (6, false, 60));
    let p = progress(&target(Metric::Volunteers, 30), qingtongxia(), d(2024, 5, 31), &facts);
    assert_eq!((p.value, p.met), (40, true));
    let p = progress(&target(Metric::Other, 1), qingtongxia(), d(2024, 5, 31), &facts);
    assert_eq!((p.met, p.on_pace), (false, None));
    assert!(p.explanation.contains("需人工核定"));
}
