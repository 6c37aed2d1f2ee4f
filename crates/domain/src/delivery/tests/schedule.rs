use super::{d, hangzhou, qingtongxia, span};
use crate::delivery::period::Cadence;
use crate::delivery::risk::Grade;
use crate::delivery::schedule::{Due, Overdue, PeriodState, visit_status};
use crate::delivery::visit::{Channel, Contact, Requirement, RiskVisitTable, VisitPlan, VisitRule};

fn homes(dates: &[(i32, u32, u32)]) -> Vec<Contact> {
    dates.iter().map(|&(y, m, dd)| Contact::home(d(y, m, dd))).collect()
}

#[test]
fn hangzhou_weekly_due_then_overdue() {
    let plan = VisitPlan::hangzhou_weekly();
    // Fri 07-02 (first, short week), Wed 07-07, Wed 07-14; nothing in the week of 07-19.
    let visits = homes(&[(2021, 7, 2), (2021, 7, 7), (2021, 7, 14)]);
    let st = plan.status(None, hangzhou(), None, &visits, d(2021, 7, 21));
    assert_eq!(st.periods.len(), 4);
    assert_eq!(st.met_periods, 3);
    assert_eq!(st.missed_periods, 0);
    assert_eq!(st.current().unwrap().state, PeriodState::Open);
    assert_eq!(st.next_due, Some(Due { from: d(2021, 7, 19), by: d(2021, 7, 25), remaining: 1 }));
    assert_eq!(st.overdue, None);
    assert!(st.explanation.contains("须在7月25日前完成"), "{}", st.explanation);
    assert!(st.explanation.contains("年度（2021-07-01至2022-05-31）3/40次"), "{}", st.explanation);

    // Tue 07-27: the week of 07-19 is over and missed; overdue since Mon 07-26, 2 days.
    let st = plan.status(None, hangzhou(), None, &visits, d(2021, 7, 27));
    assert_eq!(st.missed_periods, 1);
    assert_eq!(st.overdue, Some(Overdue { since: d(2021, 7, 26), days: 2, missed_periods: 1 }));
    assert!(st.explanation.contains("已逾期2天（连续1周未达标）"), "{}", st.explanation);
    assert!(st.explanation.starts_with("每周上门探访1次：已达标3周，未达标1周"), "{}", st.explanation);

    // Another missed week: still counted from the first missed one.
    let st = plan.status(None, hangzhou(), None, &visits, d(2021, 8, 3));
    assert_eq!(st.overdue, Some(Overdue { since: d(2021, 7, 26), days: 9, missed_periods: 2 }));

    // Visiting on Mon 08-02 clears the overdue state; the missed weeks stay missed.
    let mut later = visits.clone();
    later.push(Contact::home(d(2021, 8, 2)));
    let st = plan.status(None, hangzhou(), None, &later, d(2021, 8, 3));
    assert_eq!(st.overdue, None);
    assert_eq!(st.missed_periods, 2);
    assert_eq!(st.current().unwrap().state, PeriodState::Met);
    assert_eq!(st.next_due, Some(Due { from: d(2021, 8, 9), by: d(2021, 8, 15), remaining: 1 }));
}

#[test]
fn iso_week_across_new_year_counts_once() {
    let req = Requirement { cadence: Cadence::Week, times: 1, channel: Channel::Home };
    let project = span(d(2020, 12, 1), d(2021, 1, 31));
    // Tue 2020-12-29 and Sat 2021-01-02 are the same ISO week (2020-W53).
    let visits = homes(&[(2020, 12, 22), (2020, 12, 29), (2021, 1, 2)]);
    let st = visit_status(&req, None, project, None, &visits, d(2021, 1, 12));
    let w53 = st.periods.iter().find(|p| p.span.start == d(2020, 12, 28)).unwrap();
    assert_eq!((w53.count, w53.state), (2, PeriodState::Met));
    assert_eq!(w53.label, "2020年第53周（12月28日—1月3日）");
    let w1 = st.periods.iter().find(|p| p.span.start == d(2021, 1, 4)).unwrap();
    assert_eq!(w1.state, PeriodState::Missed);
    // 2021-W1 ended Sun 01-10; on Tue 01-12 that is 2 days overdue.
    assert_eq!(st.overdue.unwrap().days, 2);
}

