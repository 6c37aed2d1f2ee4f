//! Live output progress (产出进度): an [`OutputTarget`] against the counted [`DeliveryFacts`].
//!
//! How each metric is counted (records after `as_of` are ignored):
//! * totals (visits, phone contacts, service records, activities, participants, trainings,
//!   trainees, group sessions, supervision person-times, documents) add up their records;
//!   hours (training, supervision, volunteer) add up minutes and are shown in hours, compared
//!   exactly (119.5 hours do not meet 120). Supervision hours are session hours, not multiplied
//!   by the number of supervisees.
//! * A total with a period of week, month or quarter (“每月提交月计划”) needs the quantity in every
//!   period: the value is the periods met, the target all periods of the project.
//! * Per-beneficiary visit rules and files, cases, groups, rates: see the `people` module.
//! * `on_pace`: whether the value reaches `target × elapsed share` of the project period
//!   (of the deadline window for “within N days of start”); `None` before the start and for rates.
//! * `percent` is capped at 100 for display; `value` keeps the real number.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::facts::DeliveryFacts;
use super::people;
use super::period::{DateSpan, mul_div_floor};
use super::totals::{dated, dated_total, scaled_target};
use crate::program::{Metric, OutputTarget};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub metric: Metric,
    /// What was counted, in the target's unit (hours floored; rates in whole percent, floored).
    pub value: u64,
    pub target: u64,
    pub unit: String,
    /// `value / target` in whole percent, floored, at most 100 (100 when the target is 0).
    pub percent: u32,
    pub met: bool,
    /// `None` before the project starts and where pace does not apply (rates).
    pub on_pace: Option<bool>,
    /// What an even pace would have reached by `as_of`, when pace applies.
    pub expected: Option<u64>,
    /// Chinese explanation naming the numbers.
    pub explanation: String,
}

/// 中文 name of a metric.
pub fn metric_label(m: Metric) -> &'static str {
    match m {
        Metric::Beneficiaries => "服务对象",
        Metric::FilesBuilt => "建档",
        Metric::NeedsAssessments => "需求评估",
        Metric::Visits => "上门探访",
        Metric::RemoteContacts => "通讯联系",
        Metric::ServiceRecords => "服务记录",
        Metric::Cases => "个案",
        Metric::Groups => "小组",
        Metric::GroupSessions => "小组活动",
        Metric::Activities => "社区活动",
        Metric::Participants => "活动参与",
        Metric::Trainings => "培训场次",
        Metric::Trainees => "培训人数",
        Metric::TrainingHours => "培训学时",
        Metric::PassRate => "考核合格率",
        Metric::SupervisionPersonTimes => "督导人次",
        Metric::SupervisionHours => "督导时长",
        Metric::Volunteers => "志愿者",
        Metric::VolunteerHours => "志愿服务时长",
        Metric::Satisfaction => "满意度",
        Metric::Documents => "文书",
        Metric::Other => "其他指标",
    }
}

fn default_unit(m: Metric) -> &'static str {
    match m {
        Metric::Beneficiaries | Metric::FilesBuilt | Metric::NeedsAssessments | Metric::Trainees => "人",
        Metric::Visits | Metric::RemoteContacts | Metric::ServiceRecords | Metric::GroupSessions => "次",
        Metric::Participants | Metric::SupervisionPersonTimes => "人次",
        Metric::Cases | Metric::Groups | Metric::Documents | Metric::Other => "个",
        Metric::Activities | Metric::Trainings => "场",
        Metric::TrainingHours | Metric::SupervisionHours | Metric::VolunteerHours => "小时",
        Metric::PassRate | Metric::Satisfaction => "%",
        Metric::Volunteers => "人",
    }
}

pub(crate) fn unit_of(t: &OutputTarget) -> String {
    if t.unit.trim().is_empty() { default_unit(t.metric).to_string() } else { t.unit.clone() }
}

/// How pace is judged.
pub(crate) enum Pace {
    /// Against `target × elapsed share` of this window.
    Elapsed(DateSpan),
    /// Already decided by the caller.
    Given(Option<bool>),
}

/// One computed number before wording: `value_sub` and `target` in sub-units of `scale`
/// (60 for minutes shown as hours, 1 otherwise).
pub(crate) struct Count {
    pub value_sub: u64,
    pub target: u64,
    pub scale: u64,
    pub met: bool,
    pub pace: Pace,
    /// Words after the standard sentence.
    pub detail: String,
    /// Unit of value and target when it is not the target's own (people, periods).
    pub unit: Option<&'static str>,
}

