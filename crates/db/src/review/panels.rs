//! Drawing a review panel (抽取评审专家) with a recorded seed and pool snapshot, and assigning its
//! members to the program's screened applications.

use std::collections::{BTreeSet, HashMap};

use domain::review::{AggregationMethod, DrawRequest, Expert, Rubric, chongchuan_rubric, draw_panel};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::{blind_label, experts::list_experts, managed_program, to_json};
use crate::audit::Event;
use crate::entity::{
    application, expert, organization, review_assignment as ra, review_panel, review_panel_member, track,
};
use crate::{Actor, AppError, AppResult, FieldError, db_err, new_id};

/// What the operator asks for.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DrawInput {
    pub program_id: String,
    /// Empty = every track of the program.
    #[serde(default)]
    pub track_code: String,
    #[serde(default)]
    pub name: String,
    pub size: usize,
    #[serde(default)]
    pub required_fields: Vec<String>,
    #[serde(default)]
    pub avoid_same_street: bool,
    #[serde(default)]
    pub blind: bool,
    /// The program's rubric; the Chongchuan rubric when absent.
    #[serde(default)]
    pub rubric: Option<Rubric>,
}

fn street(area: Option<&str>) -> Option<String> {
    area.filter(|a| a.len() >= 9).map(|a| a[..9].to_string())
}

