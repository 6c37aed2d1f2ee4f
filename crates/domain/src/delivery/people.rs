//! Output progress that looks at people and records one by one: per-beneficiary visit rules,
//! files and assessments built in time, served people, cases that last, groups that qualify, and
//! rates (pass rate, satisfaction).
//!
//! * A per-beneficiary visit target (“每周一次上门探访（一年不少于40次）”) is judged person by person;
//!   the value is the number of people who meet it, the target the number of people it applies to
//!   (people at home for visits, people living away for phone contacts). With a yearly minimum a
//!   person meets it when the minimum is reached in every project year begun, and is on pace while
//!   their count keeps up with the year (missed weeks are reported, the minimum decides). Without
//!   one, a person meets it while no finished period was missed.
//! * “Within N days of start” counts from the project start, or from the day a person joined if
//!   later (they get the same N days).

use chrono::NaiveDate;

use super::facts::{DeliveryFacts, PersonFacts};
use super::period::{Cadence, DateSpan, add_days, add_months, mul_div_floor};
use super::progress::{Count, Pace};
use super::quota::{Counted, window_quota};
use super::schedule::visit_status;
use super::visit::{Channel, Requirement};
use crate::program::{Metric, OutputTarget, Period};

/// A person's span inside the project.
pub(crate) fn served_span(p: &PersonFacts, project: DateSpan) -> Option<DateSpan> {
    let start = p.enrolled_on.unwrap_or(project.start).max(project.start);
    DateSpan::new(start, p.left_on.unwrap_or(project.end).min(project.end))
}

/// People who have joined by `as_of`.
pub(crate) fn served_count(f: &DeliveryFacts, as_of: NaiveDate) -> u64 {
    f.people.iter().filter(|p| p.enrolled_on.is_none_or(|d| d <= as_of)).count() as u64
}

fn count(value: u64, target: u64, met: bool, pace: Pace, detail: String, unit: Option<&'static str>) -> Count {
    Count { value_sub: value, target, scale: 1, met, pace, detail, unit }
}

pub(crate) fn visit_compliance(t: &OutputTarget, project: DateSpan, as_of: NaiveDate, f: &DeliveryFacts) -> Count {
    let remote = t.metric == Metric::RemoteContacts;
    let channel = if remote { Channel::Phone } else { Channel::Home };
    let times = t.quantity.unwrap_or(1).max(1);
    let cadence = match t.period {
        Some(Period::Week) => Some(Cadence::Week),
        Some(Period::Month) => Some(Cadence::Month),
        Some(Period::Quarter) => Some(Cadence::Quarter),
        _ => None,
    };
    let (mut n, mut achieved, mut paced, mut missed, mut overdue) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut recorded = 0usize;
    for p in f.people.iter().filter(|p| p.remote == remote) {
        let Some(span) = served_span(p, project).filter(|s| s.start <= as_of) else { continue };
        n += 1;
        recorded += p.contacts.iter().filter(|c| c.date <= as_of && (remote || c.channel == channel)).count();
        let (ok, on_pace) = match cadence {
            Some(cadence) => {
                let req = Requirement { cadence, times, channel };
                let st = visit_status(&req, t.min_per_year, project, Some(span), &p.contacts, as_of);
                missed += u64::from(st.missed_periods);
                overdue += u64::from(st.overdue.is_some());
                if t.min_per_year.is_some() {
                    let ok =
                        !st.years.is_empty() && st.years.iter().all(|y| y.state == super::schedule::PeriodState::Met);
                    (ok, st.years.iter().all(|y| y.on_pace()))
                } else {
                    (st.missed_periods == 0, st.missed_periods == 0)
                }
            }
            None => {
                // A quantity per year or per project, proportional to the days served.
                let counted = Counted::new(&p.contacts, as_of, |c| channel == Channel::Phone || c.channel == channel);
                let ys = if t.period == Some(Period::Year) {
                    super::quota::years(times, project, span, &counted, as_of)
                } else {
                    vec![window_quota(times, span, project.days(), &counted, as_of)]
                };
                let ok = ys.iter().all(|y| y.state == super::schedule::PeriodState::Met);
                (ok, ys.iter().all(|y| y.on_pace()))
            }
        };
        achieved += u64::from(ok);
        paced += u64::from(on_pace);
    }
    let who = if remote { "长期不在登记地居住的服务对象" } else { "服务对象" };
    let mut rule = match cadence {
        Some(c) => Requirement { cadence: c, times, channel }.describe(),
        None => format!(
            "{}{}不少于{}次",
            if t.period == Some(Period::Year) { "每年" } else { "项目期内" },
            channel.label(),
            times
        ),
    };
    if let Some(m) = t.min_per_year {
        rule.push_str(&format!("（一年不少于{m}次）"));
    }
    let mut detail =
        format!("规则“{rule}”：{who}{n}人中达标{achieved}人，进度正常{paced}人；已记录{}{recorded}次", channel.label());
    if cadence.is_some() {
        detail.push_str(&format!("；累计未达标{missed}个周期，当前逾期{overdue}人"));
    }
    let on_pace = (as_of >= project.start && n > 0).then_some(paced == n);
    count(achieved, n, n > 0 && achieved == n, Pace::Given(on_pace), detail, Some("人"))
}

