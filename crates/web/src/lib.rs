//! Gongyi over HTTP: server-rendered pages (askama), a JSON API under /api/v1 with an OpenAPI
//! document, health checks. Works without JavaScript; one small script only enhances.

pub mod api;
pub mod auth;
pub mod describe;
pub mod error;
pub mod excel;
pub mod forms;
pub mod i18n;
pub mod mailer;
pub mod pages;
pub mod state;
pub mod view;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;

pub use state::{AppState, Config};

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route(
            "/static/app.css",
            get(|| async { static_file("text/css; charset=utf-8", include_str!("../static/app.css")) }),
        )
        .route(
            "/static/app.js",
            get(|| async { static_file("text/javascript; charset=utf-8", include_str!("../static/app.js")) }),
        )
        // the session middleware wraps the pages' fallback too: a 404 keeps the user's header
        .merge(
            pages::routes()
                .fallback(pages::not_found)
                .layer(axum::middleware::from_fn_with_state(state.clone(), auth::session_middleware)),
        )
        .nest("/api", api::routes())
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

async fn readyz(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    if db::conn::ping(&state.db).await {
        (axum::http::StatusCode::OK, "ready")
    } else {
        (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}

fn static_file(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body)
}

async fn security_headers(mut res: axum::response::Response) -> axum::response::Response {
    let h = res.headers_mut();
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"),
    );
    res
}
