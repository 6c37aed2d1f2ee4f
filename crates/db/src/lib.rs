//! Gongyi data layer: SeaORM entities, one portable migration tree, repositories that apply
//! data scopes, and the demo data loader. Works on SQLite, PostgreSQL and MySQL/MariaDB.

pub mod applications;
pub mod areas;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod awards;
pub mod calendar;
pub mod conn;
pub mod crypto;
pub mod decision;
pub mod demo;
pub mod demo_applications;
pub mod demo_projects;
pub mod demo_registry;
pub mod entity;
pub mod files;
pub mod households;
pub mod jobs;
pub mod migration;
pub mod notices;
pub mod notifications;
pub mod organizations;
pub mod pagination;
pub mod passwords;
pub mod persons;
pub mod programs;
pub mod progress;
pub mod projects;
pub mod review;
pub mod scope;
pub mod services;
pub mod synthetic;
pub mod testing;
pub mod users;
pub mod visits;

pub use conn::{connect, migrate};
pub use domain::error::{AppError, AppResult, FieldError};
pub use pagination::{Page, PageRequest};
pub use scope::{Actor, Scope};
pub use sea_orm::DatabaseConnection;

/// A new app-generated id: UUIDv7, time-ordered, portable as text.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Map a database error to the app error (details go to the log, not to the user).
pub fn db_err(e: sea_orm::DbErr) -> AppError {
    tracing::error!(error = %e, "database error");
    AppError::Internal(e.to_string())
}

/// Milliseconds since the epoch of a clock's now.
pub fn now_ms(clock: &dyn domain::clock::Clock) -> i64 {
    clock.now().timestamp_millis()
}
