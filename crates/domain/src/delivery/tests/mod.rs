//! Tests of field delivery with the documents' numbers (Hangzhou 2021 supplementary call, seed 000;
//! Qingtongxia 2023, seed 003; Chongchuan 9th plan, seed 002).

mod anomaly;
mod period;
mod progress;
mod progress_people;
mod risk;
mod schedule;
mod worklist;

use chrono::{NaiveDate, NaiveDateTime};

use super::period::DateSpan;
use crate::program::{Metric, OutputTarget};

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) fn dt(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(h, min, 0).unwrap()
}

pub(super) fn span(a: NaiveDate, b: NaiveDate) -> DateSpan {
    DateSpan::new(a, b).unwrap()
}

/// 项目周期：2021年7月1日至2022年5月31日 (all five Hangzhou items).
pub(super) fn hangzhou() -> DateSpan {
    span(d(2021, 7, 1), d(2022, 5, 31))
}

/// 所有立项项目实施时间为2023年6月至2024年5月 (Qingtongxia).
pub(super) fn qingtongxia() -> DateSpan {
    span(d(2023, 6, 1), d(2024, 5, 31))
}

/// An output target with nothing but a metric and a quantity.
pub(super) fn target(metric: Metric, quantity: u32) -> OutputTarget {
    OutputTarget {
        metric,
        description: String::new(),
        quantity: Some(quantity),
        quantity_max: None,
        unit: String::new(),
        per_beneficiary: false,
        period: None,
        min_per_year: None,
        within_days_of_start: None,
        min_members: None,
        min_sessions: None,
        min_months: None,
    }
}
