//! The child risk grade (儿童风险等级) of a person: the three inputs are graded by
//! `domain::delivery::risk::grade` with the default table (data), recorded with the date it was
//! set and by whom; the latest counts, the earlier ones stay as history.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::delivery::{Grade, RiskInputs, RiskTable, grade};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use crate::audit::Event;
use crate::entity::risk_grade;
use crate::persons::{find, may_edit};
use crate::{Actor, AppError, AppResult, db_err, new_id};

#[derive(Debug, Clone, Deserialize)]
pub struct RiskInput {
    pub inputs: RiskInputs,
    pub set_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct RiskGradeView {
    pub id: String,
    pub person_id: String,
    pub inputs: Option<RiskInputs>,
    pub grade: Grade,
    pub reason: String,
    pub set_on: NaiveDate,
    pub set_by_name: String,
    pub created_ms: i64,
}

fn grade_of(code: &str) -> Grade {
    serde_json::from_value(serde_json::Value::String(code.to_string())).unwrap_or(Grade::Red)
}

fn code_of(g: Grade) -> String {
    serde_json::to_value(g).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn view(m: risk_grade::Model) -> RiskGradeView {
    RiskGradeView {
        inputs: serde_json::from_str(&m.inputs_json).ok(),
        grade: grade_of(&m.grade),
        id: m.id,
        person_id: m.person_id,
        reason: m.reason,
        set_on: m.set_on,
        set_by_name: m.set_by_name,
        created_ms: m.created_ms,
    }
}

/// Grade a person with the default table and record it. Audited "risk_grade.set".
pub async fn set<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    person_id: &str,
    input: &RiskInput,
    now_ms: i64,
) -> AppResult<RiskGradeView> {
    let person = find(db, actor, person_id).await?;
    if !may_edit(actor, &person) {
        return Err(AppError::Forbidden);
    }
    let (g, reason) = grade(&RiskTable::chongchuan_default(), &input.inputs);
    let m = risk_grade::ActiveModel {
        id: Set(new_id()),
        person_id: Set(person.id),
        inputs_json: Set(serde_json::to_string(&input.inputs).unwrap_or_else(|_| "{}".into())),
        grade: Set(code_of(g)),
        reason: Set(reason.chars().take(300).collect()),
        set_on: Set(input.set_on),
        set_by: Set(actor.user_id.clone()),
        set_by_name: Set(actor.username.clone()),
        created_ms: Set(now_ms),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    let v = view(m);
    Event::new(actor, now_ms, "risk_grade.set", "person", &v.person_id).after(&v).write(db).await?;
    Ok(v)
}

/// A person's grades, newest first.
pub async fn history<C: ConnectionTrait>(db: &C, actor: &Actor, person_id: &str) -> AppResult<Vec<RiskGradeView>> {
    let person = find(db, actor, person_id).await?;
    let rows = risk_grade::Entity::find()
        .filter(risk_grade::Column::PersonId.eq(person.id))
        .order_by_desc(risk_grade::Column::SetOn)
        .order_by_desc(risk_grade::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().map(view).collect())
}

/// The current grade of each person that has one (latest `set_on`, then latest recorded). Not
/// scoped: for callers holding scoped person ids (visit rules by risk grade).
pub async fn latest<C: ConnectionTrait>(db: &C, person_ids: &[String]) -> AppResult<HashMap<String, Grade>> {
    let mut rows = Vec::new();
    for chunk in person_ids.chunks(500) {
        let q = risk_grade::Entity::find().filter(risk_grade::Column::PersonId.is_in(chunk.iter().cloned()));
        rows.extend(q.all(db).await.map_err(db_err)?);
    }
    Ok(newest(rows))
}

/// The current grade of each person enrolled in a project (one query, however many people).
pub async fn latest_in_project<C: ConnectionTrait>(db: &C, project_id: &str) -> AppResult<HashMap<String, Grade>> {
    let rows = risk_grade::Entity::find()
        .filter(risk_grade::Column::PersonId.in_subquery(crate::projects::person_ids_of(project_id)))
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(newest(rows))
}

/// Each person's newest grade (latest date, then latest id).
fn newest(rows: Vec<risk_grade::Model>) -> HashMap<String, Grade> {
    let mut best: HashMap<String, (NaiveDate, String, Grade)> = HashMap::new();
    for r in rows {
        let key = (r.set_on, r.id.clone());
        let g = grade_of(&r.grade);
        match best.get(&r.person_id) {
            Some((d, id, _)) if (*d, id.clone()) >= key => {}
            _ => {
                best.insert(r.person_id, (key.0, key.1, g));
            }
        }
    }
    best.into_iter().map(|(k, (_, _, g))| (k, g)).collect()
}
