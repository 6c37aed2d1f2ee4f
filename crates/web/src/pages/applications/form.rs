//! The application form as typed: sections, plan, team, budget lines and proposed outputs,
//! read from repeated fields and turned into the repository's input.

use db::AppError;
use db::applications::{ApplicationInput, CoFunding, PlanMonth, ProposedOutput, TeamEntry};
use db::programs::ItemView;
use domain::eligibility::{BudgetCategory, BudgetLine};
use domain::error::FieldError;
use domain::money::Fen;

use crate::forms::{FormErrors, all};
use crate::i18n::Tr;
use crate::pages::Choice;

#[derive(Default, Clone)]
pub struct PlanRow {
    pub month: String,
    pub activities: String,
}

#[derive(Default, Clone)]
pub struct TeamRow {
    pub name: String,
    pub role: String,
    pub certified: bool,
    pub full_time: bool,
    pub lead: bool,
}

#[derive(Default, Clone)]
pub struct BudgetRow {
    pub category: String,
    pub amount: String,
    pub uses: String,
    /// The error of this row, if any (filled before rendering).
    pub error: String,
}

#[derive(Default, Clone)]
pub struct CoRow {
    pub source: String,
    pub amount: String,
    pub note: String,
    /// The error of this row, if any (filled before rendering).
    pub error: String,
}

/// A required output of the call item with the applicant's proposed quantity.
#[derive(Default, Clone)]
pub struct OutputRow {
    pub index: usize,
    pub description: String,
    /// "不少于 12 次" or "".
    pub required: String,
    pub quantity: String,
    /// The error of this row, if any (filled before rendering).
    pub error: String,
}

#[derive(Default, Clone)]
pub struct AppForm {
    pub title: String,
    pub summary: String,
    pub needs_analysis: String,
    pub objectives: String,
    pub plan: Vec<PlanRow>,
    pub team: Vec<TeamRow>,
    pub budget: Vec<BudgetRow>,
    pub outputs: Vec<OutputRow>,
    pub cofunding: Vec<CoRow>,
}

/// Rows for the call item's required outputs, with the proposed quantities filled in.
pub fn output_rows(item: Option<&ItemView>, proposed: &[ProposedOutput]) -> Vec<OutputRow> {
    let Some(item) = item else { return Vec::new() };
    item.item
        .outputs
        .iter()
        .enumerate()
        .map(|(i, o)| OutputRow {
            index: i,
            description: o.description.clone(),
            required: o.quantity.map(|q| format!("≥ {q}{}", o.unit)).unwrap_or_default(),
            quantity: proposed
                .iter()
                .find(|p| p.index as usize == i)
                .map(|p| p.quantity.to_string())
                .unwrap_or_default(),
            error: String::new(),
        })
        .collect()
}

impl AppForm {
    pub fn of(input: &ApplicationInput, item: Option<&ItemView>) -> AppForm {
        let mut f = AppForm {
            title: input.title.clone(),
            summary: input.summary.clone(),
            needs_analysis: input.needs_analysis.clone(),
            objectives: input.objectives.clone(),
            plan: input
                .plan
                .iter()
                .map(|p| PlanRow { month: p.month.clone(), activities: p.activities.clone() })
                .collect(),
            team: input
                .team
                .iter()
                .map(|t| TeamRow {
                    name: t.name.clone(),
                    role: t.role.clone(),
                    certified: t.certified,
                    full_time: t.full_time,
                    lead: t.lead,
                })
                .collect(),
            budget: input
                .budget
                .iter()
                .map(|b| BudgetRow {
                    category: b.category.as_str().to_string(),
                    amount: b.amount.yuan_string(),
                    uses: b.uses.clone(),
                    error: String::new(),
                })
                .collect(),
            outputs: output_rows(item, &input.outputs),
            cofunding: input
                .cofunding
                .iter()
                .map(|c| CoRow {
                    source: c.source.clone(),
                    amount: c.amount.yuan_string(),
                    note: c.note.clone(),
                    error: String::new(),
                })
                .collect(),
        };
        f.pad();
        f
    }

