use super::{d, hangzhou};
use crate::delivery::risk::Grade;
use crate::delivery::visit::{Contact, RiskVisitTable, VisitPlan, VisitRule};
use crate::delivery::worklist::{Assignment, Urgency, day_list};

fn assign(
    id: &str,
    grade: Option<Grade>,
    plan: VisitPlan,
    visits: &[(i32, u32, u32)],
    day: chrono::NaiveDate,
) -> Assignment {
    let contacts: Vec<Contact> = visits.iter().map(|&(y, m, dd)| Contact::home(d(y, m, dd))).collect();
    Assignment { person_id: id.to_string(), grade, status: plan.status(grade, hangzhou(), None, &contacts, day) }
}

#[test]
fn worker_day_list_sorted_by_urgency() {
    // Sunday 2021-08-01: the last day of the week of 07-26 and of July.
    let day = d(2021, 8, 1);
    let weekly = VisitPlan::hangzhou_weekly();
    let monthly = VisitPlan::monthly();
    let by_risk = VisitPlan { rule: VisitRule::ByRisk(RiskVisitTable::default()), min_per_year: None };
    let list = day_list(
        day,
        &[
            // Visited every week: done this week, not listed.
            assign(
                "a-done",
                None,
                weekly,
                &[(2021, 7, 2), (2021, 7, 7), (2021, 7, 14), (2021, 7, 21), (2021, 7, 28)],
                day,
            ),
            // Last visit 07-14: weeks of 07-19 missed → overdue 7 days (since Mon 07-26).
            assign("b-overdue7", None, weekly, &[(2021, 7, 2), (2021, 7, 7), (2021, 7, 14)], day),
            // Last visit 07-07: weeks of 07-12 and 07-19 missed → overdue 14 days.
            assign("c-overdue14", None, weekly, &[(2021, 7, 2), (2021, 7, 7)], day),
            // Weekly, visited until 07-21: due today (week ends Sunday 08-01).
            assign("d-today", None, weekly, &[(2021, 7, 2), (2021, 7, 7), (2021, 7, 14), (2021, 7, 21)], day),
            // Monthly, July visited: August is due by 08-31, listed last.
            assign("e-month", None, monthly, &[(2021, 7, 9)], d(2021, 8, 1)),
            // Green child, quarterly: visited in July; next quarter not started.
            assign("f-green", Some(Grade::Green), by_risk, &[(2021, 7, 9)], day),
            // Red child, weekly, visited until 07-21: due today, sorts before d-today.
            assign(
                "g-red",
                Some(Grade::Red),
                by_risk,
                &[(2021, 7, 2), (2021, 7, 7), (2021, 7, 14), (2021, 7, 21)],
                day,
            ),
            // Computed for another day: left out.
            assign("h-stale", None, weekly, &[], d(2021, 7, 30)),
        ],
    );
    let ids: Vec<&str> = list.iter().map(|i| i.person_id.as_str()).collect();
    assert_eq!(ids, vec!["c-overdue14", "b-overdue7", "g-red", "d-today", "e-month"]);
    assert_eq!(list[0].urgency, Urgency::Overdue { days: 14 });
    assert_eq!(list[1].urgency, Urgency::Overdue { days: 7 });
    assert!(list[1].reason.starts_with("已逾期7天"), "{}", list[1].reason);
    assert_eq!(list[2].urgency, Urgency::DueToday);
    assert!(list[2].reason.contains("今天到期"), "{}", list[2].reason);
    assert_eq!(list[4].urgency, Urgency::DueBy { by: d(2021, 8, 31), days_left: 30 });
    assert_eq!(list[4].due_by, d(2021, 8, 31));
    assert_eq!(list[4].remaining, 1);
    assert!(list[4].reason.contains("2021年8月还需上门探访1次"), "{}", list[4].reason);
}

#[test]
fn ties_by_grade_then_id() {
    let day = d(2021, 7, 20);
    let by_risk = VisitPlan { rule: VisitRule::ByRisk(RiskVisitTable::default()), min_per_year: None };
    let visits = [(2021, 7, 2), (2021, 7, 7), (2021, 7, 14)];
    let list = day_list(
        day,
        &[
            assign("z", Some(Grade::Red), by_risk, &visits, day),
            assign("y", None, by_risk, &visits, day),
            assign("x", Some(Grade::Red), by_risk, &visits, day),
        ],
    );
    let ids: Vec<&str> = list.iter().map(|i| i.person_id.as_str()).collect();
    assert_eq!(ids, vec!["x", "z", "y"]); // red first, ungraded after, by id within a grade
    assert!(list.iter().all(|i| i.urgency == Urgency::DueBy { by: d(2021, 7, 25), days_left: 5 }));
    assert!(day_list(day, &[]).is_empty());
}
