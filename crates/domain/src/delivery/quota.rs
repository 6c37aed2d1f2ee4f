//! Counting contacts against a quota over a window: the yearly minimum (“一年不少于40次”) per
//! project year, or a quantity over the whole project.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::period::{DateSpan, mul_div_ceil, mul_div_floor, project_years, year_basis_days};
use super::schedule::PeriodState;
use super::visit::Contact;

/// Sorted dates of the contacts that count, up to `as_of`.
pub(crate) struct Counted(Vec<NaiveDate>);

impl Counted {
    pub(crate) fn new(contacts: &[Contact], as_of: NaiveDate, counts: impl Fn(&Contact) -> bool) -> Counted {
        let mut v: Vec<NaiveDate> = contacts.iter().filter(|c| c.date <= as_of && counts(c)).map(|c| c.date).collect();
        v.sort_unstable();
        Counted(v)
    }

    pub(crate) fn within(&self, s: DateSpan) -> u32 {
        let lo = self.0.partition_point(|d| *d < s.start);
        let hi = self.0.partition_point(|d| *d <= s.end);
        u32::try_from(hi.saturating_sub(lo)).unwrap_or(u32::MAX)
    }
}

/// A quota over one window (a project year, or the whole project).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearStatus {
    /// The window, clipped to the person's service span.
    pub window: DateSpan,
    pub count: u32,
    /// The minimum for this window (the full quota, or a proportional part).
    pub required: u32,
    /// What should have been done by `as_of` at an even pace (floor).
    pub expected_so_far: u32,
    /// `Met`, `Missed` (window over) or `Open`.
    pub state: PeriodState,
}

impl YearStatus {
    /// Met, or still open and at least at the even pace.
    pub fn on_pace(&self) -> bool {
        match self.state {
            PeriodState::Met => true,
            PeriodState::Open => self.count >= self.expected_so_far,
            _ => false,
        }
    }
}

/// The quota `min` over `window`, for a person served during `part` of it; `basis` is the number
/// of days the full quota is spread over (a person served fewer days owes a proportional part,
/// rounded up, never more than `min`).
pub(crate) fn window_quota(min: u32, part: DateSpan, basis: u32, counted: &Counted, as_of: NaiveDate) -> YearStatus {
    let required =
        u32::try_from(mul_div_ceil(u64::from(min), u64::from(part.days()), u64::from(basis))).unwrap_or(min).min(min);
    let elapsed = part.elapsed_days(as_of);
    let expected = mul_div_floor(u64::from(required), u64::from(elapsed), u64::from(part.days()));
    let count = counted.within(part);
    let state = if count >= required {
        PeriodState::Met
    } else if as_of > part.end {
        PeriodState::Missed
    } else {
        PeriodState::Open
    };
    YearStatus { window: part, count, required, expected_so_far: u32::try_from(expected).unwrap_or(required), state }
}

/// The yearly minimum per project year that has started by `as_of`, for a person served `span`.
pub(crate) fn years(
    min: u32,
    project: DateSpan,
    span: DateSpan,
    counted: &Counted,
    as_of: NaiveDate,
) -> Vec<YearStatus> {
    let mut out = Vec::new();
    for w in project_years(project) {
        let Some(part) = w.intersect(&span) else { continue };
        if part.start > as_of {
            break;
        }
        out.push(window_quota(min, part, year_basis_days(w, project), counted, as_of));
    }
    out
}
