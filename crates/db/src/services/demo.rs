//! Demo records for the demo projects (titles starting with 示例·) that have people but no
//! service records yet: service records, a case with its plan, a group of eight with four
//! sessions, an activity with sign-ins, a training, a supervision session, and a volunteer team
//! with paired volunteers and hours. Dated between the project start and today.

use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use super::{WorkerInput, activities, cases, groups, records, supervision, today, trainings, volunteers};
use crate::crypto::Keys;
use crate::entity::{project, project_member, project_person, service_record};
use crate::{Actor, AppResult, db_err};

const TYPES: [&str; 6] = ["cleaning", "companionship", "medical", "errands", "meals", "policy"];

/// Load the demo records; returns the number of projects filled.
pub async fn load(db: &DatabaseConnection, keys: &Keys, now_ms: i64) -> AppResult<usize> {
    let day = today(now_ms);
    let projects =
        project::Entity::find().filter(project::Column::Title.starts_with("示例·")).all(db).await.map_err(db_err)?;
    let mut filled = 0;
    for p in projects {
        let have = service_record::Entity::find()
            .filter(service_record::Column::ProjectId.eq(p.id.as_str()))
            .count(db)
            .await
            .map_err(db_err)?;
        let people: Vec<String> = project_person::Entity::find()
            .filter(project_person::Column::ProjectId.eq(p.id.as_str()))
            .order_by_asc(project_person::Column::Id)
            .all(db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|x| x.person_id)
            .collect();
        if have > 0 || people.len() < 8 || p.start_on > day {
            continue;
        }
        let actor = crate::demo_projects::demo_actor(&p.organization_id);
        let worker: Option<String> = project_member::Entity::find()
            .filter(project_member::Column::ProjectId.eq(p.id.as_str()))
            .order_by_asc(project_member::Column::Id)
            .all(db)
            .await
            .map_err(db_err)?
            .into_iter()
            .find(|m| m.role == "social_worker")
            .map(|m| m.id);
        let w = WorkerInput { worker_member_id: worker, worker_name: String::new() };
        let on = |n: u64| p.start_on.checked_add_days(Days::new(n)).unwrap_or(p.start_on).min(day);
        fill(db, keys, &actor, &w, &p.id, &people, &on, day, now_ms).await?;
        filled += 1;
    }
    Ok(filled)
}

#[allow(clippy::too_many_arguments)]
async fn fill(
    db: &DatabaseConnection,
    keys: &Keys,
    actor: &Actor,
    w: &WorkerInput,
    id: &str,
    people: &[String],
    on: &dyn Fn(u64) -> NaiveDate,
    day: NaiveDate,
    now_ms: i64,
) -> AppResult<()> {
    for (i, t) in TYPES.iter().enumerate() {
        let input = records::ServiceRecordInput {
            service_type: t.to_string(),
            served_on: Some(on(3 * i as u64)),
            worker: w.clone(),
            person_ids: vec![people[i].clone(), people[i + 1].clone()],
            minutes: 60,
            notes: "示例服务记录（虚构）".into(),
        };
        records::create(db, actor, id, &input, now_ms).await?;
    }
    let case = cases::CaseInput {
        person_id: people[0].clone(),
        title: "示例·独居老人情绪支持".into(),
        opened_on: Some(on(0)),
        worker: w.clone(),
        summary: "社区转介，老人近期情绪低落（虚构）".into(),
    };
    let c = cases::create(db, actor, id, &case, now_ms).await?;
    let plan = cases::EntryInput {
        stage: "plan".into(),
        entry_on: Some(on(7)),
        summary: "与老人共同制定服务计划".into(),
        goals: vec!["每周参加一次社区活动".into(), "与两位邻居建立联系".into()],
    };
    cases::add_entry(db, actor, id, &c.id, &plan, now_ms).await?;
    let g = groups::GroupInput {
        title: "示例·长者健康互助小组".into(),
        goal: "增进健康知识，建立互助关系".into(),
        worker: w.clone(),
        person_ids: people[..8].to_vec(),
        names: Vec::new(),
    };
    let g = groups::create(db, actor, id, &g, now_ms).await?;
    let (_, members, _) = groups::get(db, actor, id, &g.id).await?;
    for s in 0..4u64 {
        let input = groups::SessionInput {
            held_on: Some(on(2 + 5 * s)),
            topic: format!("第{}次小组活动", s + 1),
            present: members.iter().take(6 + (s as usize % 3)).map(|m| m.id.clone()).collect(),
            notes: String::new(),
        };
        groups::add_session(db, actor, id, &g.id, &input, now_ms).await?;
    }
    let a = activities::ActivityInput {
        title: "示例·社区健康义诊".into(),
        held_on: Some(day),
        place: "社区活动室".into(),
        worker: w.clone(),
        head_count: 25,
        notes: String::new(),
    };
    let a = activities::create(db, actor, id, &a, now_ms).await?;
    activities::sign_in(db, keys, &a.signin_token, "示例·钱女士", "13700000001", now_ms).await?;
    activities::sign_in(db, keys, &a.signin_token, "示例·孙先生", "13700000002", now_ms).await?;
    let t = trainings::TrainingInput {
        title: "示例·居家照护技能培训".into(),
        held_on: Some(on(10)),
        minutes: 120,
        trainees: 20,
        examined: 20,
        passed: 17,
        worker: w.clone(),
        ..Default::default()
    };
    trainings::create(db, actor, id, &t, now_ms).await?;
    let s = supervision::SupervisionInput {
        topic: "示例·个案督导".into(),
        held_on: Some(on(12)),
        minutes: 120,
        supervisees: 4,
        worker: w.clone(),
        ..Default::default()
    };
    supervision::create(db, actor, id, &s, now_ms).await?;
    let team = volunteers::create_team(db, actor, id, "示例·邻里守望志愿服务队", now_ms).await?;
    for (i, name) in ["示例·志愿者甲", "示例·志愿者乙", "示例·志愿者丙"].iter().enumerate() {
        let v = volunteers::VolunteerInput {
            name: name.to_string(),
            phone: format!("1370000010{i}"),
            team_id: Some(team.id.clone()),
            person_ids: vec![people[i].clone()],
        };
        let v = volunteers::create(db, actor, keys, id, &v, now_ms).await?;
        let h = volunteers::HoursInput { served_on: Some(on(5 + i as u64)), minutes: 120, notes: String::new() };
        volunteers::add_hours(db, actor, id, &v.id, &h, now_ms).await?;
    }
    Ok(())
}
