//! One error type for the app. Every variant has a stable code; the web layer renders it as a
//! Chinese page, a form error or JSON.

use serde::Serialize;

/// A problem with one field of a form or a row of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's machine name ("uscc").
    pub field: String,
    /// A Chinese sentence naming the field ("统一社会信用代码：校验位不正确").
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    #[error("未登录或登录已过期")]
    Unauthenticated,
    #[error("没有权限访问")]
    Forbidden,
    #[error("{0}不存在")]
    NotFound(String),
    #[error("{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("；"))]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("请求过于频繁或账号已锁定：{0}")]
    Locked(String),
    #[error("系统内部错误，请稍后再试")]
    Internal(String),
}

impl AppError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Validation(_) => "validation",
            AppError::Conflict(_) => "conflict",
            AppError::Locked(_) => "locked",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Validation(v) => v,
            _ => &[],
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
