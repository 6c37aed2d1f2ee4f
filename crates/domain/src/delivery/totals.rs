//! Output targets that add up dated records: in total over the project, or per period
//! (“每月提交月计划”: every month needs its quantity; the value is the periods met).

use chrono::NaiveDate;

use super::facts::DeliveryFacts;
use super::people;
use super::period::{Cadence, DateSpan, mul_div_ceil, project_years, year_basis_days};
use super::progress::{Count, Pace};
use super::visit::Channel;
use crate::program::{Metric, OutputTarget, Period};

/// The records a dated metric adds up, and their scale (60 for minutes).
pub(crate) fn dated(m: Metric, f: &DeliveryFacts) -> (Vec<(NaiveDate, u64)>, u64) {
    let ones = |v: &[NaiveDate]| v.iter().map(|d| (*d, 1)).collect::<Vec<_>>();
    match m {
        Metric::Visits => (f.contacts_of(Channel::Home), 1),
        Metric::RemoteContacts => (f.contacts_of(Channel::Phone), 1),
        Metric::ServiceRecords => (ones(&f.service_records), 1),
        Metric::Documents => (ones(&f.documents), 1),
        Metric::GroupSessions => (f.groups.iter().flat_map(|g| g.sessions.iter().map(|d| (*d, 1))).collect(), 1),
        Metric::Activities => (f.activities.iter().map(|a| (a.date, 1)).collect(), 1),
        Metric::Participants => (f.activities.iter().map(|a| (a.date, u64::from(a.participants))).collect(), 1),
        Metric::Trainings => (f.trainings.iter().map(|x| (x.date, 1)).collect(), 1),
        Metric::Trainees => (f.trainings.iter().map(|x| (x.date, u64::from(x.trainees))).collect(), 1),
        Metric::TrainingHours => (f.trainings.iter().map(|x| (x.date, u64::from(x.minutes))).collect(), 60),
        Metric::SupervisionPersonTimes => {
            (f.supervisions.iter().map(|s| (s.date, u64::from(s.supervisees))).collect(), 1)
        }
        Metric::SupervisionHours => (f.supervisions.iter().map(|s| (s.date, u64::from(s.minutes))).collect(), 60),
        Metric::VolunteerHours => (f.volunteer_service.iter().map(|s| (s.date, u64::from(s.minutes))).collect(), 60),
        _ => (Vec::new(), 1),
    }
}

/// The target quantity; for a per-beneficiary total (“每人2次”) times the people served by `as_of`.
pub(crate) fn scaled_target(t: &OutputTarget, f: &DeliveryFacts, as_of: NaiveDate) -> u64 {
    let q = u64::from(t.quantity.unwrap_or(1));
    if t.per_beneficiary { q * people::served_count(f, as_of) } else { q }
}

fn sum_in(records: &[(NaiveDate, u64)], s: DateSpan) -> u64 {
    records.iter().filter(|(d, _)| s.contains(*d)).map(|(_, v)| v).sum()
}

pub(crate) fn dated_total(
    t: &OutputTarget,
    project: DateSpan,
    as_of: NaiveDate,
    records: &[(NaiveDate, u64)],
    scale: u64,
    f: &DeliveryFacts,
) -> Count {
    let upto = DateSpan { start: project.start, end: as_of.min(project.end) };
    let windows: Vec<(DateSpan, u64)> = match t.period {
        Some(p @ (Period::Week | Period::Month | Period::Quarter)) => {
            let cad = match p {
                Period::Week => Cadence::Week,
                Period::Month => Cadence::Month,
                _ => Cadence::Quarter,
            };
            let q = scaled_target(t, f, as_of);
            cad.periods_in(project).into_iter().filter(|c| !c.is_short_stub()).map(|c| (c.part, q)).collect()
        }
        Some(Period::Year) if project_years(project).len() > 1 => {
            let q = scaled_target(t, f, as_of);
            let per = |w: DateSpan| mul_div_ceil(q, u64::from(w.days()), u64::from(year_basis_days(w, project)));
            project_years(project).into_iter().map(|w| (w, per(w))).collect()
        }
        _ => {
            let total = if as_of < project.start { 0 } else { sum_in(records, upto) };
            let target = scaled_target(t, f, as_of);
            let met = total >= target * scale;
            return Count {
                value_sub: total,
                target,
                scale,
                met,
                pace: Pace::Elapsed(project),
                detail: String::new(),
                unit: None,
            };
        }
    };
    let mut met = 0u64;
    let mut missed = Vec::new();
    for (w, need) in &windows {
        if w.start > as_of {
            break;
        }
        let got = sum_in(records, DateSpan { start: w.start, end: w.end.min(as_of) });
        if got >= need * scale {
            met += 1;
        } else if w.end < as_of {
            missed.push(w.label());
        }
    }
    let n = windows.len() as u64;
    let detail = if missed.is_empty() { String::new() } else { format!("未达标的周期：{}", missed.join("、")) };
    let on_pace = (as_of >= project.start).then_some(missed.is_empty());
    Count {
        value_sub: met,
        target: n,
        scale: 1,
        met: met >= n,
        pace: Pace::Given(on_pace),
        detail,
        unit: Some("个周期"),
    }
}
