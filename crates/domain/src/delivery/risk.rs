//! The child risk grade (儿童风险等级): guardianship (监护), behaviour (行为) and physiological
//! (生理) risk combine into red / yellow / blue / green by a rule table that is data.
//!
//! Chongchuan's 9th plan (seed 002, item “牵手计划”) asks to classify about 3,800 children in
//! difficulty “按照监护风险、行为风险、生理风险，按照‘红、黄、蓝、绿’四个等级进行分类”, adding that
//! the district bureau provides the detailed standard. The default table
//! (`default_risk.toml`, [`RiskTable::chongchuan_default`]) is our reading of that sentence:
//! the colour follows the worst dimension (high → red, medium → yellow, low → blue, none →
//! green), and two or more dimensions at the same level raise it one step. A bureau's own
//! standard replaces the table as data.

use serde::{Deserialize, Serialize};

/// The level of one risk dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// 无
    #[serde(rename = "none", alias = "无")]
    NoRisk,
    /// 低
    #[serde(alias = "低")]
    Low,
    /// 中
    #[serde(alias = "中")]
    Medium,
    /// 高
    #[serde(alias = "高")]
    High,
}

impl RiskLevel {
    pub fn label(self) -> &'static str {
        match self {
            RiskLevel::NoRisk => "无",
            RiskLevel::Low => "低",
            RiskLevel::Medium => "中",
            RiskLevel::High => "高",
        }
    }
}

/// The four colours, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    #[serde(alias = "红")]
    Red,
    #[serde(alias = "黄")]
    Yellow,
    #[serde(alias = "蓝")]
    Blue,
    #[serde(alias = "绿")]
    Green,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Red, Grade::Yellow, Grade::Blue, Grade::Green];

    /// 红色 / 黄色 / 蓝色 / 绿色
    pub fn label(self) -> &'static str {
        match self {
            Grade::Red => "红色",
            Grade::Yellow => "黄色",
            Grade::Blue => "蓝色",
            Grade::Green => "绿色",
        }
    }

    /// 0 for red (most serious) … 3 for green; sorts the most serious first.
    pub fn severity_rank(self) -> u8 {
        match self {
            Grade::Red => 0,
            Grade::Yellow => 1,
            Grade::Blue => 2,
            Grade::Green => 3,
        }
    }
}

/// The three assessed dimensions of one child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskInputs {
    /// 监护风险
    pub guardianship: RiskLevel,
    /// 行为风险
    pub behaviour: RiskLevel,
    /// 生理风险
    pub physiological: RiskLevel,
}

impl RiskInputs {
    fn levels(&self) -> [RiskLevel; 3] {
        [self.guardianship, self.behaviour, self.physiological]
    }

    /// "监护风险：高，行为风险：无，生理风险：低"
    pub fn describe(&self) -> String {
        format!(
            "监护风险：{}，行为风险：{}，生理风险：{}",
            self.guardianship.label(),
            self.behaviour.label(),
            self.physiological.label()
        )
    }
}

/// One row of the table. Every condition given must hold; a rule without conditions always
/// matches. Dimension fields mean “at least this level”.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRule {
    pub grade: Grade,
    /// Why, in words shown to the worker.
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardianship: Option<RiskLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behaviour: Option<RiskLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physiological: Option<RiskLevel>,
    /// At least `dimensions` of the three are at this level or above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<RiskLevel>,
    /// How many dimensions `at_least` needs (1–3, default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<u8>,
}

impl RiskRule {
    fn matches(&self, x: &RiskInputs) -> bool {
        let dim = |want: Option<RiskLevel>, have: RiskLevel| want.is_none_or(|w| have >= w);
        let count_ok = self.at_least.is_none_or(|lvl| {
            let n = x.levels().iter().filter(|&&l| l >= lvl).count();
            n >= usize::from(self.dimensions.unwrap_or(1))
        });
        dim(self.guardianship, x.guardianship)
            && dim(self.behaviour, x.behaviour)
            && dim(self.physiological, x.physiological)
            && count_ok
    }
}

/// An ordered rule table: the first matching rule decides; `fallback` when none does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskTable {
    #[serde(default, rename = "rule")]
    pub rules: Vec<RiskRule>,
    pub fallback: Grade,
    #[serde(default)]
    pub fallback_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RiskTableError {
    #[error("风险等级规则表格式不正确：{0}")]
    Invalid(String),
}

const DEFAULT_TOML: &str = include_str!("default_risk.toml");

impl RiskTable {
    /// Parse and check a table written as TOML (`fallback = "green"`, `[[rule]]` rows).
    pub fn from_toml(text: &str) -> Result<RiskTable, RiskTableError> {
        let t: RiskTable = toml::from_str(text).map_err(|e| RiskTableError::Invalid(e.message().to_string()))?;
        t.validate()?;
        Ok(t)
    }

    pub fn to_toml(&self) -> Result<String, RiskTableError> {
        toml::to_string(self).map_err(|e| RiskTableError::Invalid(e.to_string()))
    }

    /// Reject rows that can never match or say nothing.
    pub fn validate(&self) -> Result<(), RiskTableError> {
        for (i, r) in self.rules.iter().enumerate() {
            let n = i + 1;
            if r.reason.trim().is_empty() {
                return Err(RiskTableError::Invalid(format!("第{n}条规则缺少说明（reason）")));
            }
            match (r.at_least, r.dimensions) {
                (None, Some(_)) => {
                    return Err(RiskTableError::Invalid(format!("第{n}条规则给出了 dimensions 但没有 at_least")));
                }
                (_, Some(d)) if !(1..=3).contains(&d) => {
                    return Err(RiskTableError::Invalid(format!("第{n}条规则的 dimensions 应为1—3，实际为{d}")));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The default table, our reading of the Chongchuan document (see the module docs).
    pub fn chongchuan_default() -> RiskTable {
        // The embedded file is checked by a test; an empty table is the impossible fallback.
        RiskTable::from_toml(DEFAULT_TOML).unwrap_or(RiskTable {
            rules: Vec::new(),
            fallback: Grade::Red,
            fallback_reason: "默认规则表无法读取，按最高等级处理".to_string(),
        })
    }
}

impl Default for RiskTable {
    fn default() -> Self {
        RiskTable::chongchuan_default()
    }
}

/// The grade of a child and the reason in words, e.g.
/// (`Red`, "红色：至少一项风险为高（监护风险：高，行为风险：无，生理风险：低）").
pub fn grade(table: &RiskTable, inputs: &RiskInputs) -> (Grade, String) {
    let (g, why) = match table.rules.iter().find(|r| r.matches(inputs)) {
        Some(r) => (r.grade, r.reason.as_str()),
        None if table.fallback_reason.trim().is_empty() => (table.fallback, "未满足任何规则"),
        None => (table.fallback, table.fallback_reason.as_str()),
    };
    (g, format!("{}：{}（{}）", g.label(), why, inputs.describe()))
}
