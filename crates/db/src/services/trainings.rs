//! Trainings (培训): a session with its class time, trainees and assessment results (Hangzhou
//! caregiver training: ≥150 trained, pass rate ≥80%, ≥20 class hours; a 学时 is 60 minutes).

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde::{Deserialize, Serialize};

use super::{WorkerInput, count, recordable, required, today, validated, work_date, worker};
use crate::entity::training;
use crate::{Actor, AppResult, FieldError};

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingInput {
    pub title: String,
    pub held_on: Option<NaiveDate>,
    /// Class time in minutes.
    pub minutes: i64,
    pub trainees: i64,
    /// Trainees who sat the assessment.
    #[serde(default)]
    pub examined: i64,
    #[serde(default)]
    pub passed: i64,
    /// Participants' names, one per line (optional).
    #[serde(default)]
    pub participants: String,
    /// The trainer.
    #[serde(flatten)]
    pub worker: WorkerInput,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingView {
    pub id: String,
    pub project_id: String,
    pub title: String,
    pub held_on: NaiveDate,
    pub minutes: i32,
    pub trainees: i32,
    pub examined: i32,
    pub passed: i32,
    /// passed / examined in whole percent, when anyone was examined.
    pub pass_rate: Option<u32>,
    pub participants: String,
    pub worker_member_id: Option<String>,
    pub worker_name: String,
    pub notes: String,
    pub created_ms: i64,
}

fn view(r: training::Model) -> TrainingView {
    let pass_rate =
        (r.examined > 0).then(|| u32::try_from(i64::from(r.passed) * 100 / i64::from(r.examined)).unwrap_or(0));
    TrainingView {
        pass_rate,
        id: r.id,
        project_id: r.project_id,
        title: r.title,
        held_on: r.held_on,
        minutes: r.minutes,
        trainees: r.trainees,
        examined: r.examined,
        passed: r.passed,
        participants: r.participants,
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
    input: &TrainingInput,
    now_ms: i64,
    a: &mut training::ActiveModel,
) -> AppResult<()> {
    let p = recordable(db, actor, project_id).await?;
    let mut e: Vec<FieldError> = Vec::new();
    let title = required(&input.title, 200, "title", "培训主题", &mut e);
    let held_on = work_date(input.held_on, &p, today(now_ms), "held_on", "培训日期", &mut e);
    let minutes = count(input.minutes, 24 * 60, "minutes", "培训时长（分钟）", &mut e);
    if minutes == 0 && !e.iter().any(|x| x.field == "minutes") {
        e.push(FieldError::new("minutes", "培训时长（分钟）：应大于0"));
    }
    let trainees = count(input.trainees, 100_000, "trainees", "参训人数", &mut e);
    let examined = count(input.examined, 100_000, "examined", "参加考核人数", &mut e);
    let passed = count(input.passed, 100_000, "passed", "考核合格人数", &mut e);
    if examined > trainees {
        e.push(FieldError::new("examined", "参加考核人数：不能多于参训人数"));
    }
    if passed > examined {
        e.push(FieldError::new("passed", "考核合格人数：不能多于参加考核人数"));
    }
    let (member, name) = worker(&p, actor, &input.worker, &mut e);
    validated(e)?;
    a.title = Set(title);
    a.held_on = Set(held_on);
    a.minutes = Set(minutes);
    a.trainees = Set(trainees);
    a.examined = Set(examined);
    a.passed = Set(passed);
    a.participants = Set(input.participants.trim().to_string());
    a.worker_member_id = Set(member);
    a.worker_name = Set(name);
    a.notes = Set(input.notes.trim().to_string());
    a.updated_ms = Set(now_ms);
    Ok(())
}

super::plain_kind!(training, TrainingInput, TrainingView, "培训", " The project's trainings, newest first.");
