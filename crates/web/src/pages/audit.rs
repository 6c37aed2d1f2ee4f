//! The audit log for system administrators: newest first, filtered by entity, record, actor
//! and action, with the record before and after each change.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use db::audit::{self, AuditFilter};
use db::{AppError, PageRequest};
use serde::Deserialize;

use super::next_href;
use super::render;
use crate::auth::Viewer;
use crate::error::PageResult;
use crate::forms::opt;
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/audit", get(log))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AuditQuery {
    entity: String,
    entity_id: String,
    actor: String,
    action: String,
    after: Option<String>,
}

struct EntryRow {
    at: String,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    /// The record's page, for the kinds of record that have one.
    link: Option<String>,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: Ctx,
    q: AuditQuery,
    rows: Vec<EntryRow>,
    next: Option<String>,
}

use crate::describe::shanghai_time;

/// Stored JSON, indented for reading ("" when there is nothing).
fn pretty(json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Null) => String::new(),
        Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_else(|_| json.to_string()),
        Err(_) => json.to_string(),
    }
}

fn record_link(entity: &str, id: &str) -> Option<String> {
    match entity {
        "organization" => Some(format!("/admin/organizations/{id}")),
        "program" => Some(format!("/admin/programs/{id}")),
        "user" => Some(format!("/admin/users/{id}/edit")),
        "area" => Some(format!("/admin/areas?parent={id}")),
        "calendar_year" => Some("/admin/calendar".to_string()),
        _ => None,
    }
}

async fn log(State(state): State<AppState>, viewer: Viewer, Query(q): Query<AuditQuery>) -> PageResult<Response> {
    let actor = viewer.require()?;
    if !actor.is_admin() {
        return Err(AppError::Forbidden.into());
    }
    let filter = AuditFilter {
        entity: opt(&q.entity),
        entity_id: opt(&q.entity_id),
        actor: opt(&q.actor),
        action: opt(&q.action),
    };
    let page =
        audit::search(&state.db, &actor, &filter, &PageRequest { after: q.after.clone(), limit: Some(50) }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|e| EntryRow {
            link: record_link(&e.entity, &e.entity_id),
            at: shanghai_time(e.at_ms),
            before: pretty(&e.before_json),
            after: pretty(&e.after_json),
            actor: e.actor_name,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
        })
        .collect();
    let next = next_href(
        "/admin/audit",
        &[("entity", &q.entity), ("entity_id", &q.entity_id), ("actor", &q.actor), ("action", &q.action)],
        page.next_cursor,
    );
    let ctx = Ctx::new(&viewer, "audit", viewer.tr.get("audit.title"));
    Ok(render(&AuditPage { ctx, q, rows, next }))
}
