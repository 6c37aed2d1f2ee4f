//! The JSON shapes of applications (申报书) in the API: what is returned and what an applicant
//! sends, with conversions to and from the repository's types.

use db::AppError;
use db::applications::{ApplicationInput, ApplicationView, CoFunding, PlanMonth, ProposedOutput, TeamEntry};
use domain::eligibility::{BudgetCategory, BudgetLine};
use domain::money::Fen;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One month of the activity plan.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AppPlanMonth {
    #[schema(example = "2027-01")]
    pub month: String,
    pub activities: String,
}

/// A proposed quantity for the call item's required output number `index` (0-based).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AppOutput {
    pub index: u32,
    pub quantity: u32,
}

/// A member of the execution team.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct AppTeamMember {
    pub name: String,
    pub role: String,
    pub certified: bool,
    pub full_time: bool,
    /// The project lead (at most one).
    pub lead: bool,
}

/// A budget line.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppBudgetLine {
    /// personnel, activities, materials, publicity, evaluation or other.
    #[schema(example = "activities")]
    pub category: String,
    pub amount: Fen,
    #[serde(default)]
    pub uses: String,
}

/// A co-funding line (配套资金).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppCoFunding {
    pub source: String,
    pub amount: Fen,
    #[serde(default)]
    pub note: String,
}

/// An application with its sections. `requested` is the budget total.
#[derive(Debug, Serialize, ToSchema)]
pub struct Application {
    pub id: String,
    pub program_id: String,
    pub track_code: String,
    pub call_item_id: Option<String>,
    pub organization_id: String,
    /// draft, submitted, returned, withdrawn, screened_pass or screened_fail.
    pub status: String,
    /// Milliseconds since the epoch.
    pub submitted_ms: Option<i64>,
    pub updated_ms: i64,
    /// Number of submitted versions.
    pub version: i32,
    pub requested: Fen,
    pub title: String,
    pub summary: String,
    pub needs_analysis: String,
    pub objectives: String,
    pub plan: Vec<AppPlanMonth>,
    pub outputs: Vec<AppOutput>,
    pub team: Vec<AppTeamMember>,
    pub budget: Vec<AppBudgetLine>,
    pub cofunding: Vec<AppCoFunding>,
}

impl From<ApplicationView> for Application {
    fn from(a: ApplicationView) -> Self {
        let i = a.input;
        Application {
            id: a.id,
            program_id: a.program_id,
            track_code: a.track_code,
            call_item_id: a.call_item_id,
            organization_id: a.organization_id,
            status: a.status,
            submitted_ms: a.submitted_ms,
            updated_ms: a.updated_ms,
            version: a.version,
            requested: a.requested,
            title: i.title,
            summary: i.summary,
            needs_analysis: i.needs_analysis,
            objectives: i.objectives,
            plan: i.plan.into_iter().map(|p| AppPlanMonth { month: p.month, activities: p.activities }).collect(),
            outputs: i.outputs.into_iter().map(|o| AppOutput { index: o.index, quantity: o.quantity }).collect(),
            team: i
                .team
                .into_iter()
                .map(|t| AppTeamMember {
                    name: t.name,
                    role: t.role,
                    certified: t.certified,
                    full_time: t.full_time,
                    lead: t.lead,
                })
                .collect(),
            budget: i
                .budget
                .into_iter()
                .map(|b| AppBudgetLine { category: b.category.as_str().to_string(), amount: b.amount, uses: b.uses })
                .collect(),
            cofunding: i
                .cofunding
                .into_iter()
                .map(|c| AppCoFunding { source: c.source, amount: c.amount, note: c.note })
                .collect(),
        }
    }
}

/// The sections an applicant sends (create and update).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ApplicationBody {
    /// The call item applied for (create only).
    pub call_item_id: String,
    pub title: String,
    pub summary: String,
    pub needs_analysis: String,
    pub objectives: String,
    pub plan: Vec<AppPlanMonth>,
    pub outputs: Vec<AppOutput>,
    pub team: Vec<AppTeamMember>,
    pub budget: Vec<AppBudgetLine>,
    pub cofunding: Vec<AppCoFunding>,
}

impl ApplicationBody {
    pub fn input(self) -> Result<ApplicationInput, AppError> {
        let mut budget = Vec::new();
        for (i, b) in self.budget.into_iter().enumerate() {
            let category = BudgetCategory::parse(&b.category).ok_or_else(|| {
                AppError::field(
                    &format!("budget.{i}.category"),
                    format!(
                        "预算第{}行 类别：应为 personnel、activities、materials、publicity、evaluation 或 other",
                        i + 1
                    ),
                )
            })?;
            budget.push(BudgetLine { category, amount: b.amount, uses: b.uses });
        }
        Ok(ApplicationInput {
            title: self.title,
            summary: self.summary,
            needs_analysis: self.needs_analysis,
            objectives: self.objectives,
            plan: self.plan.into_iter().map(|p| PlanMonth { month: p.month, activities: p.activities }).collect(),
            outputs: self
                .outputs
                .into_iter()
                .map(|o| ProposedOutput { index: o.index, quantity: o.quantity })
                .collect(),
            team: self
                .team
                .into_iter()
                .map(|t| TeamEntry {
                    name: t.name,
                    role: t.role,
                    certified: t.certified,
                    full_time: t.full_time,
                    lead: t.lead,
                })
                .collect(),
            budget,
            cofunding: self
                .cofunding
                .into_iter()
                .map(|c| CoFunding { source: c.source, amount: c.amount, note: c.note })
                .collect(),
        })
    }
}
