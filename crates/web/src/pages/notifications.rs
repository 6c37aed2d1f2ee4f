//! The user's notifications (站内通知): a list, open one (marks it read and follows its link),
//! mark all read, and the e-mail address notifications also go to.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::PageRequest;
use db::notifications::NotificationView;
use serde::Deserialize;

use super::{next_href, render, see_other};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/read-all", post(read_all))
        .route("/notifications/{id}/open", post(open))
        .route("/account/email", post(set_email))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    unread: Option<String>,
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    ok: Option<String>,
}

struct Row {
    n: NotificationView,
    when: String,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<Row>,
    unread_only: bool,
    next: Option<String>,
}

async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let unread_only = q.unread.as_deref() == Some("1");
    let page =
        db::notifications::list(&state.db, &actor, unread_only, &PageRequest { after: q.after, limit: Some(30) })
            .await?;
    let next = next_href("/notifications", &[("unread", if unread_only { "1" } else { "" })], page.next_cursor);
    let rows =
        page.items.into_iter().map(|n| Row { when: crate::describe::shanghai_minute(n.created_ms), n }).collect();
    let ctx = Ctx::new(&viewer, "notifications", viewer.tr.get("notifications.title")).flash_from(q.ok.as_deref());
    Ok(render(&ListPage { ctx, rows, unread_only, next }))
}

async fn open(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    _form: CsrfForm<serde_json::Value>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let link = db::notifications::mark_read(&state.db, &actor, &id, state.now_ms()).await?;
    // only local paths are followed
    let to = if link.starts_with('/') && !link.starts_with("//") { link.as_str() } else { "/notifications" };
    Ok(see_other(to))
}

async fn read_all(
    State(state): State<AppState>,
    viewer: Viewer,
    _form: CsrfForm<serde_json::Value>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    db::notifications::mark_all_read(&state.db, &actor, state.now_ms()).await?;
    Ok(see_other("/notifications?ok=all_read"))
}

#[derive(Deserialize)]
struct EmailForm {
    #[serde(default)]
    email: String,
}

async fn set_email(State(state): State<AppState>, viewer: Viewer, form: CsrfForm<EmailForm>) -> PageResult<Response> {
    let actor = viewer.require()?;
    match db::notifications::set_email(&state.db, &actor, &form.data.email, state.now_ms()).await {
        Ok(()) => Ok(see_other("/account?ok=email_saved")),
        Err(e @ db::AppError::Validation(_)) => {
            let errors = FormErrors::from_app(&e);
            super::account::account_page(&state, &viewer, FormErrors::default(), None, Some((form.data.email, errors)))
                .await
        }
        Err(e) => Err(e.into()),
    }
}
