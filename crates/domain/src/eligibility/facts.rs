//! The facts the engine reads: plain values a database layer fills from the organization's
//! profile, the application form and the organization's other applications.
//!
//! Where a fact can be unknown it is an `Option`, and `None` means "not known" (never "fine"):
//! a rule that needs an unknown fact answers [`Outcome::NeedsCheck`](super::Outcome) and says
//! which fact is missing. Two exceptions, both documented on their fields: `rating` (`None` is
//! "no rating", a fact of the registration profile) and `filed_at_street` (`None` is "not filed").

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::Fen;

/// What is known about the applying organization.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrgFacts {
    /// Date of the legal-person registration certificate (登记日期). Organizations only filed at
    /// a street (备案) have none.
    #[serde(default)]
    pub registered_on: Option<NaiveDate>,
    /// Name of the registration authority (登记管理机关), e.g. "青铜峡市民政局".
    #[serde(default)]
    pub registration_authority: Option<String>,
    /// Division code of the registration authority's area (GB/T 2260, unpadded: "640381").
    #[serde(default)]
    pub area_code: Option<String>,
    /// End of the registration certificate's validity (有效期至).
    #[serde(default)]
    pub certificate_valid_until: Option<NaiveDate>,
    /// Result of a manual check of the certificate (for certificates without an end date, or a
    /// revoked one: `Some(false)` fails whatever the end date says).
    #[serde(default)]
    pub certificate_valid: Option<bool>,
    /// Rating (等级评估) 1–5 for 1A–5A. `None`: the organization has no rating.
    #[serde(default)]
    pub rating: Option<u8>,
    /// Annual inspection (年检) results: year → passed. A year not in the map is unknown.
    #[serde(default)]
    pub annual_inspections: BTreeMap<i32, bool>,
    /// On the abnormal-activity list (活动异常名录). `None`: not checked.
    #[serde(default)]
    pub abnormal_list: Option<bool>,
    /// On the serious-violation blacklist (严重违法失信名单). `None`: not checked.
    #[serde(default)]
    pub blacklisted: Option<bool>,
    /// Under investigation for suspected violations (正在接受调查). `None`: not checked.
    #[serde(default)]
    pub under_investigation: Option<bool>,
    /// Administrative penalties (行政处罚). `None`: not checked.
    #[serde(default)]
    pub penalty_record: Option<PenaltyRecord>,
    /// Staff assigned to projects. `None`: not given.
    #[serde(default)]
    pub staff: Option<StaffFacts>,
    /// Result of the organization's previous government-purchased project. `None`: not known.
    #[serde(default)]
    pub previous_project: Option<PreviousResult>,
    /// Code of the street where a community organization is filed (备案, 9 digits).
    /// `None`: not filed at a street.
    #[serde(default)]
    pub filed_at_street: Option<String>,
}

/// The administrative-penalty record of an organization, once checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyRecord {
    /// No penalty on record.
    Clean,
    /// The most recent penalty was decided on this date.
    LastOn(NaiveDate),
}

/// Full-time staff (专职工作人员) and how many of them hold a social-work certificate
/// (助理社会工作师 or above).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StaffFacts {
    pub full_time: u32,
    /// Certified full-time staff.
    pub certified: u32,
}

/// The evaluation result of the previous government-purchased project (结项评审 / 验收).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreviousResult {
    Passed,
    Failed,
    /// The organization has not undertaken a government-purchased project before.
    NoProject,
}

/// What the application (申报书) says.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ApplicationFacts {
    pub program_code: String,
    pub track_code: String,
    /// The call item (or guide direction); `None` when the track has no items.
    #[serde(default)]
    pub item_code: Option<String>,
    /// Amount requested (申请资金). Zero means "not filled in".
    #[serde(default)]
    pub requested: Fen,
    #[serde(default)]
    pub budget_lines: Vec<BudgetLine>,
    /// Whether the named project lead holds a social-work certificate. `None`: no lead named,
    /// or the certificate is not filled in.
    #[serde(default)]
    pub lead_certified: Option<bool>,
    /// The execution team, the lead included.
    #[serde(default)]
    pub team: Vec<TeamMember>,
    /// Whether the project is to be subcontracted or transferred (分包/转让). `None`: not declared.
    #[serde(default)]
    pub subcontracting: Option<bool>,
    /// Names of the joint applicants (联合申报方); empty for a single applicant.
    #[serde(default)]
    pub joint_applicants: Vec<String>,
}

/// One budget line (预算明细).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub category: BudgetCategory,
    pub amount: Fen,
    /// What the money is for, as the applicant wrote it.
    #[serde(default)]
    pub uses: String,
}

/// Budget categories of the application form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetCategory {
    Personnel,
    Activities,
    Materials,
    Publicity,
    Evaluation,
    Other,
}

impl BudgetCategory {
    pub const ALL: [BudgetCategory; 6] =
        [Self::Personnel, Self::Activities, Self::Materials, Self::Publicity, Self::Evaluation, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Personnel => "personnel",
            Self::Activities => "activities",
            Self::Materials => "materials",
            Self::Publicity => "publicity",
            Self::Evaluation => "evaluation",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Self::Personnel => "人员费用",
            Self::Activities => "活动费用",
            Self::Materials => "物资材料费",
            Self::Publicity => "宣传费用",
            Self::Evaluation => "评估费用",
            Self::Other => "其他费用",
        }
    }
}

/// A member of the execution team.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TeamMember {
    #[serde(default)]
    pub name: String,
    /// Holds a social-work certificate (社会工作职业水平证书).
    pub certified: bool,
}

/// This organization's other applications and awards in the program, the application being
/// checked excluded. Which applications count (submitted, not withdrawn) is the filler's
/// decision; the engine only compares.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    /// Track code → applications.
    #[serde(default)]
    pub applications_by_track: BTreeMap<String, u32>,
    /// Track code → awards (立项).
    #[serde(default)]
    pub awards_by_track: BTreeMap<String, u32>,
    #[serde(default)]
    pub program_applications: u32,
    #[serde(default)]
    pub program_awards: u32,
}

impl Counts {
    pub fn applications_in(&self, track: &str) -> u32 {
        self.applications_by_track.get(track).copied().unwrap_or(0)
    }

    pub fn awards_in(&self, track: &str) -> u32 {
        self.awards_by_track.get(track).copied().unwrap_or(0)
    }
}
