//! Assessment templates as data (`crates/db/data/assessments/*.toml`, embedded): sections of
//! items, each item a list of options written "分值 文字" ("4 独立完成"); the total score falls
//! into a band that names the result (for GB/T 42195-2022 the capability level). Adjustments
//! may then set the result outright or make it worse by bands (昏迷 → 完全失能; a dementia
//! diagnosis raises the level by one).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::{AppError, AppResult, FieldError};

const SOURCES: [&str; 5] = [
    include_str!("../../data/assessments/capability.toml"),
    include_str!("../../data/assessments/physical.toml"),
    include_str!("../../data/assessments/psychological.toml"),
    include_str!("../../data/assessments/health.toml"),
    include_str!("../../data/assessments/living.toml"),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Band {
    pub min: i32,
    pub max: i32,
    pub result: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Item {
    pub code: String,
    pub name: String,
    /// "4 独立完成": the score, a space, the words.
    pub options: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    pub code: String,
    pub name: String,
    pub items: Vec<Item>,
}

/// A level adjustment: when `item` is answered with one of `options` (indexes), the result is
/// `result` outright, or the band `raise` places worse than the score's (bands are listed from
/// best to worst). Several raises do not add up: the largest applies ("有其一者加重一级").
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Adjustment {
    pub item: String,
    pub options: Vec<usize>,
    #[serde(default)]
    pub result: Option<String>,
    #[serde(default)]
    pub raise: usize,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Template {
    pub code: String,
    pub name: String,
    /// Months until the reassessment (复评) is due.
    pub reassess_months: u32,
    #[serde(rename = "band")]
    pub bands: Vec<Band>,
    #[serde(rename = "section")]
    pub sections: Vec<Section>,
    #[serde(default, rename = "adjustment")]
    pub adjustments: Vec<Adjustment>,
}

/// The score of an option ("4 独立完成" → 4) and its words.
pub fn option_parts(option: &str) -> (i32, &str) {
    let (n, words) = option.split_once(' ').unwrap_or((option, ""));
    (n.trim().parse().unwrap_or(0), words.trim())
}

/// The outcome of a filled template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub score: i32,
    pub result: String,
    /// Section name → subtotal, in template order.
    pub sections: Vec<(String, i32)>,
    /// item code → chosen option text
    pub answers: BTreeMap<String, String>,
    /// The adjustments that applied, in words (empty when the score's band stands).
    pub adjusted_by: Vec<String>,
}

impl Template {
    pub fn max_score(&self) -> i32 {
        self.items().map(|i| i.options.iter().map(|o| option_parts(o).0).max().unwrap_or(0)).sum()
    }

    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }

    /// The result words for a total.
    pub fn band_of(&self, score: i32) -> String {
        self.bands.iter().find(|b| (b.min..=b.max).contains(&score)).map(|b| b.result.clone()).unwrap_or_default()
    }

    /// Score the answers (item code → option index, as the form posts them). Every item must be
    /// answered; all problems are returned together.
    pub fn evaluate(&self, answers: &BTreeMap<String, String>) -> AppResult<Outcome> {
        let mut errors = Vec::new();
        let mut chosen = BTreeMap::new();
        let mut sections = Vec::new();
        let mut total = 0;
        for s in &self.sections {
            let mut sub = 0;
            for item in &s.items {
                let picked = answers
                    .get(&item.code)
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .and_then(|i| item.options.get(i));
                match picked {
                    Some(o) => {
                        sub += option_parts(o).0;
                        chosen.insert(item.code.clone(), o.clone());
                    }
                    None => errors.push(FieldError::new(item.code.clone(), format!("{}：请选择一项", item.name))),
                }
            }
            total += sub;
            sections.push((s.name.clone(), sub));
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let (result, adjusted_by) = self.adjust(total, answers);
        Ok(Outcome { score: total, result, sections, answers: chosen, adjusted_by })
    }

    /// The result for a total after the adjustments the answers trigger.
    fn adjust(&self, total: i32, answers: &BTreeMap<String, String>) -> (String, Vec<String>) {
        let hit: Vec<&Adjustment> = self
            .adjustments
            .iter()
            .filter(|a| {
                answers
                    .get(&a.item)
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .is_some_and(|i| a.options.contains(&i))
            })
            .collect();
        if let Some(a) = hit.iter().find(|a| a.result.is_some()) {
            return (a.result.clone().unwrap_or_default(), vec![a.reason.clone()]);
        }
        let raise = hit.iter().map(|a| a.raise).max().unwrap_or(0);
        let Some(at) = self.bands.iter().position(|b| (b.min..=b.max).contains(&total)) else {
            return (String::new(), Vec::new());
        };
        if raise == 0 {
            return (self.bands[at].result.clone(), Vec::new());
        }
        let band = &self.bands[(at + raise).min(self.bands.len() - 1)];
        (band.result.clone(), hit.iter().filter(|a| a.raise > 0).map(|a| a.reason.clone()).collect())
    }

    /// Bands cover 0..=max without gaps; item codes are unique; every option has a score.
    pub fn check(&self) -> Result<(), String> {
        let max = self.max_score();
        for s in 0..=max {
            if self.band_of(s).is_empty() {
                return Err(format!("{}：总分{s}不在任何分档中", self.code));
            }
        }
        let mut codes: Vec<&str> = self.items().map(|i| i.code.as_str()).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        if codes.len() != n {
            return Err(format!("{}：条目编码重复", self.code));
        }
        for a in &self.adjustments {
            let Some(item) = self.items().find(|i| i.code == a.item) else {
                return Err(format!("{}：调整规则指向不存在的条目“{}”", self.code, a.item));
            };
            if a.options.iter().any(|&o| o >= item.options.len()) {
                return Err(format!("{}：调整规则“{}”的选项序号超出范围", self.code, a.reason));
            }
            if a.result.as_ref().is_some_and(|r| !self.bands.iter().any(|b| &b.result == r)) {
                return Err(format!("{}：调整规则“{}”的结果不是任何分档", self.code, a.reason));
            }
        }
        for i in self.items() {
            if i.options.is_empty()
                || i.options.iter().any(|o| o.split_once(' ').and_then(|(n, _)| n.parse::<i32>().ok()).is_none())
            {
                return Err(format!("{}：条目“{}”的选项应写作“分值 文字”", self.code, i.name));
            }
        }
        Ok(())
    }
}

/// Every template (parsed once; a template that does not parse is left out and reported by
/// `check_all`, which a test runs).
pub fn all() -> &'static [Template] {
    static ALL: OnceLock<Vec<Template>> = OnceLock::new();
    ALL.get_or_init(|| SOURCES.iter().filter_map(|s| toml::from_str(s).ok()).collect())
}

pub fn get(code: &str) -> Option<&'static Template> {
    all().iter().find(|t| t.code == code)
}

/// Parse and check every embedded template.
pub fn check_all() -> Result<(), String> {
    for s in SOURCES {
        let t: Template = toml::from_str(s).map_err(|e| e.to_string())?;
        t.check()?;
    }
    Ok(())
}
