//! Programs (计划/届), tracks (板块), timeline phases and call items (项目清单条目) as data.
//!
//! The same structures are stored in the database (JSON columns for nested parts) and used to
//! write the demo programs as TOML files, so whatever a document says can be expressed here.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::money::Fen;
use crate::rules::{ProgramRules, Share};

/// Lifecycle of a program as the public sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProgramStatus {
    #[default]
    Draft,
    Published,
    Closed,
}

impl ProgramStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "published" => Some(Self::Published),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

/// Kind of a track (板块).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TrackKind {
    /// 公益定投: the funder publishes concrete items.
    Directed,
    /// 微公益创投: organizations propose within published scopes.
    MicroVenture,
    /// 街道自主计划: a street runs its own plan.
    StreetPlan,
    /// 补报: a supplementary call.
    Supplementary,
    /// 征集指南: a guide of directions (Fangshan).
    Guide,
    /// 政府采购包: tendered lots (Chengguan).
    Tender,
    /// 服务项目: projects contracted directly (Qingtongxia).
    Service,
}

impl TrackKind {
    pub const ALL: [TrackKind; 7] = [
        Self::Directed,
        Self::MicroVenture,
        Self::StreetPlan,
        Self::Supplementary,
        Self::Guide,
        Self::Tender,
        Self::Service,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Directed => "directed",
            Self::MicroVenture => "micro_venture",
            Self::StreetPlan => "street_plan",
            Self::Supplementary => "supplementary",
            Self::Guide => "guide",
            Self::Tender => "tender",
            Self::Service => "service",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The name documents use for a track of this kind.
    pub fn default_name(self) -> &'static str {
        match self {
            Self::Directed => "公益定投",
            Self::MicroVenture => "微公益创投",
            Self::StreetPlan => "街道自主计划",
            Self::Supplementary => "补报",
            Self::Guide => "征集指南",
            Self::Tender => "政府采购包",
            Self::Service => "服务项目",
        }
    }
}

/// A track (板块) of a program with its own rules (added to the program's rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Track {
    /// Short code unique in the program, e.g. "directed".
    pub code: String,
    pub kind: TrackKind,
    /// Name as the document writes it, e.g. "公益定投".
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Total budget of the track, when the document gives one.
    #[serde(default)]
    pub budget: Option<Fen>,
    #[serde(default)]
    pub rules: ProgramRules,
}

/// A phase of the timeline (需求调研, 项目征集, 初筛, 评审, 公示, 签约, 实施, 中期评估 …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    pub name: String,
    #[serde(default)]
    pub starts_on: Option<NaiveDate>,
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    /// A deadline with a time of day in Asia/Shanghai, e.g. 2021-06-10T12:00:00.
    #[serde(default)]
    pub deadline: Option<NaiveDateTime>,
    /// The document's own wording, e.g. "2021年1月中旬至2月底".
    #[serde(default)]
    pub note: String,
}

/// What an output target counts. Computed from delivery records in a later stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Week,
    Month,
    Quarter,
    Year,
    Project,
}

/// A quantified output (基本产出 / 项目指标): "weekly visits per beneficiary ≥1, ≥40 a year".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutputTarget {
    pub metric: Metric,
    /// The document's wording of this output, verbatim.
    pub description: String,
    /// Minimum quantity (for rates: percent, e.g. 80).
    #[serde(default)]
    pub quantity: Option<u32>,
    /// Upper end when the document gives a range ("10–15户").
    #[serde(default)]
    pub quantity_max: Option<u32>,
    /// Unit as written: 次, 人, 户, 个, 场, 小时, %, 份.
    #[serde(default)]
    pub unit: String,
    /// Quantity per beneficiary (true) or in total (false).
    #[serde(default)]
    pub per_beneficiary: bool,
    /// The period the quantity applies to.
    #[serde(default)]
    pub period: Option<Period>,
    /// A yearly minimum next to a periodic rule ("每周一次，一年不少于40次").
    #[serde(default)]
    pub min_per_year: Option<u32>,
    /// Must be done within N days of the project's start ("项目开始后一个月内完成" = 30).
    #[serde(default)]
    pub within_days_of_start: Option<u32>,
    /// Minimum members per group, sessions per group, months a case lasts, class hours …
    #[serde(default)]
    pub min_members: Option<u32>,
    #[serde(default)]
    pub min_sessions: Option<u32>,
    #[serde(default)]
    pub min_months: Option<u32>,
}

/// A call item (项目清单条目 / 项目指引方向 / 包): one thing a funder buys.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CallItem {
    /// Code as published: "2021C1001E", "1-1", "D01", "包1".
    #[cfg_attr(feature = "openapi", schema(example = "D16"))]
    pub code: String,
    /// Code of the track this item belongs to.
    #[cfg_attr(feature = "openapi", schema(example = "directed"))]
    pub track: String,
    pub name: String,
    pub category: String,
    /// 包号 for tendered lots.
    pub lot: Option<u32>,
    pub overview: String,
    /// 主要服务对象.
    pub beneficiaries: String,
    /// 基本服务量, verbatim.
    pub service_volume: String,
    /// 项目目标.
    pub objectives: String,
    /// 服务内容 / 主要内容.
    pub content: String,
    pub outputs: Vec<OutputTarget>,
    /// 评估指标 / 考核指标, verbatim lines.
    pub indicators: Vec<String>,
    /// 项目资金 cap per project.
    pub funding_cap: Option<Fen>,
    /// 项目数量 (how many projects may be awarded under this item).
    pub slots: Option<u32>,
    /// 项目实施地点 as written.
    pub places: String,
    /// Division codes of the places, when they can be named.
    pub place_codes: Vec<String>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// 项目周期 as written when it is not a date range ("三年，一年一签").
    pub period_note: String,
    /// 支持单位 / 协办单位.
    pub support_units: Vec<String>,
    pub co_funding: Vec<Share>,
    /// Rules that apply to this item only (added to the track's and program's).
    pub rules: ProgramRules,
    pub notes: String,
}

/// A whole program as a document describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramSpec {
    /// Stable short code, e.g. "hangzhou-2021-supplementary".
    pub code: String,
    pub name: String,
    /// Name of the funder organization (主办单位).
    pub funder: String,
    /// Operator (承办单位), when named.
    #[serde(default)]
    pub operator: Option<String>,
    pub year: i32,
    /// Division code of the area the program covers (county level, e.g. "320613").
    pub area_code: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub status: ProgramStatus,
    /// Total budget, when the document states it.
    #[serde(default)]
    pub budget: Option<Fen>,
    /// Title and number of the source document, e.g. "杭民办〔2021〕4号".
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub tracks: Vec<Track>,
    #[serde(default)]
    pub phases: Vec<Phase>,
    #[serde(default)]
    pub rules: ProgramRules,
    #[serde(default)]
    pub items: Vec<CallItem>,
}

impl ProgramSpec {
    /// Parse a program written as TOML (the demo files use this).
    pub fn from_toml(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }
}
