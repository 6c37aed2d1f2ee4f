//! Expert review (评审): panels (funders, operators), the caller's assignments, conflict-of-
//! interest declarations and scorecards (reviewers), and the ranking (funders, operators).
//! A reviewer reaches only their own assignments; everything else is 404.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use db::review::{AssignmentView, CardInput, PanelSummary, ProgramRanking, RankingRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{ReadErrors, WriteErrors};
use super::{ApiJson, ApiQuery, begin, commit, non_empty};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/review/panels", get(list_panels))
        .route("/review/panels/{id}", get(get_panel))
        .route("/review/assignments", get(my_assignments))
        .route("/review/assignments/{id}", get(get_assignment))
        .route("/review/assignments/{id}/declaration", post(declare))
        .route("/review/assignments/{id}/scorecard", post(save_scorecard))
        .route("/review/assignments/{id}/sign", post(sign))
        .route("/review/rankings/{program}", get(ranking))
}

/// A drawn panel.
#[derive(Debug, Serialize, ToSchema)]
pub struct Panel {
    pub id: String,
    pub program_id: String,
    /// Empty: every track.
    pub track_code: String,
    pub name: String,
    pub size: i32,
    pub required_fields: Vec<String>,
    pub avoid_same_street: bool,
    /// Reviewers do not see the applicant's name.
    pub blind: bool,
    /// The recorded u64 seed, in decimal.
    pub seed: String,
    pub algorithm: String,
    pub created_ms: i64,
}

impl From<PanelSummary> for Panel {
    fn from(p: PanelSummary) -> Self {
        Panel {
            id: p.id,
            program_id: p.program_id,
            track_code: p.track_code,
            name: p.name,
            size: p.size,
            required_fields: p.required_fields,
            avoid_same_street: p.avoid_same_street,
            blind: p.blind,
            seed: p.seed,
            algorithm: p.algorithm,
            created_ms: p.created_ms,
        }
    }
}

/// An expert excluded from the draw and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct Exclusion {
    pub expert_id: String,
    pub name: String,
    pub reason: String,
}

/// A panel with its members in draw order, the exclusions and the draw steps.
#[derive(Debug, Serialize, ToSchema)]
pub struct PanelDetail {
    #[serde(flatten)]
    pub panel: Panel,
    pub members: Vec<String>,
    pub excluded: Vec<Exclusion>,
    pub steps: Vec<String>,
    /// Whether recomputing the draw from the stored seed and pool snapshot gives the same result.
    pub replay_matches: bool,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PanelQuery {
    /// Only the panels of this program (id).
    pub program_id: Option<String>,
}

/// Panels of the programs the caller manages, newest first.
#[utoipa::path(get, path = "/api/v1/review/panels", operation_id = "list_review_panels", tag = "review",
    params(PanelQuery), responses((status = 200, description = "Panels", body = Vec<Panel>), ReadErrors))]
pub async fn list_panels(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<PanelQuery>,
) -> ApiResult<Json<Vec<Panel>>> {
    let program = non_empty(q.program_id);
    let rows = db::review::list_panels(&state.db, &actor, program.as_deref()).await?;
    Ok(Json(rows.into_iter().map(Panel::from).collect()))
}

/// One panel with its draw.
#[utoipa::path(get, path = "/api/v1/review/panels/{id}", operation_id = "get_review_panel", tag = "review",
    params(("id" = String, Path, description = "Panel id")),
    responses((status = 200, description = "The panel", body = PanelDetail), ReadErrors))]