    /// Put each row's error next to it.
    pub fn mark(&mut self, errors: &FormErrors) {
        for (i, b) in self.budget.iter_mut().enumerate() {
            let amount = errors.get(&format!("budget.{i}.amount"));
            b.error = if amount.is_empty() { errors.get(&format!("budget.{i}.category")) } else { amount }.to_string();
        }
        for (i, c) in self.cofunding.iter_mut().enumerate() {
            let amount = errors.get(&format!("cofunding.{i}.amount"));
            c.error = if amount.is_empty() { errors.get(&format!("cofunding.{i}.source")) } else { amount }.to_string();
        }
        for o in &mut self.outputs {
            o.error = errors.get(&format!("outputs.{}", o.index)).to_string();
        }
    }

    /// Blank rows to type into.
    pub fn pad(&mut self) {
        self.plan.extend(std::iter::repeat_n(PlanRow::default(), 3));
        self.team.extend(std::iter::repeat_n(TeamRow::default(), 2));
        self.budget.extend(std::iter::repeat_n(BudgetRow::default(), 3));
        self.cofunding.extend(std::iter::repeat_n(CoRow::default(), 2));
    }

    pub fn from_pairs(pairs: &[(String, String)], item: Option<&ItemView>) -> AppForm {
        let one = |k: &str| all(pairs, k).first().map(|v| v.to_string()).unwrap_or_default();
        let at = |v: &Vec<&str>, i: usize| v.get(i).map(|x| x.to_string()).unwrap_or_default();
        let (months, acts) = (all(pairs, "p_month"), all(pairs, "p_activities"));
        let (names, roles, certs, fts) =
            (all(pairs, "t_name"), all(pairs, "t_role"), all(pairs, "t_certified"), all(pairs, "t_full_time"));
        let lead = one("lead");
        let (cats, amounts, uses) = (all(pairs, "b_category"), all(pairs, "b_amount"), all(pairs, "b_uses"));
        let (idx, qty) = (all(pairs, "o_index"), all(pairs, "o_quantity"));
        let (sources, c_amounts, notes) = (all(pairs, "c_source"), all(pairs, "c_amount"), all(pairs, "c_note"));
        let mut outputs = output_rows(item, &[]);
        for (i, ix) in idx.iter().enumerate() {
            if let Some(row) = outputs.iter_mut().find(|r| r.index.to_string() == *ix) {
                row.quantity = at(&qty, i);
            }
        }
        AppForm {
            title: one("title"),
            summary: one("summary"),
            needs_analysis: one("needs_analysis"),
            objectives: one("objectives"),
            plan: (0..months.len().max(acts.len()))
                .map(|i| PlanRow { month: at(&months, i), activities: at(&acts, i) })
                .collect(),
            team: (0..names.len())
                .map(|i| TeamRow {
                    name: at(&names, i),
                    role: at(&roles, i),
                    certified: at(&certs, i) == "yes",
                    full_time: at(&fts, i) == "yes",
                    lead: lead == i.to_string(),
                })
                .collect(),
            budget: (0..amounts.len())
                .map(|i| BudgetRow {
                    category: at(&cats, i),
                    amount: at(&amounts, i),
                    uses: at(&uses, i),
                    error: String::new(),
                })
                .collect(),
            outputs,
            cofunding: (0..sources.len().max(c_amounts.len()))
                .map(|i| CoRow {
                    source: at(&sources, i),
                    amount: at(&c_amounts, i),
                    note: at(&notes, i),
                    error: String::new(),
                })
                .collect(),
        }
    }

