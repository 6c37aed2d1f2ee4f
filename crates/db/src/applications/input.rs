//! The sections an applicant edits (申报书内容): plan, proposed outputs, team, budget lines and
//! co-funding, with the checks every save makes.

use domain::eligibility::{BudgetCategory, BudgetLine};
use domain::money::Fen;
use serde::{Deserialize, Serialize};

use crate::{AppError, AppResult, FieldError};

/// One month of the activity plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanMonth {
    /// "2027-01" or as the applicant writes it.
    pub month: String,
    pub activities: String,
}

/// A proposed quantity for the call item's required output number `index` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedOutput {
    pub index: u32,
    pub quantity: u32,
}

/// A member of the execution team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamEntry {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub certified: bool,
    #[serde(default)]
    pub full_time: bool,
    /// The named project lead (项目负责人).
    #[serde(default)]
    pub lead: bool,
}

/// A co-funding line (配套资金): where other money for the project comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoFunding {
    pub source: String,
    pub amount: Fen,
    #[serde(default)]
    pub note: String,
}

/// The sections an applicant edits. The requested amount is the total of the budget lines.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationInput {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub needs_analysis: String,
    #[serde(default)]
    pub objectives: String,
    #[serde(default)]
    pub plan: Vec<PlanMonth>,
    #[serde(default)]
    pub outputs: Vec<ProposedOutput>,
    #[serde(default)]
    pub team: Vec<TeamEntry>,
    #[serde(default)]
    pub budget: Vec<BudgetLine>,
    #[serde(default)]
    pub cofunding: Vec<CoFunding>,
}

impl ApplicationInput {
    pub fn total(&self) -> Fen {
        Fen(self.budget.iter().map(|l| l.amount.0).sum())
    }

    /// The total of the co-funding lines.
    pub fn cofunding_total(&self) -> Fen {
        Fen(self.cofunding.iter().map(|l| l.amount.0).sum())
    }

    /// Subtotal per category, in the form's order (categories without lines are zero).
    pub fn subtotals(&self) -> Vec<(BudgetCategory, Fen)> {
        BudgetCategory::ALL
            .into_iter()
            .map(|c| (c, Fen(self.budget.iter().filter(|l| l.category == c).map(|l| l.amount.0).sum())))
            .collect()
    }

    pub(crate) fn validate(&self) -> AppResult<()> {
        let mut e = Vec::new();
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            e.push(FieldError::new("title", "项目名称：不能为空，且不超过200字"));
        }
        for (i, l) in self.budget.iter().enumerate() {
            if l.amount.0 < 0 {
                e.push(FieldError::new(format!("budget.{i}.amount"), format!("预算第{}行 金额：不能为负数", i + 1)));
            }
        }
        for (i, c) in self.cofunding.iter().enumerate() {
            if c.source.trim().is_empty() {
                e.push(FieldError::new(
                    format!("cofunding.{i}.source"),
                    format!("配套资金第{}行 来源：不能为空", i + 1),
                ));
            }
            if c.amount.0 < 0 {
                e.push(FieldError::new(
                    format!("cofunding.{i}.amount"),
                    format!("配套资金第{}行 金额：不能为负数", i + 1),
                ));
            }
        }
        if self.team.iter().filter(|m| m.lead).count() > 1 {
            e.push(FieldError::new("team", "执行团队：只能指定一名项目负责人"));
        }
        if e.is_empty() { Ok(()) } else { Err(AppError::Validation(e)) }
    }
}
