//! JSON API under /api/v1 (bearer tokens) and the OpenAPI document at /api/openapi.json.
//!
//! Every handler carries `#[utoipa::path]`; request and response bodies are the DTOs of each
//! resource module, or domain types whose schemas the domain crate derives under its `openapi`
//! feature. Errors are always
//! `{"error": {"code", "message", "fields": [...]}}` (see [`crate::error::ApiError`]).

mod application_types;
mod applications;
mod areas;
mod assessments;
mod auth;
mod items;
mod notices;
mod notifications;
pub mod openapi;
mod organizations;
mod persons;
mod programs;
mod projects;
mod review;
mod schemas;
mod services;
mod users;
mod visits;
mod volunteers;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::routing::get;
use axum::{Json, Router};
use db::{AppError, FieldError, Page, PageRequest};
use sea_orm::{DatabaseTransaction, TransactionTrait};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    let v1 = Router::new()
        .merge(auth::routes())
        .merge(areas::routes())
        .merge(organizations::routes())
        .merge(users::routes())
        .merge(programs::routes())
        .merge(projects::routes())
        .merge(review::routes())
        .merge(persons::routes())
        .merge(items::routes())
        .merge(applications::routes())
        .merge(notifications::routes())
        .merge(notices::routes())
        .merge(services::routes())
        .merge(visits::routes())
        .merge(assessments::routes())
        .merge(volunteers::routes())
        .fallback(not_found);
    Router::new().route("/openapi.json", get(openapi::document)).nest("/v1", v1).fallback(not_found)
}

async fn not_found() -> ApiError {
    ApiError(AppError::NotFound("接口".into()))
}

/// A page of a list. Pass `next_cursor` as `after` to get the next page; it is null on the last
/// page. Rows are in a stable order (by id, or by code for areas).
#[derive(Debug, Serialize, ToSchema)]
pub struct PageDto<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> PageDto<T> {
    pub fn of<U>(page: Page<U>, f: impl FnMut(U) -> T) -> Self {
        PageDto { items: page.items.into_iter().map(f).collect(), next_cursor: page.next_cursor }
    }
}

/// Keyset paging parameters shared by every list.
#[derive(Debug, Clone, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

impl PageParams {
    pub fn request(self) -> PageRequest {
        PageRequest { after: self.after.filter(|a| !a.is_empty()), limit: self.limit }
    }
}

/// A serde message from axum ("…: path: detail") as a field error naming the field; `prefix`
/// is the text axum puts before the serde message.
fn data_error(what: &str, text: &str, prefix: &str) -> ApiError {
    let detail = text.split_once(prefix).map(|(_, d)| d).unwrap_or(text);
    let (field, reason) = match detail.split_once(": ") {
        Some((path, reason)) if !path.is_empty() && path != "." && !path.contains(' ') => (path, reason),
        _ => ("body", detail),
    };
    let message = if field == "body" {
        format!("{what}：格式不正确（{reason}）")
    } else {
        format!("{what}：字段 {field} 格式不正确（{reason}）")
    };
    ApiError(AppError::Validation(vec![FieldError::new(field, message)]))
}

fn json_error(e: JsonRejection) -> ApiError {
    let message = match &e {
        JsonRejection::JsonDataError(_) => return data_error("请求内容", &e.body_text(), "target type: "),
        JsonRejection::JsonSyntaxError(_) => "请求内容：不是合法的JSON",
        JsonRejection::MissingJsonContentType(_) => "请求内容：请以 Content-Type: application/json 提交JSON",
        _ => "请求内容：无法读取",
    };
    ApiError(AppError::field("body", message))
}

/// `axum::Json` whose rejections are API errors in the usual JSON shape.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(json_error(e)),
        }
    }
}

/// `axum::extract::Query` whose rejections are API errors in the usual JSON shape.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(data_error("查询参数", &e.body_text(), "query string: ")),
        }
    }
}

/// Start a transaction: a change and its audit entry are written together or not at all.
pub async fn begin(state: &AppState) -> ApiResult<DatabaseTransaction> {
    Ok(state.db.begin().await.map_err(db::db_err)?)
}

pub async fn commit(txn: DatabaseTransaction) -> ApiResult<()> {
    Ok(txn.commit().await.map_err(db::db_err)?)
}

/// An empty string as None (query and body fields a client leaves blank).
pub fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_name_the_field() {
        let e = data_error(
            "请求内容",
            "Failed to deserialize the JSON body into the target type: funding_cap: 金额格式不正确：x at line 1 column 9",
            "target type: ",
        );
        assert_eq!(e.0.field_errors()[0].field, "funding_cap");
        let e = data_error(
            "请求内容",
            "Failed to deserialize the JSON body into the target type: invalid type: map, expected a string",
            "target type: ",
        );
        assert_eq!(e.0.field_errors()[0].field, "body");
        let e = data_error(
            "查询参数",
            "Failed to deserialize query string: limit: invalid digit found in string",
            "query string: ",
        );
        assert_eq!(e.0.field_errors()[0].field, "limit");
        assert!(e.0.field_errors()[0].message.starts_with("查询参数：字段 limit"));
    }
}
