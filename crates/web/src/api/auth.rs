//! Bearer tokens: exchange a user name and password for a token, revoke it.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use db::AppError;
use db::auth::{API_TOKEN_MS, SessionKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use super::schemas::ErrorBody;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/auth/token", post(issue_token).delete(revoke_token))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    #[serde(default)]
    #[schema(example = "funder")]
    pub username: String,
    #[serde(default)]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// When the token stops working (UTC, RFC 3339); 12 hours after it was issued.
    pub expires_at: DateTime<Utc>,
}

/// A failed login is 401 whatever the reason (unknown user, wrong password, disabled account),
/// with the Chinese reason; a locked account is 429.
fn login_failed(e: AppError) -> Response {
    match e {
        AppError::Validation(fields) => {
            let message = fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；");
            let body = serde_json::json!({
                "error": {"code": "unauthenticated", "message": message, "fields": fields}
            });
            (StatusCode::UNAUTHORIZED, Json(body)).into_response()
        }
        other => ApiError(other).into_response(),
    }
}

/// Issue an API token.
#[utoipa::path(
    post,
    path = "/api/v1/auth/token",
    operation_id = "issue_token",
    tag = "auth",
    request_body = TokenRequest,
    security(()),
    responses(
        (status = 200, description = "A new token", body = TokenResponse),
        (status = 401, description = "用户名或密码不正确 (or the account is disabled)", body = ErrorBody),
        (status = 422, description = "The body is not JSON", body = ErrorBody),
        (status = 429, description = "Too many failed attempts: the account is locked for a while", body = ErrorBody),
    )
)]
pub async fn issue_token(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, Response> {
    let now = state.now_ms();
    let user = db::auth::authenticate(&state.db, &req.username, &req.password, now).await.map_err(login_failed)?;
    let token = db::auth::create_session(&state.db, &user.id, SessionKind::Api, now)
        .await
        .map_err(|e| ApiError(e).into_response())?;
    let expires_at = DateTime::from_timestamp_millis(now + API_TOKEN_MS).unwrap_or_default();
    Ok(Json(TokenResponse { token, token_type: "Bearer".into(), expires_at }))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// Revoke the token of this request.
#[utoipa::path(
    delete,
    path = "/api/v1/auth/token",
    operation_id = "revoke_token",
    tag = "auth",
    responses(
        (status = 204, description = "The token no longer works"),
        (status = 401, description = "No valid token", body = ErrorBody),
    )
)]
pub async fn revoke_token(State(state): State<AppState>, _user: ApiUser, headers: HeaderMap) -> ApiResult<StatusCode> {
    if let Some(token) = bearer(&headers) {
        db::auth::end_session(&state.db, token).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