pub(crate) fn beneficiaries(t: &OutputTarget, project: DateSpan, as_of: NaiveDate, f: &DeliveryFacts) -> Count {
    let v = served_count(f, as_of);
    let q = u64::from(t.quantity.unwrap_or(1));
    let detail = match t.quantity_max.map(u64::from) {
        Some(max) if v > max => format!("合同区间{q}—{max}，已超出上限{}", v - max),
        Some(max) => format!("合同区间{q}—{max}"),
        None => String::new(),
    };
    count(v, q, v >= q, Pace::Elapsed(project), detail, None)
}

pub(crate) fn files(t: &OutputTarget, project: DateSpan, as_of: NaiveDate, f: &DeliveryFacts) -> Count {
    let what = if t.metric == Metric::FilesBuilt { "建档" } else { "需求评估" };
    let (mut n, mut in_time, mut late, mut lapsed, mut pending) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for p in &f.people {
        let Some(span) = served_span(p, project).filter(|s| s.start <= as_of) else { continue };
        n += 1;
        let deadline = t.within_days_of_start.map(|d| add_days(span.start, d));
        let done = if t.metric == Metric::FilesBuilt { p.file_built_on } else { p.assessed_on };
        match (done.filter(|d| *d <= as_of), deadline) {
            (Some(d), Some(dl)) if d > dl => late += 1,
            (Some(_), _) => in_time += 1,
            (None, Some(dl)) if dl < as_of => lapsed += 1,
            (None, _) => pending += 1,
        }
    }
    let derived = t.per_beneficiary || t.quantity.is_none();
    let target = if derived { n } else { u64::from(t.quantity.unwrap_or(0)) };
    let (pace, mut detail) = match t.within_days_of_start {
        Some(d) => {
            let dl = add_days(project.start, d);
            (Pace::Elapsed(DateSpan { start: project.start, end: dl }), format!("期限为开始后{d}天内（{dl}前）；"))
        }
        None => (Pace::Elapsed(project), String::new()),
    };
    detail.push_str(&format!(
        "{n}人中按期{what}{in_time}人，逾期{what}{late}人，逾期未{what}{lapsed}人，未到期未{what}{pending}人"
    ));
    count(in_time, target, target > 0 && in_time >= target, pace, detail, None)
}

pub(crate) fn cases(t: &OutputTarget, project: DateSpan, as_of: NaiveDate, f: &DeliveryFacts) -> Count {
    let q = u64::from(t.quantity.unwrap_or(1));
    let opened: Vec<_> = f.cases.iter().filter(|c| c.opened_on <= as_of).collect();
    let Some(m) = t.min_months else {
        let v = opened.len() as u64;
        return count(v, q, v >= q, Pace::Elapsed(project), format!("已开案{v}个"), None);
    };
    let end_of = |c: &super::facts::CaseFacts| c.closed_on.filter(|d| *d <= as_of).unwrap_or(as_of);
    let reached = opened.iter().filter(|c| add_months(c.opened_on, m) <= end_of(c)).count() as u64;
    let viable = opened
        .iter()
        .filter(|c| add_months(c.opened_on, m) > end_of(c))
        .filter(|c| c.closed_on.is_none_or(|d| d > as_of) && add_months(c.opened_on, m) <= project.end)
        .count() as u64;
    let detail =
        format!("已开案{}个，服务满{m}个月{reached}个，进行中且能在项目结束前满{m}个月{viable}个", opened.len());
    let on_pace = (as_of >= project.start).then_some(reached + viable >= q);
    count(reached, q, reached >= q, Pace::Given(on_pace), detail, None)
}

pub(crate) fn groups(t: &OutputTarget, project: DateSpan, as_of: NaiveDate, f: &DeliveryFacts) -> Count {
    let q = u64::from(t.quantity.unwrap_or(1));
    let (mm, ms) = (t.min_members.unwrap_or(0), t.min_sessions.unwrap_or(0));
    let sessions = |g: &super::facts::GroupFacts| g.sessions.iter().filter(|d| **d <= as_of).count() as u64;
    let started: Vec<_> = f.groups.iter().filter(|g| sessions(g) > 0).collect();
    let ok = started.iter().filter(|g| g.members >= mm && sessions(g) >= u64::from(ms)).count() as u64;
    let few_members = started.iter().filter(|g| g.members < mm).count();
    let running = started.len() as u64 - ok - few_members as u64;
    let detail = format!(
        "组员不少于{mm}人且活动不少于{ms}次的小组{ok}个；进行中（活动未满{ms}次）{running}个，组员不足{mm}人{few_members}个"
    );
    count(ok, q, ok >= q, Pace::Elapsed(project), detail, None)
}

/// A rate in whole percent against a minimum percent (`ok` of `n`).
pub(crate) fn rate(min_pct: u64, ok: u64, n: u64, what: &str) -> Count {
    if n == 0 {
        return count(0, min_pct, false, Pace::Given(None), format!("尚无{what}结果"), Some("%"));
    }
    let v = mul_div_floor(ok, 100, n);
    let exact = ok as f64 * 100.0 / n as f64;
    let detail = format!("{what}{n}人，其中{ok}人合格/满意，比例{exact:.1}%");
    count(v, min_pct, ok * 100 >= min_pct * n, Pace::Given(None), detail, Some("%"))
}
