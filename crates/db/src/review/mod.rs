//! Expert review (评审) in the database: the expert pool (`experts.rs`), panel draws with their
//! recorded seed and pool snapshot (`panels.rs`; reading and replaying them: `panel_views.rs`),
//! assignments, conflict-of-interest declarations and scorecards (`scoring.rs`), aggregation and
//! ranking (`ranking.rs`), the score matrix (`matrix.rs`). The rules themselves are
//! `domain::review`.
//!
//! Scope: experts and panels are managed by the program's funder and operator (and
//! administrators); a reviewer only ever reads the assignments made to them — any other
//! application, panel or scorecard is "not found".

mod demo;
mod experts;
mod matrix;
mod panel_views;
mod panels;
mod ranking;
mod remind;
mod scoring;

use domain::review::{AggregationMethod, Rubric, chongchuan_rubric};
use domain::role::Role;
use sea_orm::{ConnectionTrait, EntityTrait};

pub use demo::load_demo_experts;
pub use experts::{
    ExpertInput, ExpertView, create_expert, expert_for_user, expert_form_choices, get_expert, list_experts,
    update_expert,
};
pub use matrix::{MatrixCell, MatrixRow, ScoreMatrix, score_matrix};
pub use panel_views::{
    PanelAssignment, PanelSummary, PanelView, Replay, assignments_of_panel, get_panel, list_panels, replay,
};
pub use panels::{DrawInput, draw};
pub use ranking::{ProgramRanking, RankingRow, ranking};
pub use remind::remind;
pub use scoring::{AssignmentView, CardInput, ReviewItem, declare, my_assignments, review_item, save_card, sign_card};

use crate::applications::covers_program;
use crate::entity::{program, review_panel};
use crate::{Actor, AppError, AppResult, db_err};

/// Roles that draw panels, manage the pool and read rankings.
pub const MANAGERS: [Role; 2] = [Role::FunderAdmin, Role::Operator];

/// The rubric stored on a panel, or the Chongchuan rubric when none is stored.
pub fn rubric_of(panel: &review_panel::Model) -> Rubric {
    serde_json::from_str(&panel.rubric_json).unwrap_or_else(|_| chongchuan_rubric())
}

/// The aggregation method stored on a panel (trimmed mean with five cards by default).
pub fn method_of(panel: &review_panel::Model) -> AggregationMethod {
    serde_json::from_str(&panel.method_json).unwrap_or_default()
}

/// A program the actor manages (funder, operator of it or of its area, administrator).
pub(crate) async fn managed_program<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    program_id: &str,
) -> AppResult<program::Model> {
    actor.require(&MANAGERS).map_err(|_| AppError::NotFound("计划".into()))?;
    program::Entity::find_by_id(program_id)
        .one(db)
        .await
        .map_err(db_err)?
        .filter(|p| covers_program(actor, p))
        .ok_or_else(|| AppError::NotFound("计划".into()))
}

/// Blind labels: 申报单位A, B, … Z, AA, AB …
pub fn blind_label(index: usize) -> String {
    let letters = |mut n: usize| {
        let mut s = Vec::new();
        loop {
            s.push(char::from(b'A' + u8::try_from(n % 26).unwrap_or(0)));
            if n < 26 {
                break;
            }
            n = n / 26 - 1;
        }
        s.iter().rev().collect::<String>()
    };
    format!("申报单位{}", letters(index))
}

pub(crate) fn json_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// A stored scorecard as the domain's scorecard.
pub(crate) fn card_of(m: &crate::entity::scorecard::Model) -> domain::review::Scorecard {
    domain::review::Scorecard {
        expert_id: m.expert_id.clone(),
        scores: serde_json::from_str(&m.scores_json).unwrap_or_default(),
        knockouts_failed: json_list(&m.knockouts_json),
        comment: m.comment.clone(),
        signed: m.signed,
    }
}

/// The review state of a program: its panels (oldest first), every counted assignment and card.
pub(crate) struct ProgramReview {
    pub panels: Vec<review_panel::Model>,
    pub assignments: Vec<crate::entity::review_assignment::Model>,
    pub cards: Vec<crate::entity::scorecard::Model>,
}

impl ProgramReview {
    pub(crate) async fn load<C: ConnectionTrait>(db: &C, program_id: &str) -> AppResult<ProgramReview> {
        use crate::entity::{review_assignment as ra, scorecard as sc};
        use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
        let panels = review_panel::Entity::find()
            .filter(review_panel::Column::ProgramId.eq(program_id))
            .order_by_asc(review_panel::Column::Id)
            .all(db)
            .await
            .map_err(db_err)?;
        let ids: Vec<String> = panels.iter().map(|p| p.id.clone()).collect();
        let assignments = ra::Entity::find()
            .filter(ra::Column::PanelId.is_in(ids.clone()))
            .order_by_asc(ra::Column::Id)
            .all(db)
            .await
            .map_err(db_err)?;
        let cards = sc::Entity::find()
            .filter(sc::Column::PanelId.is_in(ids))
            .order_by_asc(sc::Column::Id)
            .all(db)
            .await
            .map_err(db_err)?;
        Ok(ProgramReview { panels, assignments, cards })
    }

    /// The panel reviewing an application: the latest one it is assigned in.
    pub(crate) fn panel_of(&self, application_id: &str) -> Option<&review_panel::Model> {
        self.panels
            .iter()
            .rev()
            .find(|p| self.assignments.iter().any(|a| a.panel_id == p.id && a.application_id == application_id))
    }

    /// The cards that count for an application: those of its panel whose assignment is active.
    pub(crate) fn cards_of(&self, panel_id: &str, application_id: &str) -> Vec<&crate::entity::scorecard::Model> {
        self.cards
            .iter()
            .filter(|c| c.panel_id == panel_id && c.application_id == application_id)
            .filter(|c| self.assignments.iter().any(|a| a.id == c.assignment_id && a.status == "active"))
            .collect()
    }
}

/// The programs the actor manages, as (id, code, name), newest first: the choices of the panel
/// and ranking pages.
pub async fn managed_programs<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<Vec<(String, String, String)>> {
    use sea_orm::QueryOrder;
    if actor.require(&MANAGERS).is_err() {
        return Ok(Vec::new());
    }
    Ok(program::Entity::find()
        .order_by_desc(program::Column::Year)
        .order_by_asc(program::Column::Code)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .filter(|p| covers_program(actor, p))
        .map(|p| (p.id, p.code, p.name))
        .collect())
}
