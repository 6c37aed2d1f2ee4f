//! Per-beneficiary visit rules, files, cases, groups and people served.

use super::{d, hangzhou, qingtongxia, target};
use crate::delivery::facts::{CaseFacts, DeliveryFacts, GroupFacts, PersonFacts};
use crate::delivery::period::Cadence;
use crate::delivery::progress::progress;
use crate::delivery::visit::Contact;
use crate::program::{Metric, OutputTarget, Period};

/// One home visit on the first day of each required week of the Hangzhou project (48 weeks).
fn weekly_visits() -> Vec<Contact> {
    Cadence::Week
        .periods_in(hangzhou())
        .iter()
        .filter(|p| !p.is_short_stub())
        .map(|p| Contact::home(p.part.start))
        .collect()
}

fn person(id: &str, contacts: Vec<Contact>) -> PersonFacts {
    PersonFacts { id: id.to_string(), contacts, ..PersonFacts::default() }
}

/// 2021C1001E: 每周一次上门探访（一年不少于40次）.
fn tonglu_weekly() -> OutputTarget {
    OutputTarget {
        per_beneficiary: true,
        period: Some(Period::Week),
        min_per_year: Some(40),
        ..target(Metric::Visits, 1)
    }
}

#[test]
fn tonglu_weekly_at_least_40_a_year() {
    let w = weekly_visits();
    let mut remote = person("remote", vec![]);
    remote.remote = true; // phone contact instead; not part of the home-visit target
    let facts = DeliveryFacts {
        people: vec![
            person("all-48", w.clone()),
            person("exactly-40", w[..40].to_vec()),
            person("only-39", w[..39].to_vec()),
            remote,
        ],
        ..DeliveryFacts::default()
    };
    let p = progress(&tonglu_weekly(), hangzhou(), d(2022, 5, 31), &facts);
    // The yearly minimum decides: 40 visits with 8 missed weeks meet it, 39 do not.
    assert_eq!((p.value, p.target, p.unit.as_str(), p.percent, p.met), (2, 3, "人", 66, false));
    assert_eq!(p.on_pace, Some(false));
    assert!(
        p.explanation.contains("规则“每周上门探访1次（一年不少于40次）”：服务对象3人中达标2人，进度正常2人"),
        "{}",
        p.explanation
    );
    assert!(p.explanation.contains("累计未达标17个周期"), "{}", p.explanation); // 0 + 8 + 9
    // On 2021-12-31 nobody has 40 yet, but all three keep pace (27, 27, 27 ≥ 21).
    let p = progress(&tonglu_weekly(), hangzhou(), d(2021, 12, 31), &facts);
    assert_eq!((p.value, p.met, p.on_pace), (0, false, Some(true)));
    // Without the 39-visit person everyone meets it.
    let mut two = facts.clone();
    two.people.remove(2);
    let p = progress(&tonglu_weekly(), hangzhou(), d(2022, 5, 31), &two);
    assert_eq!((p.value, p.target, p.percent, p.met), (2, 2, 100, true));
}

#[test]
fn tonglu_remote_weekly_phone_contact() {
    // 长期不在登记地居住的特困对象……每周一次通讯联系.
    let calls: Vec<Contact> = weekly_visits().iter().map(|c| Contact::phone(c.date)).collect();
    let mut away = person("away", calls);
    away.remote = true;
    let mut silent = person("silent", vec![Contact::phone(d(2021, 7, 2))]);
    silent.remote = true;
    let facts =
        DeliveryFacts { people: vec![away, silent, person("home", weekly_visits())], ..DeliveryFacts::default() };
    let t = OutputTarget { per_beneficiary: true, period: Some(Period::Week), ..target(Metric::RemoteContacts, 1) };
    let p = progress(&t, hangzhou(), d(2021, 7, 20), &facts);
    assert_eq!((p.value, p.target, p.met), (1, 2, false));
    assert!(p.explanation.contains("长期不在登记地居住的服务对象2人中达标1人"), "{}", p.explanation);
    assert!(p.explanation.contains("当前逾期1人"), "{}", p.explanation);
    // Total phone contacts: 1 + 3 by 07-20 (07-01, 07-05, 07-12, 07-19 for "away"; 07-02 for "silent").
    let total = progress(&target(Metric::RemoteContacts, 100), hangzhou(), d(2021, 7, 20), &facts);
    assert_eq!(total.value, 5);
}