pub async fn get_panel(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<PanelDetail>> {
    let p = db::review::get_panel(&state.db, &actor, &id).await?;
    let replay = db::review::replay(&state.db, &actor, &id).await?;
    Ok(Json(PanelDetail {
        members: p.members.into_iter().map(|(_, name)| name).collect(),
        excluded: p
            .draw
            .excluded
            .into_iter()
            .map(|e| Exclusion { expert_id: e.expert_id, name: e.name, reason: e.reason })
            .collect(),
        steps: p.draw.steps,
        replay_matches: replay.matches,
        panel: p.summary.into(),
    }))
}

/// An application assigned to the caller. `applicant` is the organization's name, or
/// "申报单位A" … on a blind panel.
#[derive(Debug, Serialize, ToSchema)]
pub struct Assignment {
    pub id: String,
    pub panel_id: String,
    pub application_id: String,
    pub title: String,
    pub applicant: String,
    pub blind: bool,
    pub call_item: String,
    /// pending (declare first) or active.
    pub status: String,
    /// none, draft or signed.
    pub card: String,
    /// The card's weighted total, "80.50".
    pub total: Option<String>,
}

impl From<AssignmentView> for Assignment {
    fn from(a: AssignmentView) -> Self {
        Assignment {
            id: a.id,
            panel_id: a.panel_id,
            application_id: a.application_id,
            title: a.title,
            applicant: a.applicant,
            blind: a.blind,
            call_item: a.call_item,
            status: a.status,
            card: a.card,
            total: a.total.map(|t| t.to_string()),
        }
    }
}

/// The caller's assignments (reviewers).
#[utoipa::path(get, path = "/api/v1/review/assignments", operation_id = "my_review_assignments", tag = "review",
    responses((status = 200, description = "Assignments", body = Vec<Assignment>), ReadErrors))]
pub async fn my_assignments(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<Vec<Assignment>>> {
    Ok(Json(db::review::my_assignments(&state.db, &actor).await?.into_iter().map(Assignment::from).collect()))
}

/// A criterion of the rubric.
#[derive(Debug, Serialize, ToSchema)]
pub struct Criterion {
    pub code: String,
    pub name: String,
    pub max_score: String,
    pub weight: u32,
}

/// A knock-out item (否决项).
#[derive(Debug, Serialize, ToSchema)]
pub struct Knockout {
    pub code: String,
    pub text: String,
}

/// A scorecard: criterion code → score ("17.5"), failed knock-out codes, comment.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Scorecard {
    pub scores: BTreeMap<String, String>,
    pub knockouts: Vec<String>,
    pub comment: String,
    /// Read only: a signed card is locked.
    pub signed: bool,
}

/// An assignment with the rubric, the caller's card, and the application's sections once no
/// conflict is declared.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentDetail {
    #[serde(flatten)]
    pub assignment: Assignment,
    pub criteria: Vec<Criterion>,
    pub knockouts: Vec<Knockout>,
    pub card: Option<Scorecard>,
    /// Title, summary, needs analysis and objectives (after the declaration).
    pub summary: Option<String>,
    pub needs_analysis: Option<String>,
    pub objectives: Option<String>,
    pub requested: Option<domain::money::Fen>,
}

/// One of the caller's assignments.
#[utoipa::path(get, path = "/api/v1/review/assignments/{id}", operation_id = "get_review_assignment", tag = "review",
    params(("id" = String, Path, description = "Assignment id")),
    responses((status = 200, description = "The assignment", body = AssignmentDetail), ReadErrors))]
pub async fn get_assignment(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<AssignmentDetail>> {
    Ok(Json(detail(db::review::review_item(&state.db, &actor, &id).await?)))
}

fn detail(item: db::review::ReviewItem) -> AssignmentDetail {
    let app = item.application;
    AssignmentDetail {
        criteria: item
            .rubric
            .criteria
            .iter()
            .map(|c| Criterion {
                code: c.code.clone(),
                name: c.name.clone(),
                max_score: c.max_score.to_string(),
                weight: c.weight,
            })
            .collect(),
        knockouts: item
            .rubric
            .knockouts
            .iter()
            .map(|k| Knockout { code: k.code.clone(), text: k.text.clone() })
            .collect(),
        card: item.card.map(|c| Scorecard {
            scores: c.scores.iter().map(|(k, v)| (k.clone(), v.to_string())).collect(),
            knockouts: c.knockouts_failed,
            comment: c.comment,
            signed: c.signed,
        }),
        summary: app.as_ref().map(|a| a.input.summary.clone()),
        needs_analysis: app.as_ref().map(|a| a.input.needs_analysis.clone()),
        objectives: app.as_ref().map(|a| a.input.objectives.clone()),
        requested: app.as_ref().map(|a| a.requested),
        assignment: item.assignment.into(),
    }
}

/// A conflict-of-interest declaration.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct Declaration {
    /// true: the caller has a conflict and is removed from the application.
    pub conflict: bool,
    /// Required with a conflict.
    pub reason: String,
}

/// Declare no conflict (the application opens) or a conflict (the caller steps aside).
#[utoipa::path(post, path = "/api/v1/review/assignments/{id}/declaration", operation_id = "declare_review_conflict",
    tag = "review", params(("id" = String, Path, description = "Assignment id")), request_body = Declaration,
    responses((status = 200, description = "Declared", body = Vec<Assignment>), WriteErrors))]
