//! Date spans and calendar periods (weeks, months, quarters, project years) in Asia/Shanghai dates.
//!
//! All dates are local calendar dates ([`NaiveDate`]); the caller converts instants with
//! [`crate::clock::shanghai`] first. Weeks are ISO weeks (Monday–Sunday, numbered by the ISO
//! year, so 2021-01-01 is in week 53 of 2020).

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// An inclusive range of dates: `start ..= end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DateSpan {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl DateSpan {
    /// `None` when `end` is before `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Option<DateSpan> {
        (start <= end).then_some(DateSpan { start, end })
    }

    /// Number of days, both ends included (a one-day span has 1).
    pub fn days(&self) -> u32 {
        u32::try_from((self.end - self.start).num_days() + 1).unwrap_or(0)
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    /// The common part of two spans.
    pub fn intersect(&self, other: &DateSpan) -> Option<DateSpan> {
        DateSpan::new(self.start.max(other.start), self.end.min(other.end))
    }

    /// Days of this span up to and including `as_of` (0 before the start, all after the end).
    pub fn elapsed_days(&self, as_of: NaiveDate) -> u32 {
        if as_of < self.start { 0 } else { DateSpan { start: self.start, end: as_of.min(self.end) }.days() }
    }

    /// "2021-07-01至2022-05-31"
    pub fn label(&self) -> String {
        format!("{}至{}", self.start, self.end)
    }
}

/// The day after `d` (saturating at the end of chrono's range).
pub(crate) fn next_day(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

/// `d` plus `n` days (saturating).
pub(crate) fn add_days(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_days(Days::new(u64::from(n))).unwrap_or(NaiveDate::MAX)
}

/// `d` plus `n` calendar months, clamped to the month's last day (01-31 + 1 month = 02-28/29).
pub(crate) fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX)
}

/// Whole days from `a` to `b` (negative when `b` is before `a`).
pub(crate) fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

/// A calendar period a visit rule repeats in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// ISO week, Monday to Sunday.
    Week,
    /// Calendar month.
    Month,
    /// Calendar quarter (Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec).
    Quarter,
}

impl Cadence {
    /// 每周 / 每月 / 每季度
    pub fn every(self) -> &'static str {
        match self {
            Cadence::Week => "每周",
            Cadence::Month => "每月",
            Cadence::Quarter => "每季度",
        }
    }

    /// 周 / 月 / 季度
    pub fn unit(self) -> &'static str {
        match self {
            Cadence::Week => "周",
            Cadence::Month => "月",
            Cadence::Quarter => "季度",
        }
    }

    /// Counting word: "3周", "3个月", "3个季度".
    pub fn count_unit(self) -> &'static str {
        match self {
            Cadence::Week => "周",
            Cadence::Month => "个月",
            Cadence::Quarter => "个季度",
        }
    }

    /// The whole calendar period that contains `d`.
    pub fn period_of(self, d: NaiveDate) -> DateSpan {
        match self {
            Cadence::Week => {
                let back = d.weekday().num_days_from_monday();
                let start = d.checked_sub_days(Days::new(u64::from(back))).unwrap_or(d);
                DateSpan { start, end: add_days(start, 6) }
            }
            Cadence::Month => month_span(d.year(), d.month()),
            Cadence::Quarter => {
                let first = (d.month() - 1) / 3 * 3 + 1;
                let start = month_span(d.year(), first).start;
                DateSpan { start, end: month_span(d.year(), first + 2).end }
            }
        }
    }

    /// The periods that touch `span`, each clipped to it, in order.
    pub fn periods_in(self, span: DateSpan) -> Vec<ClippedPeriod> {
        let mut out = Vec::new();
        let mut d = span.start;
        loop {
            let full = self.period_of(d);
            if let Some(part) = full.intersect(&span) {
                out.push(ClippedPeriod { full, part });
            }
            if full.end >= span.end || full.end == NaiveDate::MAX {
                break;
            }
            d = next_day(full.end);
        }
        out
    }

    /// How the period containing `d` is named: "2020年第53周（12月28日—1月3日）", "2021年7月",
    /// "2021年第3季度".
    pub fn label(self, d: NaiveDate) -> String {
        match self {
            Cadence::Week => {
                let w = d.iso_week();
                let p = self.period_of(d);
                format!(
                    "{}年第{}周（{}月{}日—{}月{}日）",
                    w.year(),
                    w.week(),
                    p.start.month(),
                    p.start.day(),
                    p.end.month(),
                    p.end.day()
                )
            }
            Cadence::Month => format!("{}年{}月", d.year(), d.month()),
            Cadence::Quarter => format!("{}年第{}季度", d.year(), (d.month() - 1) / 3 + 1),
        }
    }
}

/// A calendar period and the part of it inside a span (they differ at the span's ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClippedPeriod {
    pub full: DateSpan,
    pub part: DateSpan,
}

impl ClippedPeriod {
    /// Whether less than half of the period lies inside the span (a 1-to-3-day stub of a week,
    /// a stub of fewer than half a month's days). Such stubs are exempt from visit rules.
    pub fn is_short_stub(&self) -> bool {
        self.part.days() * 2 < self.full.days()
    }
}

fn month_span(year: i32, month: u32) -> DateSpan {
    let start = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN);
    let end = add_months(start, 1).pred_opt().unwrap_or(start);
    DateSpan { start, end }
}

/// Project years: 12-month windows from the project start, the last one clipped to the end.
/// A project of 2021-07-01..2022-05-31 has one window, 2021-07-01..2022-05-31.
pub fn project_years(project: DateSpan) -> Vec<DateSpan> {
    let mut out = Vec::new();
    let mut n = 0u32;
    loop {
        let start = add_months(project.start, 12 * n);
        if start > project.end || start == NaiveDate::MAX {
            break;
        }
        let full_end = add_months(project.start, 12 * (n + 1)).pred_opt().unwrap_or(start);
        out.push(DateSpan { start, end: full_end.min(project.end) });
        n += 1;
    }
    out
}

/// Days a yearly minimum is spread over in a project-year window: the window itself when the
/// project has only one window (a one-year call for an 11-month period, as in Hangzhou, means
/// the whole minimum in that period), otherwise a full 12 months from the window's start, so
/// a short last window of a multi-year project asks for a proportional part.
pub fn year_basis_days(window: DateSpan, project: DateSpan) -> u32 {
    if project_years(project).len() <= 1 {
        window.days()
    } else {
        DateSpan { start: window.start, end: add_months(window.start, 12).pred_opt().unwrap_or(window.start) }.days()
    }
}

/// `ceil(a * b / c)` in integers (0 when `c` is 0).
pub(crate) fn mul_div_ceil(a: u64, b: u64, c: u64) -> u64 {
    if c == 0 { 0 } else { (a * b).div_ceil(c) }
}

/// `floor(a * b / c)` in integers (0 when `c` is 0).
pub(crate) fn mul_div_floor(a: u64, b: u64, c: u64) -> u64 {
    (a * b).checked_div(c).unwrap_or(0)
}
