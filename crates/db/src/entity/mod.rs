//! SeaORM entities, one table per file.

pub mod annual_inspection;
pub mod application;
pub mod application_version;
pub mod area;
pub mod audit_entry;
pub mod calendar_year;
pub mod call_item;
pub mod household;
pub mod organization;
pub mod person;
pub mod phase;
pub mod program;
pub mod screening;
pub mod session;
pub mod staff_member;
pub mod track;
pub mod user;
