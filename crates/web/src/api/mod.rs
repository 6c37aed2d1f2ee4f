//! JSON API under /api/v1 (bearer tokens) and the OpenAPI document at /api/openapi.json.

use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
