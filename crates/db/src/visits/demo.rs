//! Demo visits: a few weeks of past home visits by each demo project's worker, so progress pages
//! start with moving numbers; one doubtful visit per project waits for the supervisor.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, TransactionTrait,
};

use crate::entity::{project, project_member, project_person, visit};
use crate::{AppResult, db_err, new_id};

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Insert demo visits for the 示例 projects that have people and no visits yet; returns how many.
pub async fn load(db: &DatabaseConnection, now_ms: i64) -> AppResult<usize> {
    let txn = db.begin().await.map_err(db_err)?;
    let projects =
        project::Entity::find().filter(project::Column::Title.starts_with("示例·")).all(&txn).await.map_err(db_err)?;
    let mut created = 0;
    for p in projects {
        let any = visit::Entity::find().filter(visit::Column::ProjectId.eq(p.id.as_str())).one(&txn).await;
        if any.map_err(db_err)?.is_some() {
            continue;
        }
        let members =
            project_member::Entity::find().filter(project_member::Column::ProjectId.eq(p.id.as_str())).all(&txn).await;
        let Some(worker) = members.map_err(db_err)?.into_iter().find_map(|m| m.user_id) else { continue };
        let people =
            project_person::Entity::find().filter(project_person::Column::ProjectId.eq(p.id.as_str())).all(&txn).await;
        let people = people.map_err(db_err)?;
        // two thirds of the people were visited weekly for the last three weeks
        for (i, pp) in people.iter().enumerate().filter(|(i, _)| i % 3 != 2) {
            for week in 1..=3i64 {
                let at = now_ms - week * 7 * DAY_MS - (i as i64 % 5) * 3600 * 1000;
                let doubtful = i == 0 && week == 1;
                visit_row(&p.id, pp, &worker, at, doubtful).into_active_model().insert(&txn).await.map_err(db_err)?;
                created += 1;
            }
        }
        super::tally::rebuild_project(&txn, &p.id, now_ms).await?;
    }
    txn.commit().await.map_err(db_err)?;
    Ok(created)
}

fn visit_row(project_id: &str, pp: &project_person::Model, worker: &str, at_ms: i64, doubtful: bool) -> visit::Model {
    visit::Model {
        id: new_id(),
        project_id: project_id.to_string(),
        project_person_id: pp.id.clone(),
        person_id: pp.person_id.clone(),
        worker_user_id: worker.to_string(),
        card_id: None,
        channel: "home".into(),
        recorded_ms: at_ms,
        occurred_ms: at_ms,
        lat_e6: None,
        lng_e6: None,
        accuracy_m: None,
        photo_key: None,
        services_json: r#"["陪聊"]"#.into(),
        notes: if doubtful {
            "示例：停留时间很短".into()
        } else {
            "示例：上门探访，老人身体状况良好".into()
        },
        duration_min: if doubtful { 2 } else { 30 },
        anomalies_json: if doubtful {
            r#"[{"kind":"too_short","message":"探访仅 2 分钟，短于最短时长"}]"#.into()
        } else {
            "[]".into()
        },
        review: if doubtful { "flagged".into() } else { "ok".into() },
        reviewed_by: None,
        reviewed_ms: None,
        review_note: String::new(),
    }
}