    /// The repository input; blank rows are dropped, every problem names its row.
    pub fn to_input(&self) -> Result<ApplicationInput, AppError> {
        let mut e = Vec::new();
        let mut budget = Vec::new();
        for (i, b) in self.budget.iter().enumerate() {
            if b.amount.trim().is_empty() && b.uses.trim().is_empty() {
                continue;
            }
            let n = i + 1;
            let category = BudgetCategory::parse(&b.category);
            let amount = Fen::parse(b.amount.trim()).ok().filter(|f| f.0 >= 0);
            match (category, amount) {
                (Some(category), Some(amount)) => {
                    budget.push(BudgetLine { category, amount, uses: b.uses.trim().to_string() })
                }
                (None, _) => {
                    e.push(FieldError::new(format!("budget.{i}.category"), format!("预算第{n}行 类别：请选择")))
                }
                (_, None) => e.push(FieldError::new(
                    format!("budget.{i}.amount"),
                    format!("预算第{n}行 金额：请填写以元为单位的金额，如 12000 或 12000.50"),
                )),
            }
        }
        let mut outputs = Vec::new();
        for o in &self.outputs {
            let v = o.quantity.trim();
            if v.is_empty() {
                continue;
            }
            match v.parse::<u32>() {
                Ok(quantity) => outputs.push(ProposedOutput { index: o.index as u32, quantity }),
                Err(_) => e.push(FieldError::new(
                    format!("outputs.{}", o.index),
                    format!("产出“{}”：拟定数量应为整数", o.description),
                )),
            }
        }
        let mut cofunding = Vec::new();
        for (i, c) in self.cofunding.iter().enumerate() {
            if c.source.trim().is_empty() && c.amount.trim().is_empty() && c.note.trim().is_empty() {
                continue;
            }
            match Fen::parse(c.amount.trim()).ok().filter(|f| f.0 >= 0) {
                Some(amount) => cofunding.push(CoFunding {
                    source: c.source.trim().to_string(),
                    amount,
                    note: c.note.trim().to_string(),
                }),
                None => e.push(FieldError::new(
                    format!("cofunding.{i}.amount"),
                    format!("配套资金第{}行 金额：请填写以元为单位的金额，如 20000", i + 1),
                )),
            }
        }
        let input = ApplicationInput {
            title: self.title.trim().to_string(),
            summary: self.summary.trim().to_string(),
            needs_analysis: self.needs_analysis.trim().to_string(),
            objectives: self.objectives.trim().to_string(),
            plan: self
                .plan
                .iter()
                .filter(|p| !p.month.trim().is_empty() || !p.activities.trim().is_empty())
                .map(|p| PlanMonth { month: p.month.trim().to_string(), activities: p.activities.trim().to_string() })
                .collect(),
            outputs,
            team: self
                .team
                .iter()
                .filter(|t| !t.name.trim().is_empty())
                .map(|t| TeamEntry {
                    name: t.name.trim().to_string(),
                    role: t.role.trim().to_string(),
                    certified: t.certified,
                    full_time: t.full_time,
                    lead: t.lead,
                })
                .collect(),
            budget,
            cofunding,
        };
        if e.is_empty() { Ok(input) } else { Err(AppError::Validation(e)) }
    }
}

/// The label of a budget category in the interface language.
pub fn category_label(tr: Tr, c: BudgetCategory) -> &'static str {
    tr.get(match c {
        BudgetCategory::Personnel => "applications.category.personnel",
        BudgetCategory::Activities => "applications.category.activities",
        BudgetCategory::Materials => "applications.category.materials",
        BudgetCategory::Publicity => "applications.category.publicity",
        BudgetCategory::Evaluation => "applications.category.evaluation",
        BudgetCategory::Other => "applications.category.other",
    })
}

/// Budget categories for the select.
pub fn categories(tr: Tr) -> Vec<Choice> {
    BudgetCategory::ALL
        .iter()
        .map(|c| Choice { value: c.as_str().to_string(), label: category_label(tr, *c).to_string(), selected: false })
        .collect()
}
