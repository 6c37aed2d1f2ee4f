//! Needs assessments (需求评估) filled per person from templates that are data, with history and
//! the reassessment date (复评), and the child risk grade ([`risk`]). Scoped through the person:
//! a person outside the actor's scope is NotFound.

pub mod risk;
pub mod templates;

use std::collections::{BTreeMap, HashMap};

use chrono::{Months, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use crate::audit::Event;
use crate::entity::assessment;
use crate::persons::{find, may_edit};
use crate::{Actor, AppError, AppResult, FieldError, db_err, new_id};

pub use templates::{Outcome, Template};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssessmentInput {
    pub template_code: String,
    /// item code → option index
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    pub assessed_on: Option<NaiveDate>,
    /// Empty: the template's interval after `assessed_on`.
    #[serde(default)]
    pub next_on: Option<NaiveDate>,
}

/// A recorded assessment, as pages and the API show it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Assessment))]
pub struct AssessmentView {
    pub id: String,
    pub person_id: String,
    pub template_code: String,
    pub template_name: String,
    /// Item code → the chosen option as written in the template ("4 独立完成").
    pub answers: BTreeMap<String, String>,
    pub score: i32,
    pub max_score: i32,
    /// The band's result (for capability, the level).
    pub result: String,
    pub assessed_on: NaiveDate,
    /// When the reassessment (复评) is due.
    pub next_on: Option<NaiveDate>,
    /// Who recorded it (username).
    pub assessor_name: String,
    pub created_ms: i64,
    /// Why the result is not the score's band (昏迷 → 完全失能, 加重一级 …); empty when it is.
    pub adjusted_by: Vec<String>,
}

fn view(m: assessment::Model) -> AssessmentView {
    let t = templates::get(&m.template_code);
    AssessmentView {
        template_name: t.map(|t| t.name.clone()).unwrap_or_else(|| m.template_code.clone()),
        max_score: t.map(Template::max_score).unwrap_or(0),
        answers: serde_json::from_str(&m.answers_json).unwrap_or_default(),
        id: m.id,
        person_id: m.person_id,
        template_code: m.template_code,
        score: m.score,
        result: m.result,
        assessed_on: m.assessed_on,
        next_on: m.next_on,
        assessor_name: m.assessor_name,
        created_ms: m.created_ms,
        adjusted_by: m.adjusted_by.map(|s| s.lines().map(str::to_string).collect()).unwrap_or_default(),
    }
}

/// Record a filled assessment for a person the actor may edit. Audited "assessment.create".
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    person_id: &str,
    input: &AssessmentInput,
    now_ms: i64,
) -> AppResult<AssessmentView> {
    let person = find(db, actor, person_id).await?;
    if !may_edit(actor, &person) {
        return Err(AppError::Forbidden);
    }
    let template = templates::get(&input.template_code)
        .ok_or_else(|| AppError::field("template_code", "评估表：请从列表中选择"))?;
    let mut errors = Vec::new();
    let outcome = match template.evaluate(&input.answers) {
        Ok(o) => Some(o),
        Err(AppError::Validation(e)) => {
            errors.extend(e);
            None
        }
        Err(e) => return Err(e),
    };
    let assessed_on = input.assessed_on;
    if assessed_on.is_none() {
        errors.push(FieldError::new("assessed_on", "评估日期：不能为空"));
    }
    let next_on = match (input.next_on, assessed_on) {
        (Some(n), Some(a)) if n <= a => {
            errors.push(FieldError::new("next_on", "复评日期：应晚于评估日期"));
            None
        }
        (Some(n), _) => Some(n),
        (None, Some(a)) => a.checked_add_months(Months::new(template.reassess_months)),
        (None, None) => None,
    };
    let (Some(outcome), Some(assessed_on), true) = (outcome, assessed_on, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let m = assessment::ActiveModel {
        id: Set(new_id()),
        person_id: Set(person.id.clone()),
        template_code: Set(template.code.clone()),
        answers_json: Set(serde_json::to_string(&outcome.answers).unwrap_or_else(|_| "{}".into())),
        score: Set(outcome.score),
        result: Set(outcome.result.clone()),
        assessed_on: Set(assessed_on),
        next_on: Set(next_on),
        assessor_user_id: Set(actor.user_id.clone()),
        assessor_name: Set(actor.username.clone()),
        created_ms: Set(now_ms),
        adjusted_by: Set(Some(outcome.adjusted_by.join("\n")).filter(|s| !s.is_empty())),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    let v = view(m);
    Event::new(actor, now_ms, "assessment.create", "assessment", &v.id).after(&v).write(db).await?;
    Ok(v)
}

/// A person's assessments, newest first.
pub async fn history<C: ConnectionTrait>(db: &C, actor: &Actor, person_id: &str) -> AppResult<Vec<AssessmentView>> {
    let person = find(db, actor, person_id).await?;
    let rows = assessment::Entity::find()
        .filter(assessment::Column::PersonId.eq(person.id))
        .order_by_desc(assessment::Column::AssessedOn)
        .order_by_desc(assessment::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().map(view).collect())
}

/// One assessment of a person in the actor's scope.
pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, person_id: &str, id: &str) -> AppResult<AssessmentView> {
    let person = find(db, actor, person_id).await?;
    assessment::Entity::find_by_id(id)
        .filter(assessment::Column::PersonId.eq(person.id))
        .one(db)
        .await
        .map_err(db_err)?
        .map(view)
        .ok_or_else(|| AppError::NotFound("评估记录".into()))
}

/// The date of each person's latest assessment (any template); persons never assessed are
/// absent. Not scoped: for callers that already hold scoped person ids (project progress).
pub async fn latest_on<C: ConnectionTrait>(db: &C, person_ids: &[String]) -> AppResult<HashMap<String, NaiveDate>> {
    let mut out: HashMap<String, NaiveDate> = HashMap::new();
    for chunk in person_ids.chunks(500) {
        let rows = assessment::Entity::find()
            .filter(assessment::Column::PersonId.is_in(chunk.iter().cloned()))
            .all(db)
            .await
            .map_err(db_err)?;
        for r in rows {
            let e = out.entry(r.person_id).or_insert(r.assessed_on);
            if r.assessed_on > *e {
                *e = r.assessed_on;
            }
        }
    }
    Ok(out)
}

/// The first assessment date of each person enrolled in a project (for "file built within a
/// month of the start"). Not scoped: for callers that already hold the project in scope.
pub async fn first_in_project<C: ConnectionTrait>(db: &C, project_id: &str) -> AppResult<HashMap<String, NaiveDate>> {
    let rows: Vec<(String, NaiveDate)> = assessment::Entity::find()
        .select_only()
        .column(assessment::Column::PersonId)
        .column(assessment::Column::AssessedOn)
        .filter(assessment::Column::PersonId.in_subquery(crate::projects::person_ids_of(project_id)))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let mut out: HashMap<String, NaiveDate> = HashMap::new();
    for (person, on) in rows {
        let e = out.entry(person).or_insert(on);
        if on < *e {
            *e = on;
        }
    }
    Ok(out)
}
