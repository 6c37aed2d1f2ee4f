//! The counted visits of a project for output progress (the contract with `db::progress`).

use chrono::{NaiveDate, TimeZone};
use domain::delivery::{Channel, Contact, DeliveryFacts};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entity::visit;
use crate::{AppResult, db_err};

/// The Asia/Shanghai calendar date of an instant in milliseconds.
pub fn local_date(ms: i64) -> NaiveDate {
    domain::clock::shanghai().timestamp_millis_opt(ms).single().map(|t| t.date_naive()).unwrap_or_default()
}

/// Add the counted visits (every visit not rejected by a supervisor, dated on or before `as_of`)
/// of `project_id` to the contacts of the matching people of `facts`. A person is matched by
/// its `PersonFacts.id`, which may be the person id or the project-person (enrolment) id.
pub async fn add_facts<C: ConnectionTrait>(
    db: &C,
    project_id: &str,
    facts: &mut DeliveryFacts,
    as_of: NaiveDate,
) -> AppResult<()> {
    let rows: Vec<(String, String, String, i64)> = visit::Entity::find()
        .select_only()
        .column(visit::Column::PersonId)
        .column(visit::Column::ProjectPersonId)
        .column(visit::Column::Channel)
        .column(visit::Column::OccurredMs)
        .filter(visit::Column::ProjectId.eq(project_id))
        .filter(visit::Column::Review.ne("rejected"))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let mut index = std::collections::HashMap::new();
    for (i, p) in facts.people.iter().enumerate() {
        index.insert(p.id.clone(), i);
    }
    for (person_id, pp_id, channel, occurred) in rows {
        let date = local_date(occurred);
        if date > as_of {
            continue;
        }
        let Some(&i) = index.get(&person_id).or_else(|| index.get(&pp_id)) else { continue };
        let channel = if channel == "phone" { Channel::Phone } else { Channel::Home };
        if let Some(p) = facts.people.get_mut(i) {
            p.contacts.push(Contact { date, channel });
        }
    }
    for p in &mut facts.people {
        p.contacts.sort();
    }
    Ok(())
}
