//! Program rules stored as data: eligibility, quotas, budget, money, notice.
//! Evaluation is a later stage; the forms here are what a rules engine evaluates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::Fen;

/// One eligibility condition (申报条件). `Text` keeps a condition that needs a human check,
/// verbatim from the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EligibilityRule {
    /// Registered (登记) on or before the date.
    RegisteredBefore { date: NaiveDate },
    /// Registration certificate within its validity.
    CertificateValid,
    /// Annual inspection (年检) passed in the given year.
    AnnualInspectionPassed { year: i32 },
    /// No administrative penalty in the last N years and not under investigation.
    NoPenaltyYears { years: u32 },
    /// Not on the abnormal-activity list nor the serious-violation blacklist.
    NotBlacklisted,
    /// The project lead holds a social-work certificate.
    LeadCertified,
    /// Most of the team holds social-work certificates.
    TeamMainlyCertified,
    /// At least N full-time staff, of whom at least M certified.
    MinStaff { full_time: u32, certified: u32 },
    /// The previous government-purchased project passed its evaluation.
    PreviousProjectPassed,
    /// Registered with the civil-affairs bureau of the area, or filed at a street in it.
    RegisteredInArea {
        area_code: String,
        #[serde(default)]
        filed_at_street_ok: bool,
    },
    /// A rating (等级评估) of at least N A.
    MinRating { rating: u8 },
    /// A condition that a person checks, verbatim.
    Text { text: String },
}

/// How many applications and awards one organization may have (per track when `track` is set).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quota {
    #[serde(default)]
    pub track: Option<String>,
    #[serde(default)]
    pub max_applications: Option<u32>,
    #[serde(default)]
    pub max_awards: Option<u32>,
    /// Organizations rated at least this (3 for 3A) are exempt.
    #[serde(default)]
    pub exempt_min_rating: Option<u8>,
    /// The document's wording.
    #[serde(default)]
    pub note: String,
}

/// Budget rules (资金使用).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetRules {
    /// Cap per project.
    #[serde(default)]
    pub cap: Option<Fen>,
    /// Floor per project ("每个站点不低于15万元").
    #[serde(default)]
    pub floor: Option<Fen>,
    /// Personnel costs at most this percent of the request.
    #[serde(default)]
    pub personnel_max_percent: Option<u32>,
    /// Forbidden uses, verbatim ("人员工资福利的提高", "办公场所装修").
    #[serde(default)]
    pub forbidden_uses: Vec<String>,
    #[serde(default)]
    pub no_subcontracting: bool,
}

/// A tranche of payment (拨付): percent of the contract amount, after which evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tranche {
    pub percent: u32,
    /// When it is paid, verbatim ("签订协议后", "中期评估合格后").
    pub when: String,
    /// Evaluation that gates it.
    #[serde(default)]
    pub gate: Option<EvaluationStage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvaluationStage {
    Midterm,
    Final,
    Annual,
}

/// A party's share of co-funding (省:市:区 = 1:1:1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Share {
    pub party: String,
    /// Ratio part (1 of 1:1:1) when the document gives a ratio.
    #[serde(default)]
    pub ratio: Option<u32>,
    /// Amount when the document gives one.
    #[serde(default)]
    pub amount: Option<Fen>,
}

/// Length of the public notice (公示).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "unit", content = "length", rename_all = "snake_case")]
pub enum NoticeRule {
    WorkingDays(u32),
    CalendarDays(u32),
}

/// All rules of a program, a track or an item. Empty parts add nothing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Rules))]
pub struct ProgramRules {
    #[serde(default)]
    pub eligibility: Vec<EligibilityRule>,
    #[serde(default)]
    pub quotas: Vec<Quota>,
    #[serde(default)]
    pub budget: BudgetRules,
    #[serde(default)]
    pub tranches: Vec<Tranche>,
    #[serde(default)]
    pub co_funding: Vec<Share>,
    #[serde(default)]
    pub notice: Option<NoticeRule>,
    /// At most one application per organization in the whole program (Qingtongxia).
    #[serde(default)]
    pub one_application_per_org: bool,
    /// Joint applications (联合申报) allowed.
    #[serde(default)]
    pub joint_applications: Option<bool>,
    /// Money set aside for third-party evaluation.
    #[serde(default)]
    pub evaluation_fund: Option<Fen>,
    /// Thresholds of the visit checks (异常打卡) for the projects of this program; None = defaults.
    #[serde(default)]
    pub visit_checks: Option<crate::delivery::AnomalyRules>,
    /// Other rules verbatim, for people to read.
    #[serde(default)]
    pub notes: Vec<String>,
}

impl ProgramRules {
    pub fn is_empty(&self) -> bool {
        self == &ProgramRules::default()
    }

    /// Sum of tranche percents; a valid schedule sums to 100.
    pub fn tranche_total(&self) -> u32 {
        self.tranches.iter().map(|t| t.percent).sum()
    }
}