#[test]
fn monthly_month_ends() {
    let plan = VisitPlan::monthly();
    // 07-31 counts for July, 08-01 for August; nothing in September.
    let visits = homes(&[(2021, 7, 31), (2021, 8, 1)]);
    let st = plan.status(None, hangzhou(), None, &visits, d(2021, 9, 30));
    assert_eq!(st.met_periods, 2);
    assert_eq!(st.current().unwrap().state, PeriodState::Open);
    assert_eq!(st.next_due.unwrap().by, d(2021, 9, 30));
    assert_eq!(st.overdue, None); // the last day of September is still September
    let st = plan.status(None, hangzhou(), None, &visits, d(2021, 10, 1));
    assert_eq!(st.overdue, Some(Overdue { since: d(2021, 10, 1), days: 1, missed_periods: 1 }));
    // Leap February.
    let project = span(d(2024, 1, 1), d(2024, 12, 31));
    let st = plan.status(None, project, None, &homes(&[(2024, 1, 5), (2024, 2, 29)]), d(2024, 3, 1));
    assert_eq!(st.periods[1].span, span(d(2024, 2, 1), d(2024, 2, 29)));
    assert_eq!(st.periods[1].state, PeriodState::Met);
    assert_eq!(st.next_due.unwrap(), Due { from: d(2024, 3, 1), by: d(2024, 3, 31), remaining: 1 });
}

#[test]
fn quarterly_and_stubs() {
    let plan = VisitPlan { rule: VisitRule::Quarterly, min_per_year: None };
    // Qingtongxia starts 06-01: June is a 30-day stub of Q2 (exempt).
    let st = plan.status(None, qingtongxia(), None, &[], d(2023, 6, 15));
    assert_eq!(st.periods[0].state, PeriodState::Exempt);
    assert_eq!(st.next_due, Some(Due { from: d(2023, 7, 1), by: d(2023, 9, 30), remaining: 1 }));
    let st = plan.status(None, qingtongxia(), None, &homes(&[(2023, 8, 1)]), d(2023, 10, 2));
    assert_eq!(st.met_periods, 1);
    assert_eq!(st.overdue, None);
    assert_eq!(st.next_due.unwrap().by, d(2023, 12, 31));
    // A project starting on Friday 2021-10-01 leaves a 3-day exempt first week; no overdue on Monday.
    let project = span(d(2021, 10, 1), d(2022, 9, 30));
    let st = VisitPlan::hangzhou_weekly().status(None, project, None, &[], d(2021, 10, 4));
    assert_eq!(st.periods[0].state, PeriodState::Exempt);
    assert_eq!(st.overdue, None);
}

#[test]
fn by_risk_grade() {
    let table = RiskVisitTable::default();
    let rule = VisitRule::ByRisk(table);
    assert_eq!(rule.requirement(Some(Grade::Red)).cadence, Cadence::Week);
    assert_eq!(
        rule.requirement(Some(Grade::Yellow)),
        Requirement { cadence: Cadence::Month, times: 2, channel: Channel::Home }
    );
    assert_eq!(rule.requirement(Some(Grade::Blue)).cadence, Cadence::Month);
    assert_eq!(rule.requirement(Some(Grade::Green)).cadence, Cadence::Quarter);
    assert_eq!(rule.requirement(None).cadence, Cadence::Week);
    // Yellow: one visit in July is not enough.
    let plan = VisitPlan { rule, min_per_year: None };
    let st = plan.status(Some(Grade::Yellow), hangzhou(), None, &homes(&[(2021, 7, 3)]), d(2021, 7, 20));
    assert_eq!(st.next_due, Some(Due { from: d(2021, 7, 1), by: d(2021, 7, 31), remaining: 1 }));
    assert!(st.explanation.starts_with("每月上门探访不少于2次"), "{}", st.explanation);
    let st = plan.status(Some(Grade::Yellow), hangzhou(), None, &homes(&[(2021, 7, 3)]), d(2021, 8, 2));
    assert_eq!(st.missed_periods, 1);
}

