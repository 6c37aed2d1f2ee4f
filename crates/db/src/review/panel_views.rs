//! Reading recorded panels: the list, one panel with its draw and assignments, and the replay of
//! a draw from its stored seed and pool snapshot.

use std::collections::HashMap;

use domain::review::{AggregationMethod, Draw, DrawRequest, Expert, Rubric, draw_panel};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::{managed_program, method_of, rubric_of};
use crate::entity::{application, organization, review_assignment as ra, review_panel, scorecard};
use crate::{Actor, AppError, AppResult, db_err};

#[derive(Debug, Clone, Serialize)]
pub struct PanelSummary {
    pub id: String,
    pub program_id: String,
    pub track_code: String,
    pub name: String,
    pub size: i32,
    pub required_fields: Vec<String>,
    pub avoid_same_street: bool,
    pub blind: bool,
    pub seed: String,
    pub algorithm: String,
    pub created_ms: i64,
}

/// One assignment as the panel page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PanelAssignment {
    pub id: String,
    pub application_id: String,
    pub application_title: String,
    pub organization_name: String,
    pub blind_label: String,
    pub expert_id: String,
    pub expert_name: String,
    /// pending / active / conflict / avoided
    pub status: String,
    pub reason: String,
    /// none / draft / signed
    pub card: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PanelView {
    #[serde(flatten)]
    pub summary: PanelSummary,
    /// (expert id, name) in draw order.
    pub members: Vec<(String, String)>,
    pub draw: Draw,
    pub rubric: Rubric,
    pub method: AggregationMethod,
    pub assignments: Vec<PanelAssignment>,
}

/// A recorded draw recomputed from its stored seed and pool snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct Replay {
    pub stored: Draw,
    pub recomputed: Option<Draw>,
    pub error: Option<String>,
    pub matches: bool,
}

pub(crate) fn summary(p: &review_panel::Model) -> PanelSummary {
    PanelSummary {
        id: p.id.clone(),
        program_id: p.program_id.clone(),
        track_code: p.track_code.clone(),
        name: p.name.clone(),
        size: p.panel_size,
        required_fields: super::json_list(&p.required_fields_json),
        avoid_same_street: p.avoid_same_street,
        blind: p.blind,
        seed: p.seed.clone(),
        algorithm: p.algorithm.clone(),
        created_ms: p.created_ms,
    }
}

pub(super) async fn panel_model<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<review_panel::Model> {
    let p = review_panel::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("评审小组".into()))?;
    managed_program(db, actor, &p.program_id).await.map_err(|_| AppError::NotFound("评审小组".into()))?;
    Ok(p)
}

/// Panels of the programs the actor manages (of one program when given), newest first.
pub async fn list_panels<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    program_id: Option<&str>,
) -> AppResult<Vec<PanelSummary>> {
    actor.require(&super::MANAGERS).map_err(|_| AppError::NotFound("评审小组".into()))?;
    let mut q = review_panel::Entity::find();
    if let Some(p) = program_id.filter(|p| !p.is_empty()) {
        q = q.filter(review_panel::Column::ProgramId.eq(p));
    }
    let rows = q.order_by_desc(review_panel::Column::Id).all(db).await.map_err(db_err)?;
    let mut out = Vec::new();
    let mut allowed: HashMap<String, bool> = HashMap::new();
    for p in rows {
        let ok = match allowed.get(&p.program_id) {
            Some(ok) => *ok,
            None => {
                let ok = managed_program(db, actor, &p.program_id).await.is_ok();
                allowed.insert(p.program_id.clone(), ok);
                ok
            }
        };
        if ok {
            out.push(summary(&p));
        }
    }
    Ok(out)
}

pub async fn get_panel<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<PanelView> {
    let p = panel_model(db, actor, id).await?;
    let draw: Draw = serde_json::from_str(&p.draw_json).map_err(|e| AppError::Internal(e.to_string()))?;
    let pool: Vec<Expert> = serde_json::from_str(&p.pool_json).unwrap_or_default();
    let names: HashMap<&str, &str> = pool.iter().map(|e| (e.id.as_str(), e.name.as_str())).collect();
    let members =
        draw.chosen.iter().map(|id| (id.clone(), names.get(id.as_str()).unwrap_or(&"").to_string())).collect();
    let assignments = assignments_of_panel(db, &p, &names).await?;
    Ok(PanelView { summary: summary(&p), members, rubric: rubric_of(&p), method: method_of(&p), draw, assignments })
}

/// Every assignment of a panel with its application, organization and scorecard state.
pub async fn assignments_of_panel<C: ConnectionTrait>(
    db: &C,
    p: &review_panel::Model,
    names: &HashMap<&str, &str>,
) -> AppResult<Vec<PanelAssignment>> {
    let rows = ra::Entity::find()
        .filter(ra::Column::PanelId.eq(p.id.as_str()))
        .order_by_asc(ra::Column::ApplicationId)
        .order_by_asc(ra::Column::ExpertId)
        .all(db)
        .await
        .map_err(db_err)?;
    let app_ids: Vec<String> = rows.iter().map(|r| r.application_id.clone()).collect();
    let apps: HashMap<String, application::Model> = application::Entity::find()
        .filter(application::Column::Id.is_in(app_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    let orgs: HashMap<String, String> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(apps.values().map(|a| a.organization_id.clone())))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let cards: HashMap<String, bool> = scorecard::Entity::find()
        .filter(scorecard::Column::PanelId.eq(p.id.as_str()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| (c.assignment_id, c.signed))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let app = apps.get(&r.application_id);
            PanelAssignment {
                application_title: app.map(|a| a.title.clone()).unwrap_or_default(),
                organization_name: app.and_then(|a| orgs.get(&a.organization_id).cloned()).unwrap_or_default(),
                expert_name: names.get(r.expert_id.as_str()).unwrap_or(&"").to_string(),
                card: match cards.get(&r.id) {
                    Some(true) => "signed",
                    Some(false) => "draft",
                    None => "none",
                }
                .into(),
                id: r.id,
                application_id: r.application_id,
                blind_label: r.blind_label,
                expert_id: r.expert_id,
                status: r.status,
                reason: r.reason,
            }
        })
        .collect())
}

/// Recompute a recorded draw from its stored request (with the seed) and pool snapshot.
pub async fn replay<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<Replay> {
    let p = panel_model(db, actor, id).await?;
    let stored: Draw = serde_json::from_str(&p.draw_json).map_err(|e| AppError::Internal(e.to_string()))?;
    let pool: Vec<Expert> = serde_json::from_str(&p.pool_json).map_err(|e| AppError::Internal(e.to_string()))?;
    let request: DrawRequest = serde_json::from_str(&p.request_json).map_err(|e| AppError::Internal(e.to_string()))?;
    let (recomputed, error) = match draw_panel(&pool, &request) {
        Ok(d) => (Some(d), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let matches = recomputed.as_ref() == Some(&stored) && request.seed.to_string() == p.seed;
    Ok(Replay { stored, recomputed, error, matches })
}
