//! Rendering the app error: a Chinese page for browsers, JSON with a stable code for the API.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::error::AppError;
use serde_json::json;

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Locked(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The message of an error page, on its response, so the session middleware can draw the page
/// again for the viewer (`auth::session_middleware`).
#[derive(Debug, Clone)]
pub struct ErrorShown(pub String);

/// An error on a page: rendered with the error template.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if self.0 == AppError::Unauthenticated {
            return axum::response::Redirect::to("/login").into_response();
        }
        let message = self.0.to_string();
        let mut res = crate::pages::error_page(status_of(&self.0), &message);
        res.extensions_mut().insert(ErrorShown(message));
        res
    }
}

/// An error in the JSON API: {"error": {"code", "message", "fields": [...]}}.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "error": {
                "code": self.0.code(),
                "message": self.0.to_string(),
                "fields": self.0.field_errors(),
            }
        });
        (status_of(&self.0), Json(body)).into_response()
    }
}

pub type PageResult<T> = Result<T, PageError>;
pub type ApiResult<T> = Result<T, ApiError>;