pub(crate) fn percent(value: u64, target: u64) -> u32 {
    if target == 0 { 100 } else { u32::try_from(mul_div_floor(value, 100, target).min(100)).unwrap_or(100) }
}

fn shown(sub: u64, scale: u64) -> String {
    if scale == 1 || sub.is_multiple_of(scale) {
        (sub / scale).to_string()
    } else {
        format!("{:.1}", sub as f64 / scale as f64)
    }
}

pub(crate) fn finish(t: &OutputTarget, as_of: NaiveDate, c: Count) -> Progress {
    let unit = c.unit.map_or_else(|| unit_of(t), str::to_string);
    let value = c.value_sub / c.scale;
    let pct = percent(c.value_sub, c.target * c.scale);
    let (on_pace, expected_sub) = match c.pace {
        Pace::Given(p) => (p, None),
        Pace::Elapsed(w) if as_of < w.start => (None, None),
        Pace::Elapsed(w) => {
            let e = mul_div_floor(c.target * c.scale, u64::from(w.elapsed_days(as_of)), u64::from(w.days()));
            (Some(c.value_sub >= e), Some(e))
        }
    };
    let mut text = format!(
        "{}：{}{}，目标{}{}，完成{}%，{}",
        metric_label(t.metric),
        shown(c.value_sub, c.scale),
        unit,
        c.target,
        unit,
        pct,
        if c.met { "已达标" } else { "未达标" }
    );
    if let (Some(e), Some(p)) = (expected_sub, on_pace) {
        text.push_str(&format!(
            "；按时间进度应达{}{}，{}",
            shown(e, c.scale),
            unit,
            if p { "进度正常" } else { "进度落后" }
        ));
    }
    if !c.detail.is_empty() {
        text.push('；');
        text.push_str(&c.detail);
    }
    Progress {
        metric: t.metric,
        value,
        target: c.target,
        unit,
        percent: pct,
        met: c.met,
        on_pace,
        expected: expected_sub.map(|e| e / c.scale),
        explanation: text,
    }
}

/// The progress of one output target of a project as of a day.
pub fn progress(t: &OutputTarget, project: DateSpan, as_of: NaiveDate, facts: &DeliveryFacts) -> Progress {
    let quantity = u64::from(t.quantity.unwrap_or(1));
    let per_person_visits = t.per_beneficiary && matches!(t.metric, Metric::Visits | Metric::RemoteContacts);
    let c = match t.metric {
        _ if per_person_visits => people::visit_compliance(t, project, as_of, facts),
        Metric::Beneficiaries => people::beneficiaries(t, project, as_of, facts),
        Metric::FilesBuilt | Metric::NeedsAssessments => people::files(t, project, as_of, facts),
        Metric::Cases => people::cases(t, project, as_of, facts),
        Metric::Groups => people::groups(t, project, as_of, facts),
        Metric::PassRate => {
            let done = facts.trainings.iter().filter(|x| x.date <= as_of);
            let (exam, pass) =
                done.fold((0u64, 0u64), |(e, p), x| (e + u64::from(x.examined), p + u64::from(x.passed)));
            people::rate(quantity, pass, exam, "考核")
        }
        Metric::Satisfaction => {
            let (n, ok) = facts
                .satisfaction
                .iter()
                .fold((0u64, 0u64), |(n, k), s| (n + u64::from(s.sampled), k + u64::from(s.satisfied)));
            people::rate(quantity, ok, n, "抽样")
        }
        Metric::Volunteers => {
            let teams = ["个", "支", "队"].contains(&t.unit.trim());
            let v = u64::from(if teams { facts.volunteer_teams } else { facts.volunteers });
            let target = scaled_target(t, facts, as_of);
            Count {
                value_sub: v,
                target,
                scale: 1,
                met: v >= target,
                pace: Pace::Elapsed(project),
                detail: String::new(),
                unit: None,
            }
        }
        Metric::Other => Count {
            value_sub: 0,
            target: quantity,
            scale: 1,
            met: false,
            pace: Pace::Given(None),
            detail: "该指标无法从记录自动计算，需人工核定".to_string(),
            unit: None,
        },
        m => {
            let (records, scale) = dated(m, facts);
            dated_total(t, project, as_of, &records, scale, facts)
        }
    };
    finish(t, as_of, c)
}
