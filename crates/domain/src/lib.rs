//! Pure rules and types of Gongyi. No database, no HTTP: everything here is tested on values.

pub mod area;
pub mod beneficiary;
pub mod calendar;
pub mod clock;
pub mod delivery;
pub mod eligibility;
pub mod error;
pub mod fixed;
pub mod ids;
pub mod money;
pub mod program;
pub mod review;
pub mod role;
pub mod rules;
