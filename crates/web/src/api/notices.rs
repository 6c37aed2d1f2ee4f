//! Decision, public notices, objections and results. The slate is for the program's funder and
//! operator; notices and results are public (no token); anyone may file an objection during a
//! notice's period; objections are listed to the program's funder and operator.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use db::decision::SlateLineView;
use db::notices::{NoticeView, ObjectionInput, ObjectionView};
use domain::money::Fen;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::{ReadErrors, WriteErrors};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs/{id}/slate", get(slate).post(generate))
        .route("/notices", get(notices))
        .route("/notices/{id}", get(notice))
        .route("/notices/{id}/objections", get(objections).post(object))
        .route("/results/{program}", get(results))
}

/// A line of a program's slate (拟立项名单).
#[derive(Debug, Serialize, ToSchema)]
pub struct SlateLine {
    pub id: String,
    pub application_id: String,
    pub application_title: String,
    pub organization_id: String,
    pub organization_name: String,
    pub call_item_id: Option<String>,
    /// Call item code (or track code) the application was ranked in.
    pub group: String,
    pub track_code: String,
    pub rank: i32,
    /// Review score, e.g. "86.50".
    pub score: Option<String>,
    pub requested: Fen,
    pub recommended: Option<Fen>,
    /// The funder's amount; null when excluded.
    pub amount: Option<Fen>,
    /// Why recommended or skipped (Chinese).
    pub reason: String,
    pub change_reason: String,
    /// proposed, approved or rejected.
    pub status: String,
    pub batch: Option<i32>,
    pub notice_id: Option<String>,
}

impl From<SlateLineView> for SlateLine {
    fn from(l: SlateLineView) -> Self {
        SlateLine {
            id: l.id,
            application_id: l.application_id,
            application_title: l.application_title,
            organization_id: l.organization_id,
            organization_name: l.organization_name,
            call_item_id: l.call_item_id,
            group: l.group,
            track_code: l.track_code,
            rank: l.rank,
            score: l.score.map(|s| s.to_string()),
            requested: l.requested,
            recommended: l.recommended,
            amount: l.amount,
            reason: l.reason,
            change_reason: l.change_reason,
            status: l.status,
            batch: l.batch,
            notice_id: l.notice_id,
        }
    }
}

/// A line of a public notice.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeLine {
    /// Pass as `line_id` when filing an objection.
    pub id: String,
    pub group: String,
    pub application_title: String,
    pub organization_name: String,
    pub amount: Option<Fen>,
}

/// A public notice (公示).
#[derive(Debug, Serialize, ToSchema)]
pub struct Notice {
    pub id: String,
    pub program_id: String,
    pub program_name: String,
    pub title: String,
    /// published or closed (drafts are not public).
    pub status: String,
    /// "3个工作日" or "7天".
    pub rule: String,
    pub period_start: Option<NaiveDate>,
    /// The period ends at 24:00 (Asia/Shanghai) of this day.
    pub period_end: Option<NaiveDate>,
    pub total: Fen,
    pub lines: Vec<NoticeLine>,
}

impl From<NoticeView> for Notice {
    fn from(n: NoticeView) -> Self {
        Notice {
            id: n.id,
            program_id: n.program_id,
            program_name: n.program_name,
            title: n.title,
            status: n.status,
            rule: n.rule_text,
            period_start: n.period_start,
            period_end: n.period_end,
            total: n.total,
            lines: n
                .lines
                .into_iter()
                .map(|l| NoticeLine {
                    id: l.id,
                    group: l.group,
                    application_title: l.application_title,
                    organization_name: l.organization_name,
                    amount: l.amount,
                })
                .collect(),
        }
    }
}

/// An objection (异议) as filed.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ObjectionBody {
    /// The notice line objected to.
    pub line_id: String,
    pub name: String,
    /// Mainland mobile or landline number.
    pub phone: String,
    /// Facts and reasons, 10–2000 characters.
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

/// An objection with its disposition (for the program's funder and operator).
#[derive(Debug, Serialize, ToSchema)]
pub struct Objection {
    pub id: String,
    pub line_id: String,
    pub application_title: String,
    pub name: String,
    pub phone: String,
    pub text: String,
    pub filed_ms: i64,
    /// pending, upheld or dismissed.
    pub status: String,
    pub disposition_reason: String,
}

impl From<ObjectionView> for Objection {
    fn from(o: ObjectionView) -> Self {
        Objection {
            id: o.id,
            line_id: o.line_id,
            application_title: o.application_title,
            name: o.name,
            phone: o.phone,
            text: o.text,
            filed_ms: o.filed_ms,
            status: o.status,
            disposition_reason: o.disposition_reason,
        }
    }
}

