//! Supervision (督导): a session with its length, supervisor and supervisees (人次). Hangzhou B
//! asks for ≥60 person-times and 120 hours; hours are session hours, not multiplied by the
//! number of supervisees.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde::{Deserialize, Serialize};

use super::{WorkerInput, count, recordable, required, today, validated, work_date, worker};
use crate::entity::supervision;
use crate::{Actor, AppResult, FieldError};

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupervisionInput {
    pub topic: String,
    pub held_on: Option<NaiveDate>,
    pub minutes: i64,
    /// Number of supervisees (人次).
    pub supervisees: i64,
    /// Their names, one per line (optional).
    #[serde(default)]
    pub supervisee_names: String,
    /// The supervisor.
    #[serde(flatten)]
    pub worker: WorkerInput,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupervisionView {
    pub id: String,
    pub project_id: String,
    pub topic: String,
    pub held_on: NaiveDate,
    pub minutes: i32,
    pub supervisees: i32,
    pub supervisee_names: String,
    pub worker_member_id: Option<String>,
    pub worker_name: String,
    pub notes: String,
    pub created_ms: i64,
}

fn view(r: supervision::Model) -> SupervisionView {
    SupervisionView {
        id: r.id,
        project_id: r.project_id,
        topic: r.topic,
        held_on: r.held_on,
        minutes: r.minutes,
        supervisees: r.supervisees,
        supervisee_names: r.supervisee_names,
        worker_member_id: r.worker_member_id,
        worker_name: r.worker_name,
        notes: r.notes,
        created_ms: r.created_ms,
    }
}

async fn check<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    input: &SupervisionInput,
    now_ms: i64,
    a: &mut supervision::ActiveModel,
) -> AppResult<()> {
    let p = recordable(db, actor, project_id).await?;
    let mut e: Vec<FieldError> = Vec::new();
    let topic = required(&input.topic, 200, "topic", "督导主题", &mut e);
    let held_on = work_date(input.held_on, &p, today(now_ms), "held_on", "督导日期", &mut e);
    let minutes = count(input.minutes, 24 * 60, "minutes", "督导时长（分钟）", &mut e);
    if minutes == 0 && !e.iter().any(|x| x.field == "minutes") {
        e.push(FieldError::new("minutes", "督导时长（分钟）：应大于0"));
    }
    let supervisees = count(input.supervisees, 10_000, "supervisees", "受督导人数", &mut e);
    if supervisees == 0 && !e.iter().any(|x| x.field == "supervisees") {
        e.push(FieldError::new("supervisees", "受督导人数：至少1人"));
    }
    let (member, name) = worker(&p, actor, &input.worker, &mut e);
    validated(e)?;
    a.topic = Set(topic);
    a.held_on = Set(held_on);
    a.minutes = Set(minutes);
    a.supervisees = Set(supervisees);
    a.supervisee_names = Set(input.supervisee_names.trim().to_string());
    a.worker_member_id = Set(member);
    a.worker_name = Set(name);
    a.notes = Set(input.notes.trim().to_string());
    a.updated_ms = Set(now_ms);
    Ok(())
}

super::plain_kind!(
    supervision,
    SupervisionInput,
    SupervisionView,
    "督导",
    " The project's supervision sessions, newest first."
);
