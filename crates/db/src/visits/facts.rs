//! The counted visits of a project for output progress (the contract with `db::progress`).

use chrono::{NaiveDate, TimeZone};
use domain::delivery::DeliveryFacts;
use sea_orm::ConnectionTrait;

use crate::AppResult;

/// The Asia/Shanghai calendar date of an instant in milliseconds.
pub fn local_date(ms: i64) -> NaiveDate {
    domain::clock::shanghai().timestamp_millis_opt(ms).single().map(|t| t.date_naive()).unwrap_or_default()
}

/// Add the counted visits (every visit not rejected by a supervisor, dated on or before `as_of`)
/// of `project_id` to the contacts of the matching people of `facts`, from the project's visit
/// tallies (one row per person). A person is matched by its `PersonFacts.id`, which may be the
/// person id or the project-person (enrolment) id.
pub async fn add_facts<C: ConnectionTrait>(
    db: &C,
    project_id: &str,
    facts: &mut DeliveryFacts,
    as_of: NaiveDate,
) -> AppResult<()> {
    let mut index = std::collections::HashMap::new();
    for (i, p) in facts.people.iter().enumerate() {
        index.insert(p.id.clone(), i);
    }
    for (pp_id, person_id, contacts) in super::tally::of_project(db, project_id).await? {
        let Some(&i) = index.get(&person_id).or_else(|| index.get(&pp_id)) else { continue };
        if let Some(p) = facts.people.get_mut(i) {
            p.contacts.extend(contacts.into_iter().filter(|c| c.date <= as_of));
        }
    }
    for p in &mut facts.people {
        p.contacts.sort();
    }
    Ok(())
}
