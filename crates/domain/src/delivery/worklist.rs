//! A field worker's list for a day (今日待访): the people due or overdue, most urgent first.
//!
//! Order: overdue people first (longest overdue first), then people whose period ends today,
//! then the others by their due date; ties by risk grade (red first, ungraded before green,
//! since ungraded children are treated as red) and then by person id, so the list is stable.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::period::days_between;
use super::risk::Grade;
use super::schedule::VisitStatus;

/// One person assigned to the worker, with their schedule computed as of the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub person_id: String,
    #[serde(default)]
    pub grade: Option<Grade>,
    pub status: VisitStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Urgency {
    /// Periods missed and nothing yet in the current one.
    Overdue { days: u32 },
    /// The current period ends today.
    DueToday,
    /// The current period ends on `by`, `days_left` days after today.
    DueBy { by: NaiveDate, days_left: u32 },
}

impl Urgency {
    fn rank(&self) -> (u8, i64) {
        match *self {
            Urgency::Overdue { days } => (0, -i64::from(days)),
            Urgency::DueToday => (1, 0),
            Urgency::DueBy { days_left, .. } => (2, i64::from(days_left)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkItem {
    pub person_id: String,
    pub grade: Option<Grade>,
    pub urgency: Urgency,
    /// Last day of the current period (what the worker must do by).
    pub due_by: NaiveDate,
    /// Contacts still needed in the current period.
    pub remaining: u32,
    /// "已逾期8天，本周还需上门探访1次" …
    pub reason: String,
}

fn grade_rank(g: Option<Grade>) -> u8 {
    match g {
        Some(Grade::Red) => 0,
        None => 1,
        Some(other) => other.severity_rank() + 1,
    }
}

/// The people of `assignments` due or overdue on `day`, most urgent first. Each status must
/// have been computed with `as_of = day`; others are left out.
pub fn day_list(day: NaiveDate, assignments: &[Assignment]) -> Vec<WorkItem> {
    let mut items: Vec<WorkItem> = assignments.iter().filter_map(|a| item(day, a)).collect();
    items.sort_by(|a, b| {
        a.urgency
            .rank()
            .cmp(&b.urgency.rank())
            .then(grade_rank(a.grade).cmp(&grade_rank(b.grade)))
            .then(a.person_id.cmp(&b.person_id))
    });
    items
}

fn item(day: NaiveDate, a: &Assignment) -> Option<WorkItem> {
    let st = &a.status;
    if st.as_of != day {
        return None;
    }
    let due = st.next_due.filter(|d| d.from <= day)?;
    let days_left = u32::try_from(days_between(day, due.by)).unwrap_or(0);
    let what = format!(
        "{}还需{}{}次（{}前）",
        st.current().map_or_else(|| "本期".to_string(), |c| c.label.clone()),
        st.requirement.channel.label(),
        due.remaining,
        due.by
    );
    let (urgency, reason) = match st.overdue {
        Some(o) => (Urgency::Overdue { days: o.days }, format!("已逾期{}天，{}", o.days, what)),
        None if days_left == 0 => (Urgency::DueToday, format!("今天到期，{what}")),
        None => (Urgency::DueBy { by: due.by, days_left }, format!("{days_left}天后到期，{what}")),
    };
    Some(WorkItem {
        person_id: a.person_id.clone(),
        grade: a.grade,
        urgency,
        due_by: due.by,
        remaining: due.remaining,
        reason,
    })
}