#[test]
fn fuyang_monthly_share_of_people() {
    // 每月上门不少于1次, 1000 people; one of them missed September.
    let monthly: Vec<Contact> =
        Cadence::Month.periods_in(hangzhou()).iter().map(|p| Contact::home(p.part.start)).collect();
    let mut people: Vec<PersonFacts> = (0..1000).map(|i| person(&format!("p{i}"), monthly.clone())).collect();
    people[7].contacts.retain(|c| c.date != d(2021, 9, 1));
    let facts = DeliveryFacts { people, ..DeliveryFacts::default() };
    let t = OutputTarget { per_beneficiary: true, period: Some(Period::Month), ..target(Metric::Visits, 1) };
    let p = progress(&t, hangzhou(), d(2021, 8, 31), &facts);
    assert_eq!((p.value, p.target, p.percent, p.met, p.on_pace), (1000, 1000, 100, true, Some(true)));
    let p = progress(&t, hangzhou(), d(2022, 5, 31), &facts);
    assert_eq!((p.value, p.target, p.percent, p.met, p.on_pace), (999, 1000, 99, false, Some(false)));
    // Served people: 不少于1000人.
    let b = progress(&target(Metric::Beneficiaries, 1000), hangzhou(), d(2021, 7, 1), &facts);
    assert_eq!((b.value, b.met), (1000, true));
}

#[test]
fn files_within_one_month_of_start() {
    // 建档立卡(项目开始后一个月内完成): 66 people; deadline 2021-07-01 + 30 days = 07-31.
    let mut people: Vec<PersonFacts> = (0..66).map(|i| person(&format!("p{i}"), vec![])).collect();
    for (i, p) in people.iter_mut().enumerate() {
        p.file_built_on = match i {
            0..40 => Some(d(2021, 7, 10)),
            40..60 => Some(d(2021, 7, 31)),
            60..63 => Some(d(2021, 8, 5)), // late
            _ => None,
        };
        p.assessed_on = p.file_built_on;
    }
    // Someone who joins on 2021-10-15 has until 11-14.
    let mut newcomer = person("new", vec![]);
    newcomer.enrolled_on = Some(d(2021, 10, 15));
    newcomer.file_built_on = Some(d(2021, 11, 14));
    people.push(newcomer);
    let facts = DeliveryFacts { people, ..DeliveryFacts::default() };
    let t = OutputTarget {
        within_days_of_start: Some(30),
        quantity: None,
        unit: "户".to_string(),
        ..target(Metric::FilesBuilt, 0)
    };
    let p = progress(&t, hangzhou(), d(2021, 9, 1), &facts);
    assert_eq!((p.value, p.target, p.percent, p.met), (60, 66, 90, false));
    assert_eq!(p.on_pace, Some(false));
    assert!(p.explanation.contains("期限为开始后30天内（2021-07-31前）"), "{}", p.explanation);
    assert!(
        p.explanation.contains("66人中按期建档60人，逾期建档3人，逾期未建档3人，未到期未建档0人"),
        "{}",
        p.explanation
    );
    // On 07-15: 40 built; expected floor(66 × 15 / 31) = 31.
    let p = progress(&t, hangzhou(), d(2021, 7, 15), &facts);
    assert_eq!((p.value, p.expected, p.on_pace), (40, Some(31), Some(true)));
    assert!(p.explanation.contains("未到期未建档26人"), "{}", p.explanation);
    // By 2021-12-01 the newcomer counts, in time.
    let p = progress(&t, hangzhou(), d(2021, 12, 1), &facts);
    assert_eq!((p.value, p.target), (61, 67));
    let a =
        progress(&OutputTarget { metric: Metric::NeedsAssessments, ..t.clone() }, hangzhou(), d(2021, 9, 1), &facts);
    assert!(a.explanation.starts_with("需求评估：60户，目标66户"), "{}", a.explanation);
}

