//! The score matrix (评分汇总表): every scorecard of a program, expert × application × criterion,
//! for the Excel export and the printable score sheet of one expert.

use std::collections::HashMap;

use domain::review::{Criterion, Knockout, Score};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use super::{ProgramReview, card_of, managed_program, rubric_of};
use crate::entity::{application, organization};
use crate::{Actor, AppResult, db_err};

#[derive(Debug, Clone, Serialize)]
pub struct MatrixCell {
    pub code: String,
    pub score: Option<Score>,
}

/// One scorecard (or an assignment not scored yet).
#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    pub panel_id: String,
    pub panel_name: String,
    pub expert_id: String,
    pub expert_name: String,
    pub application_id: String,
    pub application_title: String,
    pub organization_name: String,
    pub scores: Vec<MatrixCell>,
    pub knockouts: Vec<String>,
    pub comment: String,
    pub total: Option<Score>,
    pub signed: bool,
    pub signed_ms: Option<i64>,
    /// active / pending / conflict / avoided
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoreMatrix {
    pub program_name: String,
    pub criteria: Vec<Criterion>,
    pub knockouts: Vec<Knockout>,
    pub rows: Vec<MatrixRow>,
}

/// Every assignment of the program's panels with its scorecard, ordered by expert then
/// application. Managers only (others: not found). The criteria are those of the first panel.
pub async fn score_matrix<C: ConnectionTrait>(db: &C, actor: &Actor, program_id: &str) -> AppResult<ScoreMatrix> {
    let program = managed_program(db, actor, program_id).await?;
    let review = ProgramReview::load(db, &program.id).await?;
    let rubric = review.panels.first().map(rubric_of).unwrap_or_else(domain::review::chongchuan_rubric);
    let apps: HashMap<String, application::Model> = application::Entity::find()
        .filter(application::Column::Id.is_in(review.assignments.iter().map(|a| a.application_id.clone())))
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
    let mut names: HashMap<String, String> = HashMap::new();
    for p in &review.panels {
        let pool: Vec<domain::review::Expert> = serde_json::from_str(&p.pool_json).unwrap_or_default();
        names.extend(pool.into_iter().map(|e| (e.id, e.name)));
    }
    let mut rows: Vec<MatrixRow> = review
        .assignments
        .iter()
        .filter_map(|a| {
            let panel = review.panels.iter().find(|p| p.id == a.panel_id)?;
            let app = apps.get(&a.application_id)?;
            let stored = review.cards.iter().find(|c| c.assignment_id == a.id);
            let card = stored.map(card_of);
            let panel_rubric = rubric_of(panel);
            Some(MatrixRow {
                panel_id: panel.id.clone(),
                panel_name: panel.name.clone(),
                expert_id: a.expert_id.clone(),
                expert_name: names.get(&a.expert_id).cloned().unwrap_or_default(),
                application_id: app.id.clone(),
                application_title: app.title.clone(),
                organization_name: orgs.get(&app.organization_id).cloned().unwrap_or_default(),
                scores: rubric
                    .criteria
                    .iter()
                    .map(|c| MatrixCell {
                        code: c.code.clone(),
                        score: card.as_ref().and_then(|k| k.scores.get(&c.code).copied()),
                    })
                    .collect(),
                knockouts: card
                    .as_ref()
                    .map(|k| {
                        k.knockouts_failed
                            .iter()
                            .map(|code| panel_rubric.knockout(code).map_or(code.clone(), |x| x.text.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                comment: card.as_ref().map(|k| k.comment.clone()).unwrap_or_default(),
                total: card.as_ref().map(|k| Score::from_ten_thousandths(panel_rubric.weighted_total_e4(k))),
                signed: stored.is_some_and(|c| c.signed),
                signed_ms: stored.and_then(|c| c.signed_ms),
                status: a.status.clone(),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.expert_name.as_str(), a.expert_id.as_str(), a.application_id.as_str()).cmp(&(
            b.expert_name.as_str(),
            b.expert_id.as_str(),
            b.application_id.as_str(),
        ))
    });
    Ok(ScoreMatrix { program_name: program.name, criteria: rubric.criteria, knockouts: rubric.knockouts, rows })
}
