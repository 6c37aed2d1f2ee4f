//! Rubrics (评分表) as data, and the reviewer's scorecard (评分表/打分表) with its validation.
//!
//! **Weights are percents applied to a criterion's score**: a criterion contributes
//! `score × weight / 100` to the scorecard total. Two common shapes:
//!
//! * points rubrics, where each criterion has its own maximum and the maxima add up to 100
//!   ("方案质量（30分）"): every weight is 100, the total is the plain sum;
//! * percent rubrics, where every criterion is scored 0–100 and weighted ("方案质量占30%"):
//!   weights 30, 20, … that add up to 100.
//!
//! Scores are entered in hundredths ([`Score`]), so a weighted contribution is an exact integer
//! number of ten-thousandths of a point; nothing is rounded until a total is shown.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::score::Score;
use crate::error::FieldError;

/// One scored criterion (评分项).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable code, e.g. "plan_quality".
    pub code: String,
    /// Name as the document writes it, e.g. "方案质量".
    pub name: String,
    /// Highest score a reviewer may give (the lowest is 0).
    pub max_score: Score,
    /// Percent applied to the score (100 = counted as is).
    pub weight: u32,
    /// What the reviewer looks at, shown on the form.
    #[serde(default)]
    pub guidance: String,
}

/// A knock-out item (否决项): one failed on any signed scorecard excludes the application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Knockout {
    pub code: String,
    /// The failing condition in Chinese, as the reviewer ticks it.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric {
    pub name: String,
    /// The document's wording the rubric comes from.
    #[serde(default)]
    pub source: String,
    pub criteria: Vec<Criterion>,
    #[serde(default)]
    pub knockouts: Vec<Knockout>,
    /// Criteria compared, in order, when two applications have the same aggregate (see
    /// [`super::rank`](mod@super::rank)).
    #[serde(default)]
    pub tie_break: Vec<String>,
}

/// One reviewer's scores for one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    pub expert_id: String,
    /// Criterion code → score.
    #[serde(default)]
    pub scores: BTreeMap<String, Score>,
    /// Codes of the knock-out items the reviewer found failed.
    #[serde(default)]
    pub knockouts_failed: Vec<String>,
    #[serde(default)]
    pub comment: String,
    /// Signed scorecards are locked and are the only ones counted.
    #[serde(default)]
    pub signed: bool,
}

