//! The counted facts of one project that output progress is computed from: plain records and
//! counts, no database types. The caller passes only records that count (visits a supervisor
//! rejected are left out); records dated after the day of the computation are ignored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::visit::{Channel, Contact};

/// A beneficiary (服务对象) of the project.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonFacts {
    pub id: String,
    /// Joined the project (None = from the project start).
    pub enrolled_on: Option<NaiveDate>,
    /// Left the project (None = to the project end).
    pub left_on: Option<NaiveDate>,
    /// 长期不在登记地居住: contacted by phone weekly instead of visited (Hangzhou).
    pub remote: bool,
    /// 一户一档 built on.
    pub file_built_on: Option<NaiveDate>,
    /// Needs assessment (需求评估) done on.
    pub assessed_on: Option<NaiveDate>,
    /// Counted home visits and phone contacts.
    pub contacts: Vec<Contact>,
}

/// 个案
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    pub opened_on: NaiveDate,
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
}

/// 小组: its members and the dates of its sessions.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GroupFacts {
    pub members: u32,
    #[serde(default)]
    pub sessions: Vec<NaiveDate>,
}

/// 社区活动 with its head count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityFacts {
    pub date: NaiveDate,
    pub participants: u32,
}

/// 培训: one course or session, its length, trainees and assessment results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingFacts {
    pub date: NaiveDate,
    /// Class time in minutes (a 学时 is counted as 60 minutes).
    pub minutes: u32,
    pub trainees: u32,
    /// Trainees who sat the assessment (等级认定/考核).
    #[serde(default)]
    pub examined: u32,
    #[serde(default)]
    pub passed: u32,
}

/// 督导: one session, its length and the number of supervisees (人次).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionFacts {
    pub date: NaiveDate,
    pub minutes: u32,
    pub supervisees: u32,
}

/// Volunteer service time on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerServiceFacts {
    pub date: NaiveDate,
    pub minutes: u32,
}

/// A satisfaction sample (满意度抽样): how many were asked and how many were satisfied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SatisfactionFacts {
    pub sampled: u32,
    pub satisfied: u32,
}

/// Everything counted for one project.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DeliveryFacts {
    pub people: Vec<PersonFacts>,
    /// Dates of service records (助洁, 助浴, 助医 …).
    pub service_records: Vec<NaiveDate>,
    pub cases: Vec<CaseFacts>,
    pub groups: Vec<GroupFacts>,
    pub activities: Vec<ActivityFacts>,
    pub trainings: Vec<TrainingFacts>,
    pub supervisions: Vec<SupervisionFacts>,
    /// Registered volunteers.
    pub volunteers: u32,
    /// Volunteer teams and community organizations fostered (志愿服务队, 社区社会组织).
    pub volunteer_teams: u32,
    pub volunteer_service: Vec<VolunteerServiceFacts>,
    /// Satisfaction samples (summed).
    pub satisfaction: Vec<SatisfactionFacts>,
    /// Dates of documents delivered (调研报告, 月计划, 月总结 …).
    pub documents: Vec<NaiveDate>,
}

impl DeliveryFacts {
    /// (date, 1) for every contact of `channel` of every person.
    pub(crate) fn contacts_of(&self, channel: Channel) -> Vec<(NaiveDate, u64)> {
        self.people
            .iter()
            .flat_map(|p| p.contacts.iter())
            .filter(|c| c.channel == channel)
            .map(|c| (c.date, 1))
            .collect()
    }
}