pub async fn declare(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Declaration>,
) -> ApiResult<Json<Vec<Assignment>>> {
    let txn = begin(&state).await?;
    db::review::declare(&txn, &actor, &id, body.conflict, &body.reason, state.now_ms()).await?;
    commit(txn).await?;
    my_assignments(State(state), ApiUser(actor)).await
}

/// Save the caller's draft scorecard (a signed card cannot change: 409).
#[utoipa::path(post, path = "/api/v1/review/assignments/{id}/scorecard", operation_id = "save_review_scorecard",
    tag = "review", params(("id" = String, Path, description = "Assignment id")), request_body = Scorecard,
    responses((status = 200, description = "The assignment with the saved card", body = AssignmentDetail), WriteErrors))]
pub async fn save_scorecard(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Scorecard>,
) -> ApiResult<Json<AssignmentDetail>> {
    let input = CardInput { scores: body.scores, knockouts: body.knockouts, comment: body.comment };
    let txn = begin(&state).await?;
    db::review::save_card(&txn, &actor, &id, &input, state.now_ms()).await?;
    let item = db::review::review_item(&txn, &actor, &id).await?;
    commit(txn).await?;
    Ok(Json(detail(item)))
}

/// Sign the saved scorecard: every criterion scored within its maximum; then it is locked.
#[utoipa::path(post, path = "/api/v1/review/assignments/{id}/sign", operation_id = "sign_review_scorecard",
    tag = "review", params(("id" = String, Path, description = "Assignment id")),
    responses((status = 200, description = "The assignment with the signed card", body = AssignmentDetail), WriteErrors))]
pub async fn sign(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<AssignmentDetail>> {
    let txn = begin(&state).await?;
    db::review::sign_card(&txn, &actor, &id, state.now_ms()).await?;
    let item = db::review::review_item(&txn, &actor, &id).await?;
    commit(txn).await?;
    Ok(Json(detail(item)))
}

/// A ranked (or unranked) application.
#[derive(Debug, Serialize, ToSchema)]
pub struct RankedApplication {
    /// None: excluded by a knock-out item or not scored (see `reason`).
    pub rank: Option<u32>,
    pub application_id: String,
    pub title: String,
    pub organization_id: String,
    pub organization_name: String,
    pub call_item_id: Option<String>,
    pub track_code: String,
    pub requested: domain::money::Fen,
    /// Aggregate of the signed cards, "80.00".
    pub score: Option<String>,
    pub tie_note: Option<String>,
    pub reason: Option<String>,
    pub method_applied: String,
}

impl From<RankingRow> for RankedApplication {
    fn from(r: RankingRow) -> Self {
        RankedApplication {
            rank: r.rank,
            application_id: r.application_id,
            title: r.title,
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            call_item_id: r.call_item_id,
            track_code: r.track_code,
            requested: r.requested,
            score: r.score.map(|s| s.to_string()),
            tie_note: r.tie_note,
            reason: r.reason,
            method_applied: r.method_applied,
        }
    }
}

/// The ranking of one call item (or track).
#[derive(Debug, Serialize, ToSchema)]
pub struct RankingGroup {
    pub group: String,
    pub group_name: String,
    pub tie_break: String,
    pub rows: Vec<RankedApplication>,
}

impl From<ProgramRanking> for RankingGroup {
    fn from(g: ProgramRanking) -> Self {
        RankingGroup {
            group: g.group,
            group_name: g.group_name,
            tie_break: g.tie_break,
            rows: g.rows.into_iter().map(RankedApplication::from).collect(),
        }
    }
}

/// The review ranking of a program (its funder and operator).
#[utoipa::path(get, path = "/api/v1/review/rankings/{program}", operation_id = "get_review_ranking", tag = "review",
    params(("program" = String, Path, description = "Program id or code")),
    responses((status = 200, description = "Ranking per call item", body = Vec<RankingGroup>), ReadErrors))]
pub async fn ranking(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(program): Path<String>,
) -> ApiResult<Json<Vec<RankingGroup>>> {
    let id = db::programs::get(&state.db, Some(&actor), &program).await?.id;
    let groups = db::review::ranking(&state.db, &actor, &id).await?;
    Ok(Json(groups.into_iter().map(RankingGroup::from).collect()))
}
