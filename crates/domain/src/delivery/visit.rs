//! Visit rules (探访规则) as data: weekly, monthly, quarterly, by risk grade, or weekly phone
//! contact for people living away from their registered address, with an optional yearly minimum.
//!
//! * Hangzhou 2021C1001E: “生活完全自理的散居特困人员每周一次上门探访（一年不少于40次）”, and
//!   “长期不在登记地居住的特困对象……每周一次通讯联系” → `Weekly` + `min_per_year = 40`, `RemoteWeekly`.
//! * Hangzhou 2021B1001D and Qingtongxia: “每月上门不少于1次” / “每月至少上门一次” → `Monthly`.
//!
//! A rule resolves to a [`Requirement`]: a cadence, how many contacts per period, and which kind
//! of contact counts. The schedule itself is computed in [`super::schedule`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::period::Cadence;
use super::risk::Grade;

/// How a contact was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 上门探访
    Home,
    /// 电话/视频等通讯联系
    Phone,
}

impl Channel {
    /// 上门探访 / 通讯联系
    pub fn label(self) -> &'static str {
        match self {
            Channel::Home => "上门探访",
            Channel::Phone => "通讯联系",
        }
    }
}

/// One counted contact with a person (a visit the supervisor did not reject), by its local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Contact {
    pub date: NaiveDate,
    pub channel: Channel,
}

impl Contact {
    pub fn home(date: NaiveDate) -> Contact {
        Contact { date, channel: Channel::Home }
    }
    pub fn phone(date: NaiveDate) -> Contact {
        Contact { date, channel: Channel::Phone }
    }
}

/// What a rule asks for: at least `times` contacts of the right kind in every period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub cadence: Cadence,
    pub times: u32,
    /// `Home`: only home visits count. `Phone`: a phone contact is enough (a home visit too).
    pub channel: Channel,
}

impl Requirement {
    pub fn counts(&self, c: &Contact) -> bool {
        match self.channel {
            Channel::Home => c.channel == Channel::Home,
            Channel::Phone => true,
        }
    }

    /// "每周上门探访1次" / "每月上门探访不少于2次" / "每周通讯联系1次"
    pub fn describe(&self) -> String {
        if self.times == 1 {
            format!("{}{}1次", self.cadence.every(), self.channel.label())
        } else {
            format!("{}{}不少于{}次", self.cadence.every(), self.channel.label(), self.times)
        }
    }
}

/// A cadence and how many home visits per period, for one grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeCadence {
    pub cadence: Cadence,
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

/// Visit frequency by child risk grade. Default (our reading of common practice, as data):
/// red weekly, yellow twice a month (每半月), blue monthly, green quarterly; a child not yet
/// graded is visited like red until graded, so nobody is missed while waiting for assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskVisitTable {
    pub red: GradeCadence,
    pub yellow: GradeCadence,
    pub blue: GradeCadence,
    pub green: GradeCadence,
    pub ungraded: GradeCadence,
}

impl Default for RiskVisitTable {
    fn default() -> Self {
        let gc = |cadence, times| GradeCadence { cadence, times };
        RiskVisitTable {
            red: gc(Cadence::Week, 1),
            yellow: gc(Cadence::Month, 2),
            blue: gc(Cadence::Month, 1),
            green: gc(Cadence::Quarter, 1),
            ungraded: gc(Cadence::Week, 1),
        }
    }
}

impl RiskVisitTable {
    pub fn for_grade(&self, grade: Option<Grade>) -> GradeCadence {
        match grade {
            Some(Grade::Red) => self.red,
            Some(Grade::Yellow) => self.yellow,
            Some(Grade::Blue) => self.blue,
            Some(Grade::Green) => self.green,
            None => self.ungraded,
        }
    }
}

/// The visit rule of one person in a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VisitRule {
    /// 每周上门一次
    Weekly,
    /// 每月上门一次
    Monthly,
    /// 每季度上门一次
    Quarterly,
    /// By the child's risk grade.
    ByRisk(RiskVisitTable),
    /// 每周一次通讯联系, for people living away from their registered address (Hangzhou).
    RemoteWeekly,
}

impl VisitRule {
    /// The requirement for a person of this grade (the grade matters only for `ByRisk`).
    pub fn requirement(&self, grade: Option<Grade>) -> Requirement {
        let home = |cadence, times| Requirement { cadence, times, channel: Channel::Home };
        match self {
            VisitRule::Weekly => home(Cadence::Week, 1),
            VisitRule::Monthly => home(Cadence::Month, 1),
            VisitRule::Quarterly => home(Cadence::Quarter, 1),
            VisitRule::ByRisk(t) => {
                let gc = t.for_grade(grade);
                home(gc.cadence, gc.times.max(1))
            }
            VisitRule::RemoteWeekly => Requirement { cadence: Cadence::Week, times: 1, channel: Channel::Phone },
        }
    }
}

/// A person's rule plus an optional yearly minimum (“一年不少于40次”).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitPlan {
    pub rule: VisitRule,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_per_year: Option<u32>,
}

impl VisitPlan {
    /// Hangzhou 2021C1001E: weekly home visit, at least 40 a year.
    pub fn hangzhou_weekly() -> VisitPlan {
        VisitPlan { rule: VisitRule::Weekly, min_per_year: Some(40) }
    }
    /// Monthly home visit (Hangzhou 2021B1001D, Qingtongxia).
    pub fn monthly() -> VisitPlan {
        VisitPlan { rule: VisitRule::Monthly, min_per_year: None }
    }
}
