//! Needs assessments (需求评估) and the child risk grade (困境儿童风险等级) of a person. The
//! templates are data (sections of items, each option with its score, and the bands naming the
//! result); an assessment answers every item of one template. Scoped through the person like the
//! pages: a person outside the caller's scope is 404, and only the registering organization (or a
//! system administrator) records. Every record is written to the audit log by the db layer.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use db::assessments::risk::{self, RiskGradeView, RiskInput};
use db::assessments::templates::{self, Template};
use db::assessments::{self as repo, AssessmentInput, AssessmentView};
use db::{AppError, FieldError};
use domain::delivery::{RiskInputs, RiskLevel};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::openapi::{ReadErrors, WriteErrors};
use super::{ApiJson, begin, commit};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assessment-templates", get(list_templates))
        .route("/persons/{id}/assessments", get(list).post(create))
        .route("/persons/{id}/assessments/{aid}", get(get_one))
        .route("/persons/{id}/risk-grades", get(list_risk_grades).post(set_risk_grade))
}

/// One option of an item: answer with its `index`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateOption {
    /// What to send as the item's answer.
    pub index: u32,
    pub score: i32,
    #[schema(example = "独立完成")]
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateItem {
    #[schema(example = "bathing")]
    pub code: String,
    #[schema(example = "洗澡")]
    pub name: String,
    pub options: Vec<TemplateOption>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateSection {
    pub code: String,
    pub name: String,
    pub items: Vec<TemplateItem>,
}

/// A total score from `min` to `max` (inclusive) gives `result`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateBand {
    pub min: i32,
    pub max: i32,
    pub result: String,
}

/// A level adjustment: answering `item` with one of `options` sets the result to `result`, or
/// makes it `raise` bands worse (GB/T 42195-2022: 昏迷 → 完全失能; dementia → one level worse).
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateAdjustment {
    pub item: String,
    pub options: Vec<usize>,
    pub result: Option<String>,
    pub raise: usize,
    pub reason: String,
}

/// An assessment template (评估表).
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentTemplate {
    #[schema(example = "capability")]
    pub code: String,
    pub name: String,
    /// Months from the assessment until the reassessment (复评) is due.
    pub reassess_months: u32,
    /// The highest total score.
    pub max_score: i32,
    pub bands: Vec<TemplateBand>,
    pub sections: Vec<TemplateSection>,
    pub adjustments: Vec<TemplateAdjustment>,
}