/// A final award (立项).
#[derive(Debug, Serialize, ToSchema)]
pub struct Award {
    pub id: String,
    pub application_id: String,
    pub application_title: String,
    pub organization_id: String,
    pub organization_name: String,
    pub call_item_id: Option<String>,
    pub track_code: String,
    pub amount: Fen,
    pub notice_id: String,
    pub awarded_ms: i64,
}

/// The slate of a program (its funder and operator).
#[utoipa::path(
    get,
    path = "/api/v1/programs/{id}/slate",
    operation_id = "get_slate",
    tag = "decision",
    params(("id" = String, Path, description = "Program id or code")),
    responses((status = 200, description = "Slate lines in the order considered", body = Vec<SlateLine>), ReadErrors)
)]
pub async fn slate(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<SlateLine>>> {
    let p = db::programs::get(&state.db, Some(&actor), &id).await?;
    let lines = db::decision::lines(&state.db, &actor, &p.id).await?;
    Ok(Json(lines.into_iter().map(SlateLine::from).collect()))
}

/// Generate (or regenerate) the slate from the review ranking; approved lines are kept.
#[utoipa::path(
    post,
    path = "/api/v1/programs/{id}/slate",
    operation_id = "generate_slate",
    tag = "decision",
    params(("id" = String, Path, description = "Program id or code")),
    responses((status = 200, description = "The new slate", body = Vec<SlateLine>), WriteErrors)
)]
pub async fn generate(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<SlateLine>>> {
    let p = db::programs::get(&state.db, Some(&actor), &id).await?;
    let lines = db::decision::generate(&state.db, &actor, &p.id, state.now_ms()).await?;
    Ok(Json(lines.into_iter().map(SlateLine::from).collect()))
}

/// Published and closed notices, newest first (public).
#[utoipa::path(
    get,
    path = "/api/v1/notices",
    operation_id = "list_notices",
    tag = "notices",
    security(()),
    responses((status = 200, description = "Notices", body = Vec<Notice>), ReadErrors)
)]
pub async fn notices(State(state): State<AppState>) -> ApiResult<Json<Vec<Notice>>> {
    Ok(Json(db::notices::public_list(&state.db, None).await?.into_iter().map(Notice::from).collect()))
}

/// One published notice with its lines (public).
#[utoipa::path(
    get,
    path = "/api/v1/notices/{id}",
    operation_id = "get_notice",
    tag = "notices",
    security(()),
    params(("id" = String, Path, description = "Notice id")),
    responses((status = 200, description = "The notice", body = Notice), ReadErrors)
)]
pub async fn notice(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Notice>> {
    Ok(Json(db::notices::get(&state.db, None, &id).await?.into()))
}

/// File an objection during the notice period (no token needed).
#[utoipa::path(
    post,
    path = "/api/v1/notices/{id}/objections",
    operation_id = "file_objection",
    tag = "notices",
    security(()),
    params(("id" = String, Path, description = "Notice id")),
    request_body = ObjectionBody,
    responses((status = 201, description = "Filed", body = Created), WriteErrors)
)]
pub async fn object(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ObjectionBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let input = ObjectionInput { line_id: body.line_id, name: body.name, phone: body.phone, text: body.text };
    let id = db::notices::file_objection(&state.db, &state.keys, &id, &input, state.now_ms()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Objections to a notice (the program's funder and operator).
#[utoipa::path(
    get,
    path = "/api/v1/notices/{id}/objections",
    operation_id = "list_objections",
    tag = "notices",
    params(("id" = String, Path, description = "Notice id")),
    responses((status = 200, description = "Objections, oldest first", body = Vec<Objection>), ReadErrors)
)]
pub async fn objections(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Objection>>> {
    let rows = db::notices::objections(&state.db, &actor, &state.keys, &id, state.now_ms()).await?;
    Ok(Json(rows.into_iter().map(Objection::from).collect()))
}

/// Final awards of a published program (public).
#[utoipa::path(
    get,
    path = "/api/v1/results/{program}",
    operation_id = "list_results",
    tag = "notices",
    security(()),
    params(("program" = String, Path, description = "Program id or code")),
    responses((status = 200, description = "Final awards", body = Vec<Award>), ReadErrors)
)]
pub async fn results(State(state): State<AppState>, Path(program): Path<String>) -> ApiResult<Json<Vec<Award>>> {
    let p = db::programs::get(&state.db, None, &program).await?;
    let rows = db::awards::public_results(&state.db, &p.id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|a| Award {
                id: a.id,
                application_id: a.application_id,
                application_title: a.application_title,
                organization_id: a.organization_id,
                organization_name: a.organization_name,
                call_item_id: a.call_item_id,
                track_code: a.track_code,
                amount: a.amount,
                notice_id: a.notice_id,
                awarded_ms: a.awarded_ms,
            })
            .collect(),
    ))
}
