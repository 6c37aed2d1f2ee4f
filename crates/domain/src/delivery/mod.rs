//! Field delivery (服务实施) as pure values: visit rules and schedules, the worker's daily list,
//! visit anomalies, the child risk grade and live output progress.
//!
//! Nothing here touches a database or the network: every function takes plain records and a
//! date and returns values with a Chinese explanation, so the web pages, the API and the tests
//! compute the same numbers. Dates are Asia/Shanghai calendar dates; times are local
//! Asia/Shanghai times ([`crate::clock::shanghai`]).
//!
//! * [`visit`] — visit rules as data (weekly, monthly, quarterly, by risk grade, remote weekly,
//!   optional yearly minimum), resolved to a [`Requirement`].
//! * [`schedule`] — a person's periods met or missed, next due date and overdue days.
//! * [`worklist`] — a worker's list for a day, most urgent first.
//! * [`anomaly`] — flags on a new visit (far away, no location, too short, repeated, impossible
//!   travel, revoked card, recorded late) with thresholds as data.
//! * [`risk`] — red / yellow / blue / green from guardianship, behaviour and physiological risk.
//! * [`mod@progress`] — each output target computed from the counted facts, with pace.

pub mod anomaly;
pub mod facts;
pub mod geo;
mod people;
pub mod period;
pub mod progress;
pub mod quota;
pub mod risk;
pub mod schedule;
mod totals;
pub mod visit;
pub mod worklist;

#[cfg(test)]
mod tests;

pub use anomaly::{Anomaly, AnomalyKind, AnomalyRules, VisitContext, VisitEvent, detect};
pub use facts::{
    ActivityFacts, CaseFacts, DeliveryFacts, GroupFacts, PersonFacts, SatisfactionFacts, SupervisionFacts,
    TrainingFacts, VolunteerServiceFacts,
};
pub use geo::{Fix, GeoPoint};
pub use period::{Cadence, DateSpan};
pub use progress::{Progress, metric_label, progress};
pub use quota::YearStatus;
pub use risk::{Grade, RiskInputs, RiskLevel, RiskRule, RiskTable, grade};
pub use schedule::{Due, Overdue, PeriodState, PeriodStatus, VisitStatus, visit_status};
pub use visit::{Channel, Contact, GradeCadence, Requirement, RiskVisitTable, VisitPlan, VisitRule};
pub use worklist::{Assignment, Urgency, WorkItem, day_list};