impl From<&Template> for AssessmentTemplate {
    fn from(t: &Template) -> Self {
        let sections = t
            .sections
            .iter()
            .map(|s| TemplateSection {
                code: s.code.clone(),
                name: s.name.clone(),
                items: s
                    .items
                    .iter()
                    .map(|i| TemplateItem {
                        code: i.code.clone(),
                        name: i.name.clone(),
                        options: i
                            .options
                            .iter()
                            .zip(0u32..)
                            .map(|(o, index)| {
                                let (score, text) = templates::option_parts(o);
                                TemplateOption { index, score, text: text.to_string() }
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        AssessmentTemplate {
            code: t.code.clone(),
            name: t.name.clone(),
            reassess_months: t.reassess_months,
            max_score: t.max_score(),
            bands: t.bands.iter().map(|b| TemplateBand { min: b.min, max: b.max, result: b.result.clone() }).collect(),
            sections,
            adjustments: t
                .adjustments
                .iter()
                .map(|a| TemplateAdjustment {
                    item: a.item.clone(),
                    options: a.options.clone(),
                    result: a.result.clone(),
                    raise: a.raise,
                    reason: a.reason.clone(),
                })
                .collect(),
        }
    }
}

/// An option index, as a number or a string of digits.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum AnswerIndex {
    Number(u64),
    Text(String),
}

impl AnswerIndex {
    fn text(&self) -> String {
        match self {
            AnswerIndex::Number(n) => n.to_string(),
            AnswerIndex::Text(s) => s.clone(),
        }
    }
}

/// A filled template: every item answered. A missing or unknown answer is 422 on
/// `answers.<item code>`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AssessmentBody {
    #[schema(example = "capability")]
    pub template_code: String,
    /// Item code → the index of the chosen option (see the template).
    #[schema(example = json!({"bathing": 0, "dressing": 2}))]
    pub answers: BTreeMap<String, AnswerIndex>,
    pub assessed_on: Option<NaiveDate>,
    /// Empty: `reassess_months` after `assessed_on`.
    pub next_on: Option<NaiveDate>,
}

/// Item errors of the db layer are named by the item code; the API names them under `answers`.
fn answers_fields(e: AppError) -> AppError {
    match e {
        AppError::Validation(list) => AppError::Validation(
            list.into_iter()
                .map(|f| match f.field.as_str() {
                    "template_code" | "assessed_on" | "next_on" => f,
                    _ => FieldError::new(format!("answers.{}", f.field), f.message),
                })
                .collect(),
        ),
        other => other,
    }
}

/// Every assessment template.
#[utoipa::path(get, path = "/api/v1/assessment-templates", operation_id = "list_assessment_templates",
    tag = "assessments",
    responses((status = 200, description = "The templates", body = Vec<AssessmentTemplate>), ReadErrors))]
pub async fn list_templates(ApiUser(_actor): ApiUser) -> ApiResult<Json<Vec<AssessmentTemplate>>> {
    Ok(Json(templates::all().iter().map(AssessmentTemplate::from).collect()))
}

/// A person's assessments, newest first.
#[utoipa::path(get, path = "/api/v1/persons/{id}/assessments", operation_id = "list_assessments",
    tag = "assessments", params(("id" = String, Path, description = "Person id")),
    responses((status = 200, description = "The assessments, newest first", body = Vec<AssessmentView>), ReadErrors))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<AssessmentView>>> {
    let rows = repo::history(&state.db, &actor, &id).await?;
    Ok(Json(rows))
}

/// One assessment of a person.
#[utoipa::path(get, path = "/api/v1/persons/{id}/assessments/{aid}", operation_id = "get_assessment",
    tag = "assessments",
    params(("id" = String, Path, description = "Person id"), ("aid" = String, Path, description = "Assessment id")),
    responses((status = 200, description = "The assessment", body = AssessmentView), ReadErrors))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path((id, aid)): Path<(String, String)>,
) -> ApiResult<Json<AssessmentView>> {
    Ok(Json(repo::get(&state.db, &actor, &id, &aid).await?))
}

/// Record an assessment (the registering organization's staff and field workers); scored by the
/// template, audited.
#[utoipa::path(post, path = "/api/v1/persons/{id}/assessments", operation_id = "create_assessment",
    tag = "assessments", params(("id" = String, Path, description = "Person id")), request_body = AssessmentBody,
    responses((status = 201, description = "The recorded assessment", body = AssessmentView), WriteErrors))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AssessmentBody>,
) -> ApiResult<(StatusCode, Json<AssessmentView>)> {
    let input = AssessmentInput {
        template_code: body.template_code.trim().to_string(),
        answers: body.answers.iter().map(|(k, v)| (k.clone(), v.text())).collect(),
        assessed_on: body.assessed_on,
        next_on: body.next_on,
    };
    let txn = begin(&state).await?;
    let a = repo::record(&txn, &actor, &id, &input, state.now_ms()).await.map_err(answers_fields)?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// The three risk dimensions, each "none", "low", "medium" or "high".
#[derive(Debug, Serialize, ToSchema)]
pub struct RiskLevels {
    /// 监护风险
    pub guardianship: String,
    /// 行为风险
    pub behaviour: String,
    /// 生理风险
    pub physiological: String,
}

/// A child's risk grade as set on a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct RiskGrade {
    pub id: String,
    pub person_id: String,
    /// "red", "yellow", "blue" or "green".
    #[schema(example = "yellow")]
    pub grade: String,
    #[schema(example = "黄色")]
    pub grade_label: String,
    pub inputs: Option<RiskLevels>,
    /// Why this grade (the matching rule of the table).
    pub reason: String,
    /// The date the grade was set (评定日期).
    pub set_on: NaiveDate,
    /// Who set it (username).
    pub set_by_name: String,
    pub created_ms: i64,
}

