//! A person's visit schedule as of a date: each period met or missed, the next due date, how
//! long they are overdue, and the yearly minimum.
//!
//! Choices, so a supervisor can check any number by hand:
//! * Periods are calendar periods ([`super::period::Cadence::period_of`]) clipped to the person's service span
//!   (their span inside the project). A clipped stub shorter than half the period (a project
//!   starting on a Friday leaves a 3-day first week) is `Exempt`; a longer stub is required.
//! * A period is judged when it is over (`as_of` after its last day). The period containing
//!   `as_of` is `Met` as soon as it has enough contacts, else `Open`.
//! * A person is overdue when the periods just before the current one were missed and the current
//!   one is not met yet; the days count from the end of the first missed period of that run.
//!   Visiting in the current period clears the overdue state (the missed periods stay missed);
//!   in an exempt stub at the end of the service nothing more is due, so nobody is overdue.
//! * The yearly minimum is counted per project year ([`super::period::project_years`]), in proportion to the
//!   days the person is served in it ([`super::period::year_basis_days`]).
//! * Contacts dated after `as_of` are ignored, so any past day can be recomputed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::period::{ClippedPeriod, DateSpan, days_between, next_day};
use super::quota::{Counted, YearStatus, years};
use super::risk::Grade;
use super::visit::{Contact, Requirement, VisitPlan};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodState {
    /// Enough contacts.
    Met,
    /// Over without enough contacts.
    Missed,
    /// Still running, not enough contacts yet.
    Open,
    /// A stub of less than half a period at the start or end of the service span.
    Exempt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodStatus {
    /// The part of the period inside the service span.
    pub span: DateSpan,
    /// "2021年第27周（7月5日—7月11日）", "2021年7月".
    pub label: String,
    pub required: u32,
    pub count: u32,
    pub state: PeriodState,
}

/// The next contact to make: between `from` and `by`, `remaining` more contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub from: NaiveDate,
    pub by: NaiveDate,
    pub remaining: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdue {
    /// First day after the first missed period of the current run.
    pub since: NaiveDate,
    /// Days from the end of that period to `as_of` (1 on the day after).
    pub days: u32,
    /// Consecutive missed periods just before the current one.
    pub missed_periods: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitStatus {
    pub requirement: Requirement,
    pub as_of: NaiveDate,
    /// Periods that have started by `as_of`, oldest first.
    pub periods: Vec<PeriodStatus>,
    pub met_periods: u32,
    pub missed_periods: u32,
    /// `None` once the service span is over.
    pub next_due: Option<Due>,
    pub overdue: Option<Overdue>,
    pub years: Vec<YearStatus>,
    /// Chinese summary naming the numbers.
    pub explanation: String,
}

impl VisitStatus {
    /// The period containing `as_of`, if it is inside the service span.
    pub fn current(&self) -> Option<&PeriodStatus> {
        self.periods.last().filter(|p| p.span.contains(self.as_of))
    }
}

impl VisitPlan {
    /// The schedule of a person with this plan (`grade` matters for `ByRisk` only).
    pub fn status(
        &self,
        grade: Option<Grade>,
        project: DateSpan,
        served: Option<DateSpan>,
        contacts: &[Contact],
        as_of: NaiveDate,
    ) -> VisitStatus {
        let req = self.rule.requirement(grade);
        visit_status(&req, self.min_per_year, project, served, contacts, as_of)
    }
}

/// The schedule of one person: `served` is their span in the project (`None` = the whole
/// project); the yearly minimum, if any, is counted per project year.
pub fn visit_status(
    req: &Requirement,
    min_per_year: Option<u32>,
    project: DateSpan,
    served: Option<DateSpan>,
    contacts: &[Contact],
    as_of: NaiveDate,
) -> VisitStatus {
    let counted = Counted::new(contacts, as_of, |c| req.counts(c));
    let span = served.map_or(Some(project), |s| s.intersect(&project));
    let mut st = VisitStatus {
        requirement: *req,
        as_of,
        periods: Vec::new(),
        met_periods: 0,
        missed_periods: 0,
        next_due: None,
        overdue: None,
        years: Vec::new(),
        explanation: String::new(),
    };
    let Some(span) = span else {
        st.explanation = format!("{}：不在项目服务期内", req.describe());
        return st;
    };
    let all = req.cadence.periods_in(span);
    for p in all.iter().filter(|p| p.part.start <= as_of) {
        let count = counted.within(p.part);
        let state = if count >= req.times {
            PeriodState::Met
        } else if p.is_short_stub() {
            PeriodState::Exempt
        } else if p.part.end < as_of {
            PeriodState::Missed
        } else {
            PeriodState::Open
        };
        match state {
            PeriodState::Met => st.met_periods += 1,
            PeriodState::Missed => st.missed_periods += 1,
            _ => {}
        }
        let label = req.cadence.label(p.part.start);
        st.periods.push(PeriodStatus { span: p.part, label, required: req.times, count, state });
    }
    st.next_due = next_due(req, &st.periods, &all, as_of);
    st.overdue = overdue(&st.periods, as_of, span);
    if let Some(min) = min_per_year {
        st.years = years(min, project, span, &counted, as_of);
    }
    st.explanation = explain(&st);
    st
}

fn next_due(req: &Requirement, done: &[PeriodStatus], all: &[ClippedPeriod], as_of: NaiveDate) -> Option<Due> {
    if let Some(cur) = done.last().filter(|p| p.span.contains(as_of) && p.state == PeriodState::Open) {
        return Some(Due { from: cur.span.start, by: cur.span.end, remaining: req.times - cur.count });
    }
    // The next period that starts after `as_of` and is not an exempt stub.
    all.iter()
        .filter(|p| p.part.start > as_of && !p.is_short_stub())
        .map(|p| Due { from: p.part.start, by: p.part.end, remaining: req.times })
        .next()
}

fn overdue(done: &[PeriodStatus], as_of: NaiveDate, span: DateSpan) -> Option<Overdue> {
    if as_of > span.end {
        return None;
    }
    let mut iter = done.iter().rev().peekable();
    if iter.peek().is_some_and(|p| p.span.contains(as_of)) {
        let cur = iter.next()?;
        if matches!(cur.state, PeriodState::Met | PeriodState::Exempt) {
            return None;
        }
    }
    let mut first_missed: Option<&PeriodStatus> = None;
    let mut n = 0u32;
    for p in iter {
        match p.state {
            PeriodState::Missed => {
                first_missed = Some(p);
                n += 1;
            }
            PeriodState::Exempt => continue,
            _ => break,
        }
    }
    let first = first_missed?;
    let days = u32::try_from(days_between(first.span.end, as_of)).unwrap_or(0);
    Some(Overdue { since: next_day(first.span.end), days, missed_periods: n })
}

fn md(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}月{}日", d.month(), d.day())
}

fn explain(st: &VisitStatus) -> String {
    let req = &st.requirement;
    let mut parts = vec![format!(
        "{}：已达标{}{u}，未达标{}{u}",
        req.describe(),
        st.met_periods,
        st.missed_periods,
        u = req.cadence.count_unit()
    )];
    if let Some(cur) = st.current() {
        match cur.state {
            PeriodState::Met => parts.push(format!("{}已完成{}次", cur.label, cur.count)),
            PeriodState::Exempt => parts.push(format!("{}不足半个周期，不作要求", cur.label)),
            _ => parts.push(format!(
                "{}已完成{}/{}次，须在{}前完成",
                cur.label,
                cur.count,
                cur.required,
                md(cur.span.end)
            )),
        }
    }
    if let Some(o) = st.overdue {
        parts.push(format!("已逾期{}天（连续{}{}未达标）", o.days, o.missed_periods, req.cadence.count_unit()));
    }
    if let Some(d) = st.next_due.filter(|d| d.from > st.as_of) {
        parts.push(format!("下次应在{}至{}之间", md(d.from), md(d.by)));
    }
    for y in &st.years {
        let state = match y.state {
            PeriodState::Met => "已达标",
            PeriodState::Missed => "未达标",
            _ if y.count >= y.expected_so_far => "进度正常",
            _ => "进度落后",
        };
        parts.push(format!(
            "年度（{}）{}/{}次，按进度应{}次，{}",
            y.window.label(),
            y.count,
            y.required,
            y.expected_so_far,
            state
        ));
    }
    parts.join("；")
}