#[test]
fn hangzhou_b_cases_six_months() {
    // 个案服务家庭不少于14户 … 服务持续时间不少于6个月.
    let mut cases: Vec<CaseFacts> = (0..12).map(|_| CaseFacts { opened_on: d(2021, 8, 1), closed_on: None }).collect();
    cases.push(CaseFacts { opened_on: d(2021, 8, 1), closed_on: Some(d(2021, 11, 30)) }); // closed after 4 months
    cases.push(CaseFacts { opened_on: d(2021, 11, 20), closed_on: None }); // reaches 6 months on 2022-05-20
    cases.push(CaseFacts { opened_on: d(2022, 1, 5), closed_on: None }); // cannot: 07-05 is after the end
    let facts = DeliveryFacts { cases, ..DeliveryFacts::default() };
    let t = OutputTarget { min_months: Some(6), unit: "户".to_string(), ..target(Metric::Cases, 14) };
    // 2022-01-31: 12 cases opened 08-01 reached 6 months on 02-01? Not yet.
    let p = progress(&t, hangzhou(), d(2022, 1, 31), &facts);
    assert_eq!((p.value, p.met, p.on_pace), (0, false, Some(false))); // 12 + 1 viable < 14
    assert!(
        p.explanation.contains("已开案15个，服务满6个月0个，进行中且能在项目结束前满6个月13个"),
        "{}",
        p.explanation
    );
    let p = progress(&t, hangzhou(), d(2022, 2, 1), &facts);
    assert_eq!(p.value, 12);
    let p = progress(&t, hangzhou(), d(2022, 5, 31), &facts);
    assert_eq!((p.value, p.met), (13, false));
    // Without a duration, cases are counted when opened (Qingtongxia: 5个辅导个案).
    let p = progress(&target(Metric::Cases, 5), qingtongxia(), d(2024, 5, 31), &facts);
    assert_eq!((p.value, p.met), (15, true));
}

#[test]
fn qingtongxia_groups_8_members_4_sessions() {
    // 计划开展4个小组服务，组员人数不少于8人，活动不少于4次.
    let s = |n: u64| (0..n).map(|i| d(2023, 9, 1) + chrono::Days::new(i * 7)).collect::<Vec<_>>();
    let facts = DeliveryFacts {
        groups: vec![
            GroupFacts { members: 8, sessions: s(4) },
            GroupFacts { members: 12, sessions: s(5) },
            GroupFacts { members: 7, sessions: s(6) },    // too few members
            GroupFacts { members: 9, sessions: s(3) },    // still running
            GroupFacts { members: 10, sessions: vec![] }, // not started
        ],
        ..DeliveryFacts::default()
    };
    let t = OutputTarget { min_members: Some(8), min_sessions: Some(4), ..target(Metric::Groups, 4) };
    let p = progress(&t, qingtongxia(), d(2024, 5, 31), &facts);
    assert_eq!((p.value, p.target, p.percent, p.met, p.unit.as_str()), (2, 4, 50, false, "个"));
    assert!(
        p.explanation.contains("组员不少于8人且活动不少于4次的小组2个；进行中（活动未满4次）1个，组员不足8人1个"),
        "{}",
        p.explanation
    );
    // On 2023-09-20 the first group has had 3 sessions only.
    assert_eq!(progress(&t, qingtongxia(), d(2023, 9, 20), &facts).value, 0);
    let sessions = progress(&target(Metric::GroupSessions, 16), qingtongxia(), d(2024, 5, 31), &facts);
    assert_eq!((sessions.value, sessions.met), (18, true));
}

#[test]
fn qingtongxia_10_to_15_families_monthly() {
    // 确定10－15个有需求的个人或家庭 … 每月至少上门一次.
    let monthly: Vec<Contact> =
        Cadence::Month.periods_in(qingtongxia()).iter().map(|p| Contact::home(p.part.start)).collect();
    let people: Vec<PersonFacts> = (0..16).map(|i| person(&format!("f{i}"), monthly.clone())).collect();
    let facts = DeliveryFacts { people, ..DeliveryFacts::default() };
    let t = OutputTarget { quantity_max: Some(15), unit: "户".to_string(), ..target(Metric::Beneficiaries, 10) };
    let p = progress(&t, qingtongxia(), d(2023, 6, 1), &facts);
    assert_eq!((p.value, p.met), (16, true));
    assert!(p.explanation.contains("合同区间10—15，已超出上限1"), "{}", p.explanation);
    let visits = OutputTarget { per_beneficiary: true, period: Some(Period::Month), ..target(Metric::Visits, 1) };
    let p = progress(&visits, qingtongxia(), d(2024, 5, 31), &facts);
    assert_eq!((p.value, p.target, p.met), (16, 16, true));
    // “每年不少于12次” per person, without a cadence: judged per project year.
    let yearly = OutputTarget { per_beneficiary: true, period: Some(Period::Year), ..target(Metric::Visits, 12) };
    let p = progress(&yearly, qingtongxia(), d(2024, 5, 31), &facts);
    assert_eq!((p.value, p.met), (16, true));
    let p = progress(&OutputTarget { quantity: Some(13), ..yearly }, qingtongxia(), d(2024, 5, 31), &facts);
    assert_eq!((p.value, p.met), (0, false));
}