/// Draw a panel for the program's `screened_pass` applications (of the track, when given) and
/// assign its members to each of them. The seed is the caller's (recorded with the pool
/// snapshot); the draw avoids every applicant organization and, when asked, the street of the
/// applicants when they share one. A member of the same street as one applicant only is kept on
/// the panel but not assigned to that application (status `avoided`, with the reason).
pub async fn draw<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: &DrawInput,
    seed: u64,
    now_ms: i64,
) -> AppResult<String> {
    let program = managed_program(db, actor, &input.program_id).await?;
    let track_code = input.track_code.trim().to_string();
    if !track_code.is_empty() {
        track::Entity::find()
            .filter(track::Column::ProgramId.eq(program.id.as_str()))
            .filter(track::Column::Code.eq(track_code.as_str()))
            .one(db)
            .await
            .map_err(db_err)?
            .ok_or_else(|| AppError::Validation(vec![FieldError::new("track_code", "赛道：本计划没有该赛道")]))?;
    }
    let rubric = input.rubric.clone().unwrap_or_else(chongchuan_rubric);
    rubric.validate().map_err(AppError::Validation)?;
    let mut q = application::Entity::find()
        .filter(application::Column::ProgramId.eq(program.id.as_str()))
        .filter(application::Column::Status.eq("screened_pass"));
    if !track_code.is_empty() {
        q = q.filter(application::Column::TrackCode.eq(track_code.as_str()));
    }
    let apps = q.order_by_asc(application::Column::Id).all(db).await.map_err(db_err)?;
    if apps.is_empty() {
        return Err(AppError::Conflict("没有通过初筛的申报书，无需抽取评审专家".into()));
    }
    let org_ids: BTreeSet<String> = apps.iter().map(|a| a.organization_id.clone()).collect();
    // experts affiliated with a confirmed joint applicant are avoided like the applicant's own
    let joint: Vec<String> = crate::entity::application_joint::Entity::find()
        .filter(crate::entity::application_joint::Column::ApplicationId.is_in(apps.iter().map(|a| a.id.clone())))
        .filter(crate::entity::application_joint::Column::Status.eq("confirmed"))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|j| j.organization_id)
        .collect();
    let orgs: HashMap<String, organization::Model> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids.iter().cloned()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    let street_of = |org: &str| street(orgs.get(org).and_then(|o| o.area_code.as_deref()));
    let streets: BTreeSet<Option<String>> = org_ids.iter().map(|o| street_of(o)).collect();
    let avoid_area_prefix = match (input.avoid_same_street, streets.iter().next()) {
        (true, Some(Some(s))) if streets.len() == 1 => Some(s.clone()),
        _ => None,
    };

    let pool: Vec<Expert> = list_experts(db, actor, true).await?.iter().map(|e| e.to_domain()).collect();
    let required_fields: Vec<String> =
        input.required_fields.iter().map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect();
    let request = DrawRequest {
        size: input.size,
        required_fields: required_fields.clone(),
        avoid_organizations: org_ids.iter().cloned().chain(joint).collect::<BTreeSet<_>>().into_iter().collect(),
        avoid_area_prefix,
        seed,
    };
    let result = draw_panel(&pool, &request)
        .map_err(|e| AppError::Validation(vec![FieldError::new("size", format!("抽取人数：{e}"))]))?;
    let experts: HashMap<&str, &Expert> = pool.iter().map(|e| (e.id.as_str(), e)).collect();
    let users: HashMap<String, Option<String>> = expert::Entity::find()
        .filter(expert::Column::Id.is_in(result.chosen.clone()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|e| (e.id, e.user_id))
        .collect();

    let txn = db.begin().await.map_err(db_err)?;
    let panel_id = new_id();
    let name = match input.name.trim() {
        "" => format!("{}评审专家小组", if track_code.is_empty() { program.name.clone() } else { track_code.clone() }),
        n => n.to_string(),
    };
    review_panel::ActiveModel {
        id: Set(panel_id.clone()),
        program_id: Set(program.id.clone()),
        track_code: Set(track_code.clone()),
        name: Set(name),
        panel_size: Set(i32::try_from(input.size).unwrap_or(i32::MAX)),
        required_fields_json: Set(to_json(&required_fields)),
        avoid_same_street: Set(input.avoid_same_street),
        blind: Set(input.blind),
        seed: Set(seed.to_string()),
        algorithm: Set(result.algorithm.clone()),
        request_json: Set(to_json(&request)),
        pool_json: Set(to_json(&pool)),
        draw_json: Set(to_json(&result)),
        rubric_json: Set(to_json(&rubric)),
        method_json: Set(to_json(&AggregationMethod::default())),
        created_by: Set(actor.user_id.clone()),
        created_ms: Set(now_ms),
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    let mut notify_users = BTreeSet::new();
    for (pos, expert_id) in result.chosen.iter().enumerate() {
        let user_id = users.get(expert_id).cloned().flatten();
        review_panel_member::ActiveModel {
            id: Set(new_id()),
            panel_id: Set(panel_id.clone()),
            expert_id: Set(expert_id.clone()),
            user_id: Set(user_id.clone()),
            position: Set(i32::try_from(pos + 1).unwrap_or(i32::MAX)),
        }
        .insert(&txn)
        .await
        .map_err(db_err)?;
        let expert_area = experts.get(expert_id.as_str()).and_then(|e| e.area_code.clone());
        for (i, app) in apps.iter().enumerate() {
            let same_street = input.avoid_same_street
                && street_of(&app.organization_id)
                    .is_some_and(|s| expert_area.as_deref().is_some_and(|a| a.starts_with(s.as_str())));
            let (status, reason) = if same_street {
                (
                    "avoided",
                    format!(
                        "本人所在地区（{}）与申报单位属同一街道，按本次抽取要求回避",
                        expert_area.clone().unwrap_or_default()
                    ),
                )
            } else {
                if let Some(u) = &user_id {
                    notify_users.insert(u.clone());
                }
                ("pending", String::new())
            };
            ra::ActiveModel {
                id: Set(new_id()),
                panel_id: Set(panel_id.clone()),
                application_id: Set(app.id.clone()),
                expert_id: Set(expert_id.clone()),
                user_id: Set(user_id.clone()),
                status: Set(status.into()),
                reason: Set(reason),
                blind_label: Set(blind_label(i)),
                declared_ms: Set(None),
                created_ms: Set(now_ms),
            }
            .insert(&txn)
            .await
            .map_err(db_err)?;
        }
    }
    Event::new(actor, now_ms, "review_panel.draw", "review_panel", &panel_id)
        .after(&serde_json::json!({
            "program_id": program.id, "track_code": track_code, "seed": seed.to_string(),
            "algorithm": result.algorithm, "chosen": result.chosen, "excluded": result.excluded,
            "applications": apps.len(), "blind": input.blind,
        }))
        .write(&txn)
        .await?;
    let users: Vec<String> = notify_users.into_iter().collect();
    crate::notifications::notify(
        &txn,
        &users,
        "review.assigned",
        &format!("您已被抽取为“{}”的评审专家，请先作利益冲突声明再评分", program.name),
        "/review",
        now_ms,
    )
    .await?;
    txn.commit().await.map_err(db_err)?;
    Ok(panel_id)
}
