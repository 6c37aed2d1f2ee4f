//! OpenAPI schemas that only describe JSON and belong to no Rust type the API passes through:
//! local date-times and the error body. Domain values (money, rules, output targets, enums)
//! derive their schemas in the domain crate under its `openapi` feature.
#![allow(dead_code)]

use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

/// A local Asia/Shanghai date and time without offset, e.g. "2021-06-10T12:00:00".
#[derive(ToSchema, Serialize)]
#[schema(value_type = String, example = "2021-06-10T12:00:00")]
pub struct LocalDateTime(NaiveDateTime);

/// A problem with one field.
#[derive(ToSchema, Serialize)]
pub struct FieldProblem {
    /// Machine name of the field ("uscc", "outputs.0.description").
    field: String,
    /// A Chinese sentence naming the field ("统一社会信用代码：校验位不正确").
    message: String,
}

#[derive(ToSchema, Serialize)]
pub struct ErrorDetail {
    /// unauthenticated, forbidden, not_found, validation, conflict, locked, internal.
    #[schema(example = "validation")]
    code: String,
    /// Chinese, for people.
    message: String,
    /// Every field problem (validation errors only; otherwise empty).
    fields: Vec<FieldProblem>,
}

/// Every error: 401 unauthenticated, 403 forbidden, 404 not_found (also for records outside
/// the caller's data scope), 409 conflict, 422 validation, 429 locked, 500 internal.
#[derive(ToSchema, Serialize)]
pub struct ErrorBody {
    error: ErrorDetail,
}