impl Rubric {
    pub fn criterion(&self, code: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.code == code)
    }

    pub fn knockout(&self, code: &str) -> Option<&Knockout> {
        self.knockouts.iter().find(|k| k.code == code)
    }

    /// The highest possible weighted total, rounded half up to hundredths.
    pub fn max_total(&self) -> Score {
        Score::from_ten_thousandths(
            self.criteria.iter().map(|c| i128::from(c.max_score.0) * i128::from(c.weight)).sum(),
        )
    }

    /// Weighted total of a scorecard in exact ten-thousandths of a point (criteria missing from
    /// the card count 0; validate the card first).
    pub fn weighted_total_e4(&self, card: &Scorecard) -> i128 {
        self.criteria
            .iter()
            .map(|c| i128::from(card.scores.get(&c.code).map_or(0, |s| s.0)) * i128::from(c.weight))
            .sum()
    }

    /// The rubric itself is sound: criteria present, codes unique, maxima and weights positive,
    /// tie-break codes known.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.criteria.is_empty() {
            errors.push(FieldError::new("criteria", "评分表至少应有一个评分项"));
        }
        let mut codes = BTreeSet::new();
        for c in &self.criteria {
            let field = format!("criteria.{}", c.code);
            if c.code.trim().is_empty() {
                errors.push(FieldError::new(&field, format!("评分项“{}”缺少编号", c.name)));
            }
            if !codes.insert(c.code.as_str()) {
                errors.push(FieldError::new(&field, format!("评分项编号“{}”重复", c.code)));
            }
            if c.max_score.0 <= 0 {
                errors.push(FieldError::new(&field, format!("评分项“{}”的满分应大于0", c.name)));
            }
            if c.weight == 0 {
                errors.push(FieldError::new(&field, format!("评分项“{}”的权重应大于0", c.name)));
            }
        }
        let mut knockout_codes = BTreeSet::new();
        for k in &self.knockouts {
            if !knockout_codes.insert(k.code.as_str()) {
                errors.push(FieldError::new(format!("knockouts.{}", k.code), format!("否决项编号“{}”重复", k.code)));
            }
        }
        for code in &self.tie_break {
            if self.criterion(code).is_none() {
                errors.push(FieldError::new("tie_break", format!("同分比较项“{code}”不是本评分表的评分项")));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

impl Scorecard {
    /// Every criterion scored within `0..=max`, no unknown codes, a comment when a knock-out
    /// item is failed. Each error names the criterion in Chinese.
    pub fn validate(&self, rubric: &Rubric) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for c in &rubric.criteria {
            let field = format!("scores.{}", c.code);
            match self.scores.get(&c.code) {
                None => errors.push(FieldError::new(field, format!("“{}”未评分", c.name))),
                Some(s) if s.0 < 0 => errors.push(FieldError::new(field, format!("“{}”的得分不能为负数", c.name))),
                Some(s) if *s > c.max_score => {
                    errors.push(FieldError::new(field, format!("“{}”的得分{}超出满分{}", c.name, s, c.max_score)))
                }
                Some(_) => {}
            }
        }
        for code in self.scores.keys() {
            if rubric.criterion(code).is_none() {
                errors.push(FieldError::new(format!("scores.{code}"), format!("评分表中没有编号为“{code}”的评分项")));
            }
        }
        for code in &self.knockouts_failed {
            match rubric.knockout(code) {
                None => errors
                    .push(FieldError::new(format!("knockouts.{code}"), format!("评分表中没有编号为“{code}”的否决项"))),
                Some(k) if self.comment.trim().is_empty() => {
                    errors.push(FieldError::new("comment", format!("判定否决项“{}”时须填写评审意见", k.text)))
                }
                Some(_) => {}
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// Refuse changes once signed (签名后锁定).
    pub fn ensure_editable(&self) -> Result<(), FieldError> {
        if self.signed {
            Err(FieldError::new("signed", format!("专家{}的评分表已签名锁定，不能修改", self.expert_id)))
        } else {
            Ok(())
        }
    }

    /// Sign the card: only a complete, valid card can be signed, and signing locks it.
    pub fn sign(&mut self, rubric: &Rubric) -> Result<(), Vec<FieldError>> {
        self.ensure_editable().map_err(|e| vec![e])?;
        self.validate(rubric)?;
        self.signed = true;
        Ok(())
    }
}

/// The Chongchuan wording the rubric below is built from (实施方案 六（三）1).
pub const CHONGCHUAN_REVIEW_TEXT: &str = "由承办方负责组建专家评审小组，对经初审符合要求的项目，\
根据申报材料、方案质量、可行性、组织能力及团队建设等情况进行评审，并确定获选项目。";

/// The Chongchuan 2021 rubric (崇川区第九届社区公益助力计划).
///
/// The document names five aspects but gives **no points or weights**: this rubric scores each
/// aspect 0–20 points with weight 100 (a 100-point form, the aspects equal), and breaks ties on
/// 方案质量 then 可行性. The two knock-out items are the document's own 实施要求 for 公益定投 and
/// 微公益创投 projects. A bureau that fixes other points changes the data, not the code.
pub fn chongchuan_rubric() -> Rubric {
    let criterion = |code: &str, name: &str, guidance: &str| Criterion {
        code: code.to_string(),
        name: name.to_string(),
        max_score: Score::points(20),
        weight: 100,
        guidance: guidance.to_string(),
    };
    Rubric {
        name: "崇川区第九届社区公益助力计划项目评审表".to_string(),
        source: CHONGCHUAN_REVIEW_TEXT.to_string(),
        criteria: vec![
            criterion("materials", "申报材料", "申报书及附件完整、规范，内容真实"),
            criterion("plan_quality", "方案质量", "需求分析清楚，目标明确，服务内容与项目清单要求相符"),
            criterion("feasibility", "可行性", "实施计划、进度与预算合理，产出可达成"),
            criterion("org_capacity", "组织能力", "机构管理有序，具备相应专业服务能力和资质"),
            criterion("team", "团队建设", "核心成员稳定，人员配置与分工合理"),
        ],
        knockouts: vec![
            Knockout {
                code: "subcontracting".to_string(), text: "采用项目分包或转让的方式完成项目计划".to_string()
            },
            Knockout {
                code: "beyond_deadline".to_string(),
                text: "项目全部计划内容不能在2021年11月15日前结束".to_string(),
            },
        ],
        tie_break: vec!["plan_quality".to_string(), "feasibility".to_string()],
    }
}
