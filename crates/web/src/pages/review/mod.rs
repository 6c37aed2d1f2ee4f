//! Expert review (评审) pages: the expert pool (`experts.rs`), panel draws and their replay
//! (`panels.rs`), the reviewer's queue, declaration and scoring form (`scoring.rs`), the ranking,
//! the Excel exports and the printable score sheet (`ranking.rs`).

mod experts;
mod panels;
mod ranking;
mod scoring;

use axum::Router;
use db::{Actor, AppResult};

use crate::i18n::Tr;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().merge(experts::routes()).merge(panels::routes()).merge(scoring::routes()).merge(ranking::routes())
}

/// The label of an assignment status.
pub fn assignment_status(tr: Tr, status: &str) -> &'static str {
    tr.get(match status {
        "pending" => "review.status.pending",
        "active" => "review.status.active",
        "conflict" => "review.status.conflict",
        "avoided" => "review.status.avoided",
        _ => "review.status.unknown",
    })
}

/// The label of a scorecard state (none / draft / signed).
pub fn card_status(tr: Tr, card: &str) -> &'static str {
    tr.get(match card {
        "draft" => "review.card.draft",
        "signed" => "review.card.signed",
        _ => "review.card.none",
    })
}

/// A program id from an id or a code the actor may read.
pub async fn program_id(state: &AppState, actor: &Actor, id_or_code: &str) -> AppResult<String> {
    Ok(db::programs::get(&state.db, Some(actor), id_or_code).await?.id)
}

/// A local time (Asia/Shanghai) of an instant, "YYYY-MM-DD HH:MM".
pub use crate::describe::shanghai_minute as local;
