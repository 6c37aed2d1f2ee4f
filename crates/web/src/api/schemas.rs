//! OpenAPI schemas of domain values that the API passes through as they are (money, rules,
//! output targets, enums). The domain crate does not depend on utoipa, so these types only
//! describe the JSON; `tests/api.rs` checks that their properties match what the API returns.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

/// An amount in yuan as a decimal string with two places, e.g. "150000.00". Requests also
/// accept a number of yuan (150000) or the forms documents use ("15万", "15万元", "150000元").
#[derive(ToSchema, Serialize)]
#[schema(value_type = String, example = "150000.00")]
pub struct Money(String);

/// Lifecycle of a program: draft (only its managers see it), published, closed.
#[derive(ToSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgramStatus {
    Draft,
    Published,
    Closed,
}

/// Kind of a track (板块).
#[derive(ToSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackKind {
    /// 公益定投
    Directed,
    /// 微公益创投
    MicroVenture,
    /// 街道自主计划
    StreetPlan,
    /// 补报
    Supplementary,
    /// 征集指南
    Guide,
    /// 政府采购包
    Tender,
    /// 服务项目
    Service,
}

/// What an output target counts.
#[derive(ToSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Beneficiaries,
    FilesBuilt,
    NeedsAssessments,
    Visits,
    RemoteContacts,
    ServiceRecords,
    Cases,
    Groups,
    GroupSessions,
    Activities,
    Participants,
    Trainings,
    Trainees,
    TrainingHours,
    PassRate,
    SupervisionPersonTimes,
    SupervisionHours,
    Volunteers,
    VolunteerHours,
    Satisfaction,
    Documents,
    Other,
}

/// Period a quantity applies to.
#[derive(ToSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Week,
    Month,
    Quarter,
    Year,
    Project,
}

/// A quantified output (基本产出 / 项目指标).
#[derive(ToSchema, Serialize)]
pub struct OutputTarget {
    metric: Metric,
    /// The document's wording, verbatim.
    description: String,
    /// Minimum quantity (for rates: percent).
    quantity: Option<u32>,
    /// Upper end of a range ("10–15户").
    quantity_max: Option<u32>,
    /// 次, 人, 户, 个, 场, 小时, %, 份.
    unit: String,
    /// Per beneficiary (true) or in total (false).
    per_beneficiary: bool,
    period: Option<Period>,
    min_per_year: Option<u32>,
    /// Done within N days of the project's start.
    within_days_of_start: Option<u32>,
    min_members: Option<u32>,
    min_sessions: Option<u32>,
    min_months: Option<u32>,
}

/// A party's share of co-funding (省:市:区 = 1:1:1).
#[derive(ToSchema, Serialize)]
pub struct Share {
    party: String,
    ratio: Option<u32>,
    amount: Option<Money>,
}

/// One eligibility condition (申报条件), tagged by `kind`.
#[derive(ToSchema, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EligibilityRule {
    RegisteredBefore {
        date: NaiveDate,
    },
    CertificateValid,
    AnnualInspectionPassed {
        year: i32,
    },
    NoPenaltyYears {
        years: u32,
    },
    NotBlacklisted,
    LeadCertified,
    TeamMainlyCertified,
    MinStaff {
        full_time: u32,
        certified: u32,
    },
    PreviousProjectPassed,
    RegisteredInArea {
        area_code: String,
        filed_at_street_ok: bool,
    },
    MinRating {
        rating: u8,
    },
    /// A condition a person checks, verbatim.
    Text {
        text: String,
    },
}

/// Applications and awards per organization.
#[derive(ToSchema, Serialize)]
pub struct Quota {
    track: Option<String>,
    max_applications: Option<u32>,
    max_awards: Option<u32>,
    /// Organizations rated at least this (3 = 3A) are exempt.
    exempt_min_rating: Option<u8>,
    note: String,
}

/// Budget rules (资金使用).
#[derive(ToSchema, Serialize)]
pub struct BudgetRules {
    cap: Option<Money>,
    floor: Option<Money>,
    personnel_max_percent: Option<u32>,
    forbidden_uses: Vec<String>,
    no_subcontracting: bool,
}

#[derive(ToSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationStage {
    Midterm,
    Final,
    Annual,
}

/// A tranche of payment (拨付).
#[derive(ToSchema, Serialize)]
pub struct Tranche {
    percent: u32,
    /// When it is paid, verbatim.
    when: String,
    gate: Option<EvaluationStage>,
}

/// Length of the public notice (公示).
#[derive(ToSchema, Serialize)]
pub struct NoticeRule {
    /// working_days or calendar_days.
    #[schema(example = "working_days")]
    unit: String,
    length: u32,
}

/// Rules of a program, a track or an item. Empty parts add nothing.
#[derive(ToSchema, Serialize)]
pub struct Rules {
    eligibility: Vec<EligibilityRule>,
    quotas: Vec<Quota>,
    budget: BudgetRules,
    tranches: Vec<Tranche>,
    co_funding: Vec<Share>,
    notice: Option<NoticeRule>,
    one_application_per_org: bool,
    joint_applications: Option<bool>,
    evaluation_fund: Option<Money>,
    notes: Vec<String>,
}

/// A local Asia/Shanghai date and time without offset, e.g. "2021-06-10T12:00:00".
#[derive(ToSchema, Serialize)]
#[schema(value_type = String, example = "2021-06-10T12:00:00")]
pub struct LocalDateTime(NaiveDateTime);

/// A problem with one field.
#[derive(ToSchema, Serialize)]
pub struct FieldProblem {
    /// Machine name of the field ("uscc", "outputs.0.description").
    field: String,
    /// A Chinese sentence naming the field ("统一社会信用代码：校验位不正确").
    message: String,
}

#[derive(ToSchema, Serialize)]
pub struct ErrorDetail {
    /// unauthenticated, forbidden, not_found, validation, conflict, locked, internal.
    #[schema(example = "validation")]
    code: String,
    /// Chinese, for people.
    message: String,
    /// Every field problem (validation errors only; otherwise empty).
    fields: Vec<FieldProblem>,
}

/// Every error: 401 unauthenticated, 403 forbidden, 404 not_found (also for records outside
/// the caller's data scope), 409 conflict, 422 validation, 429 locked, 500 internal.
#[derive(ToSchema, Serialize)]
pub struct ErrorBody {
    error: ErrorDetail,
}
