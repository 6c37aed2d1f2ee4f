//! The reviewer's side (评审专家): the queue of assigned applications, the conflict-of-interest
//! declaration, and the scoring form (large inputs for a tablet; save a draft, sign to lock).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::AppError;
use db::review::{AssignmentView, CardInput, ReviewItem};
use sea_orm::TransactionTrait;
use serde::Deserialize;

use super::{assignment_status, card_status};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, all, checked};
use crate::pages::{render, see_other, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/review", get(queue))
        .route("/review/{id}", get(item))
        .route("/review/{id}/declare", post(declare))
        .route("/review/{id}/card", post(card))
}

#[derive(Deserialize, Default)]
struct OkQuery {
    #[serde(default)]
    ok: Option<String>,
}

struct QueueRow {
    a: AssignmentView,
    status_label: &'static str,
    card_label: &'static str,
}

#[derive(Template)]
#[template(path = "review/queue.html")]
struct QueuePage {
    ctx: Ctx,
    rows: Vec<QueueRow>,
}

async fn queue(State(state): State<AppState>, viewer: Viewer, Query(q): Query<OkQuery>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let tr = viewer.tr;
    let rows = db::review::my_assignments(&state.db, &actor)
        .await?
        .into_iter()
        .map(|a| QueueRow { status_label: assignment_status(tr, &a.status), card_label: card_status(tr, &a.card), a })
        .collect();
    let ctx = Ctx::new(&viewer, "review", tr.get("review.queue_title")).flash_from(q.ok.as_deref());
    Ok(render(&QueuePage { ctx, rows }))
}

/// One criterion on the form: its entered value and error.
struct Field {
    code: String,
    name: String,
    max: String,
    guidance: String,
    value: String,
    error: String,
}

struct Knock {
    code: String,
    text: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "review/item.html")]
struct ItemPage {
    ctx: Ctx,
    item: ReviewItem,
    fields: Vec<Field>,
    knockouts: Vec<Knock>,
    comment: String,
    signed: bool,
    total: String,
    max_total: String,
    errors: FormErrors,
}

async fn item_page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    entered: Option<CardInput>,
    errors: FormErrors,
    ok: Option<&str>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let tr = viewer.tr;
    let item = db::review::review_item(&state.db, &actor, id).await?;
    let stored = item.card.clone().unwrap_or(domain::review::Scorecard {
        expert_id: String::new(),
        scores: Default::default(),
        knockouts_failed: Vec::new(),
        comment: String::new(),
        signed: false,
    });
    let fields = item
        .rubric
        .criteria
        .iter()
        .map(|c| Field {
            value: match &entered {
                Some(e) => e.scores.get(&c.code).cloned().unwrap_or_default(),
                None => stored.scores.get(&c.code).map(|s| s.to_string()).unwrap_or_default(),
            },
            error: errors.get(&format!("scores.{}", c.code)).to_string(),
            code: c.code.clone(),
            name: c.name.clone(),
            max: c.max_score.to_string(),
            guidance: c.guidance.clone(),
        })
        .collect();
    let ticked = entered.as_ref().map_or(&stored.knockouts_failed, |e| &e.knockouts);
    let knockouts = item
        .rubric
        .knockouts
        .iter()
        .map(|k| Knock { checked: ticked.contains(&k.code), code: k.code.clone(), text: k.text.clone() })
        .collect();
    let comment = entered.as_ref().map_or(stored.comment.clone(), |e| e.comment.clone());
    let total = item.assignment.total.map(|t| t.to_string()).unwrap_or_default();
    let max_total = item.rubric.max_total().to_string();
    let ctx = Ctx::new(viewer, "review", item.assignment.title.clone())
        .crumb("/review", tr.get("review.queue_title"))
        .crumb("", item.assignment.title.clone())
        .flash_from(ok);
    let failed = !errors.is_empty();
    let page = ItemPage { ctx, signed: stored.signed, item, fields, knockouts, comment, total, max_total, errors };
    Ok(unprocessable_if(failed, render(&page)))
}

async fn item(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<OkQuery>,
) -> PageResult<Response> {
    item_page(&state, &viewer, &id, None, FormErrors::default(), q.ok.as_deref()).await
}

#[derive(Deserialize, Default)]
struct DeclareForm {
    #[serde(default)]
    conflict: String,
    #[serde(default)]
    reason: String,
}

async fn declare(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<DeclareForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let conflict = match form.data.conflict.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            let e = AppError::field("conflict", "利益冲突声明：请选择是否存在利益冲突");
            return item_page(&state, &viewer, &id, None, FormErrors::from_app(&e), None).await;
        }
    };
    match db::review::declare(&state.db, &actor, &id, conflict, &form.data.reason, state.now_ms()).await {
        Ok(()) if conflict => Ok(see_other("/review?ok=review_conflict")),
        Ok(()) => Ok(see_other(&format!("/review/{id}?ok=review_declared"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            item_page(&state, &viewer, &id, None, FormErrors::from_app(&e), None).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn card(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let pairs = &form.pairs;
    let input = CardInput {
        scores: pairs
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("s_").map(|code| (code.to_string(), v.trim().to_string())))
            .collect(),
        knockouts: all(pairs, "knockout").into_iter().map(str::to_string).collect(),
        comment: all(pairs, "comment").first().map(|c| c.to_string()).unwrap_or_default(),
    };
    let sign = pairs.iter().any(|(k, v)| k == "action" && v == "sign") && checked(pairs, "confirm_sign");
    if pairs.iter().any(|(k, v)| k == "action" && v == "sign") && !sign {
        let e = AppError::field("confirm_sign", "签名确认：签名前请勾选“确认评分无误，签名后不可修改”");
        return item_page(&state, &viewer, &id, Some(input), FormErrors::from_app(&e), None).await;
    }
    let now = state.now_ms();
    let result = async {
        let txn = state.db.begin().await.map_err(db::db_err)?;
        db::review::save_card(&txn, &actor, &id, &input, now).await?;
        if sign {
            db::review::sign_card(&txn, &actor, &id, now).await?;
        }
        txn.commit().await.map_err(db::db_err)
    }
    .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/review/{id}?ok={}", if sign { "review_signed" } else { "review_saved" }))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            item_page(&state, &viewer, &id, Some(input), FormErrors::from_app(&e), None).await
        }
        Err(e) => Err(e.into()),
    }
}
