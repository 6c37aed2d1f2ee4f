//! Server-rendered pages, one module per area of the interface.

mod account;
mod applications;
mod areas;
mod audit;
mod calendar;
mod decision;
mod home;
mod items;
mod notices;
mod notifications;
mod organizations;
mod persons;
mod programs;
mod projects;
mod public;
mod registry;
mod review;
mod services;
mod shared;
mod users;
mod visits;

use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

pub use shared::{Choice, is_manager, next_href, unprocessable, unprocessable_if, zh};

use crate::auth::Viewer;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(home::routes())
        .merge(account::routes())
        .merge(public::routes())
        .merge(programs::routes())
        .merge(items::routes())
        .merge(organizations::routes())
        .merge(persons::routes())
        .merge(registry::routes())
        .merge(users::routes())
        .merge(areas::routes())
        .merge(audit::routes())
        .merge(calendar::routes())
        .merge(applications::routes())
        .merge(projects::routes())
        .merge(services::routes())
        .merge(visits::routes())
        .merge(review::routes())
        .merge(notifications::routes())
        .merge(decision::routes())
        .merge(notices::routes())
}

/// Render a template into a response (a failure to render is a 500 with a plain message).
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template");
            (StatusCode::INTERNAL_SERVER_ERROR, "页面渲染失败").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: Ctx,
    message: String,
}

/// A Chinese error page with the status code (used for every page error), for a viewer not
/// known yet (the session middleware draws it again with the real one).
pub fn error_page(status: StatusCode, message: &str) -> Response {
    error_page_for(&Viewer { session: None, tr: Tr::default(), unread: 0 }, status, message)
}

/// The error page as `viewer` sees it.
pub fn error_page_for(viewer: &Viewer, status: StatusCode, message: &str) -> Response {
    let title = viewer.tr.get(match status {
        StatusCode::NOT_FOUND => "error.not_found",
        StatusCode::FORBIDDEN => "error.forbidden",
        StatusCode::UNPROCESSABLE_ENTITY => "error.invalid",
        StatusCode::TOO_MANY_REQUESTS => "error.too_many",
        _ => "error.other",
    });
    let page = ErrorPage { ctx: Ctx::new(viewer, "", title), message: message.to_string() };
    (status, render(&page)).into_response()
}

pub async fn not_found() -> Response {
    let message = "您访问的页面不存在。";
    let mut res = error_page(StatusCode::NOT_FOUND, message);
    res.extensions_mut().insert(crate::error::ErrorShown(message.to_string()));
    res
}

/// Query parameters most list pages take.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub after: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub ok: Option<String>,
}

/// Redirect after a successful POST (303 so the browser GETs the target).
pub fn see_other(to: &str) -> Response {
    axum::response::Redirect::to(to).into_response()
}