fn code<T: Serialize>(v: T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

impl From<RiskGradeView> for RiskGrade {
    fn from(v: RiskGradeView) -> Self {
        RiskGrade {
            id: v.id,
            person_id: v.person_id,
            grade: code(v.grade),
            grade_label: v.grade.label().to_string(),
            inputs: v.inputs.map(|i| RiskLevels {
                guardianship: code(i.guardianship),
                behaviour: code(i.behaviour),
                physiological: code(i.physiological),
            }),
            reason: v.reason,
            set_on: v.set_on,
            set_by_name: v.set_by_name,
            created_ms: v.created_ms,
        }
    }
}

/// The three dimensions ("none", "low", "medium", "high"; 无/低/中/高 accepted) and the date;
/// the grade follows from the rule table.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RiskGradeBody {
    #[schema(example = "high")]
    pub guardianship: String,
    #[schema(example = "none")]
    pub behaviour: String,
    #[schema(example = "low")]
    pub physiological: String,
    pub set_on: Option<NaiveDate>,
}

fn level(v: &str, field: &str, label: &str, errors: &mut Vec<FieldError>) -> RiskLevel {
    match serde_json::from_value::<RiskLevel>(serde_json::Value::String(v.trim().to_string())) {
        Ok(l) => l,
        Err(_) => {
            errors.push(FieldError::new(field, format!("{label}：请选择无、低、中或高（none、low、medium、high）")));
            RiskLevel::NoRisk
        }
    }
}

/// A person's risk grades, newest first (the first is the current one).
#[utoipa::path(get, path = "/api/v1/persons/{id}/risk-grades", operation_id = "list_risk_grades",
    tag = "assessments", params(("id" = String, Path, description = "Person id")),
    responses((status = 200, description = "The grades, newest first", body = Vec<RiskGrade>), ReadErrors))]
pub async fn list_risk_grades(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<RiskGrade>>> {
    let rows = risk::history(&state.db, &actor, &id).await?;
    Ok(Json(rows.into_iter().map(RiskGrade::from).collect()))
}

/// Grade a child (the registering organization's staff and field workers); audited.
#[utoipa::path(post, path = "/api/v1/persons/{id}/risk-grades", operation_id = "set_risk_grade",
    tag = "assessments", params(("id" = String, Path, description = "Person id")), request_body = RiskGradeBody,
    responses((status = 201, description = "The grade set", body = RiskGrade), WriteErrors))]
pub async fn set_risk_grade(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RiskGradeBody>,
) -> ApiResult<(StatusCode, Json<RiskGrade>)> {
    // scope and permission first: outside the scope is 404 whatever the body
    let person = db::persons::find(&state.db, &actor, &id).await?;
    if !db::persons::may_edit(&actor, &person) {
        return Err(AppError::Forbidden.into());
    }
    let mut errors = Vec::new();
    let inputs = RiskInputs {
        guardianship: level(&body.guardianship, "guardianship", "监护风险", &mut errors),
        behaviour: level(&body.behaviour, "behaviour", "行为风险", &mut errors),
        physiological: level(&body.physiological, "physiological", "生理风险", &mut errors),
    };
    if body.set_on.is_none() {
        errors.push(FieldError::new("set_on", "评定日期：不能为空"));
    }
    let (Some(set_on), true) = (body.set_on, errors.is_empty()) else {
        return Err(AppError::Validation(errors).into());
    };
    let txn = begin(&state).await?;
    let g = risk::set(&txn, &actor, &person.id, &RiskInput { inputs, set_on }, state.now_ms()).await?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(g.into())))
}