#[test]
fn remote_weekly_phone() {
    let contacts = vec![Contact::phone(d(2021, 7, 6)), Contact::home(d(2021, 7, 13))];
    let remote = VisitPlan { rule: VisitRule::RemoteWeekly, min_per_year: None };
    let st = remote.status(None, hangzhou(), None, &contacts, d(2021, 7, 18));
    assert_eq!(st.requirement.channel, Channel::Phone);
    // First week (07-01..07-04) missed; the phone call and the home visit both count.
    assert_eq!((st.met_periods, st.missed_periods), (2, 1));
    assert!(st.explanation.starts_with("每周通讯联系1次"));
    // A weekly home-visit rule does not accept a phone call.
    let st = VisitPlan::hangzhou_weekly().status(None, hangzhou(), None, &contacts, d(2021, 7, 18));
    assert_eq!((st.met_periods, st.missed_periods), (1, 2));
}

#[test]
fn yearly_minimum_and_partial_service() {
    let plan = VisitPlan::hangzhou_weekly();
    let weekly: Vec<Contact> = Cadence::Week
        .periods_in(hangzhou())
        .iter()
        .filter(|p| !p.is_short_stub())
        .map(|p| Contact::home(p.part.start))
        .collect();
    assert_eq!(weekly.len(), 48);
    let st = plan.status(None, hangzhou(), None, &weekly, d(2022, 5, 31));
    assert_eq!(st.years[0].required, 40);
    assert_eq!((st.years[0].count, st.years[0].state), (48, PeriodState::Met));
    assert_eq!(st.missed_periods, 0);
    assert_eq!(st.next_due, None); // the last stub week is exempt, nothing more is due
    // The last full week missed: in the exempt 2-day stub (05-30..05-31) nothing is due or overdue.
    let st = plan.status(None, hangzhou(), None, &weekly[..47], d(2022, 5, 31));
    assert_eq!(st.periods[47].state, PeriodState::Missed);
    assert_eq!((st.overdue, st.next_due), (None, None));
    // 39 visits: missed once the project is over.
    let st = plan.status(None, hangzhou(), None, &weekly[..39], d(2022, 6, 1));
    assert_eq!(st.years[0].state, PeriodState::Missed);
    assert_eq!(st.overdue, None); // service over: nothing is overdue any more
    // Half way (2021-12-31: 184 of 335 days) at least 21 visits are expected.
    let st = plan.status(None, hangzhou(), None, &weekly, d(2021, 12, 31));
    assert_eq!(st.years[0].expected_so_far, 21);
    assert!(st.years[0].on_pace());
    // Served from 2022-01-01 only (151 of 335 days): ceil(40 × 151 / 335) = 19.
    let served = span(d(2022, 1, 1), d(2022, 5, 31));
    let st = plan.status(None, hangzhou(), Some(served), &weekly, d(2022, 5, 31));
    assert_eq!(st.years[0].required, 19);
    assert_eq!(st.periods[0].span.start, d(2022, 1, 1));
    // Visits after `as_of` and outside the service span do not count.
    let st = plan.status(None, hangzhou(), None, &weekly, d(2021, 7, 4));
    assert_eq!(st.years[0].count, 1);
    // Not in the project at all.
    let st = plan.status(None, hangzhou(), Some(span(d(2023, 1, 1), d(2023, 2, 1))), &weekly, d(2021, 8, 1));
    assert!(st.periods.is_empty() && st.explanation.contains("不在项目服务期内"));
}

#[test]
fn plans_are_data() {
    let p: VisitPlan = toml::from_str("min_per_year = 40\n[rule]\nkind = \"weekly\"\n").unwrap();
    assert_eq!(p, VisitPlan::hangzhou_weekly());
    let text = "[rule]\nkind = \"by_risk\"\nred = { cadence = \"week\" }\nyellow = { cadence = \"month\", times = 2 }\n\
                blue = { cadence = \"month\" }\ngreen = { cadence = \"quarter\" }\nungraded = { cadence = \"week\" }\n";
    let p: VisitPlan = toml::from_str(text).unwrap();
    assert_eq!(p.rule, VisitRule::ByRisk(RiskVisitTable::default()));
    let json = serde_json::to_string(&VisitPlan { rule: VisitRule::RemoteWeekly, min_per_year: None }).unwrap();
    assert_eq!(json, r#"{"rule":{"kind":"remote_weekly"}}"#);
    let back: VisitPlan = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(back, p);
}
