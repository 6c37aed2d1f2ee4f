//! Visit tallies: the counted visits (every visit a supervisor has not rejected) of each
//! enrolment as one short row of days (`entity::visit_tally`). Every write that changes which
//! visits count — recording one, a supervisor's decision — rebuilds the person's row in the same
//! transaction, from the visits themselves; output progress then reads one row per person
//! instead of every visit. The tally is derived data: `rebuild_all` makes it again from `visits`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::delivery::{Channel, Contact};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use super::local_date;
use crate::entity::{project_person, visit, visit_tally};
use crate::{AppResult, db_err};

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

fn channel_char(c: Channel) -> char {
    match c {
        Channel::Home => 'h',
        Channel::Phone => 'p',
    }
}

/// `h20412,h20419*2,p20420` from contacts (any order).
pub fn encode(contacts: &[Contact]) -> String {
    let mut days: BTreeMap<(NaiveDate, char), u32> = BTreeMap::new();
    for c in contacts {
        *days.entry((c.date, channel_char(c.channel))).or_default() += 1;
    }
    let parts: Vec<String> = days
        .into_iter()
        .map(|((date, ch), n)| {
            let day = (date - epoch()).num_days();
            if n == 1 { format!("{ch}{day}") } else { format!("{ch}{day}*{n}") }
        })
        .collect();
    parts.join(",")
}

/// The contacts of an encoded tally, in date order; unreadable parts are skipped.
pub fn decode(days: &str) -> Vec<Contact> {
    let mut out = Vec::new();
    for part in days.split(',').filter(|p| !p.is_empty()) {
        let channel = if part.starts_with('p') { Channel::Phone } else { Channel::Home };
        let rest = part.get(1..).unwrap_or_default();
        let (day, n) = rest.split_once('*').unwrap_or((rest, "1"));
        let (Ok(day), Ok(n)) = (day.parse::<i64>(), n.parse::<u32>()) else { continue };
        let Some(date) = epoch().checked_add_signed(chrono::Duration::days(day)) else { continue };
        out.extend(std::iter::repeat_n(Contact { date, channel }, n as usize));
    }
    out.sort();
    out
}

/// Make one enrolment's tally again from its visits (removing it when none count). Called in
/// the transaction of a write to the person's visits, after that write: the enrolment row is
/// locked first (PostgreSQL, MySQL), so two check-ins for one person at the same moment tally one
/// after the other and neither is lost. SQLite has a single writer already.
pub async fn rebuild<C: ConnectionTrait>(db: &C, project_person_id: &str, now_ms: i64) -> AppResult<()> {
    project_person::Entity::find_by_id(project_person_id).lock_exclusive().one(db).await.map_err(db_err)?;
    let rows: Vec<(String, String, String, i64)> = visit::Entity::find()
        .select_only()
        .column(visit::Column::ProjectId)
        .column(visit::Column::PersonId)
        .column(visit::Column::Channel)
        .column(visit::Column::OccurredMs)
        .filter(visit::Column::ProjectPersonId.eq(project_person_id))
        .filter(visit::Column::Review.ne("rejected"))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let Some((project_id, person_id, _, _)) = rows.first().cloned() else {
        visit_tally::Entity::delete_by_id(project_person_id).exec(db).await.map_err(db_err)?;
        return Ok(());
    };
    let contacts: Vec<Contact> = rows
        .iter()
        .map(|(_, _, ch, ms)| Contact {
            date: local_date(*ms),
            channel: if ch == "phone" { Channel::Phone } else { Channel::Home },
        })
        .collect();
    let row = visit_tally::ActiveModel {
        project_person_id: Set(project_person_id.to_string()),
        project_id: Set(project_id),
        person_id: Set(person_id),
        days: Set(encode(&contacts)),
        updated_ms: Set(now_ms),
    };
    visit_tally::Entity::insert(row)
        .on_conflict(
            OnConflict::column(visit_tally::Column::ProjectPersonId)
                .update_columns([visit_tally::Column::Days, visit_tally::Column::UpdatedMs])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

async fn rebuild_where<C: ConnectionTrait>(db: &C, project_id: Option<&str>, now_ms: i64) -> AppResult<usize> {
    let mut q = visit::Entity::find().select_only().column(visit::Column::ProjectPersonId).distinct();
    if let Some(p) = project_id {
        q = q.filter(visit::Column::ProjectId.eq(p));
    }
    let ids: Vec<String> = q.into_tuple().all(db).await.map_err(db_err)?;
    for id in &ids {
        rebuild(db, id, now_ms).await?;
    }
    Ok(ids.len())
}

/// Rebuild the tallies of every enrolment of a project (after a bulk load of visits).
pub async fn rebuild_project<C: ConnectionTrait>(db: &C, project_id: &str, now_ms: i64) -> AppResult<usize> {
    rebuild_where(db, Some(project_id), now_ms).await
}

/// Rebuild every tally (the migration that introduced them; an operator's repair).
pub async fn rebuild_all<C: ConnectionTrait>(db: &C) -> AppResult<usize> {
    rebuild_where(db, None, 0).await
}

/// The tallies of a project: (project-person id, person id, counted contacts in date order).
pub async fn of_project<C: ConnectionTrait>(
    db: &C,
    project_id: &str,
) -> AppResult<Vec<(String, String, Vec<Contact>)>> {
    let rows: Vec<(String, String, String)> = visit_tally::Entity::find()
        .select_only()
        .column(visit_tally::Column::ProjectPersonId)
        .column(visit_tally::Column::PersonId)
        .column(visit_tally::Column::Days)
        .filter(visit_tally::Column::ProjectId.eq(project_id))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().map(|(pp, person, days)| (pp, person, decode(&days))).collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_tally_keeps_every_counted_contact() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let contacts = vec![
            Contact { date: d(11, 2), channel: Channel::Home },
            Contact { date: d(10, 5), channel: Channel::Phone },
            Contact { date: d(11, 2), channel: Channel::Home },
            Contact { date: d(11, 2), channel: Channel::Phone },
        ];
        let text = encode(&contacts);
        assert_eq!(text, "p20731,h20759*2,p20759");
        let mut sorted = contacts.clone();
        sorted.sort();
        assert_eq!(decode(&text), sorted);
        assert!(decode("").is_empty());
        assert_eq!(decode("x,h1*z,h0").len(), 1, "unreadable parts are skipped");
    }
}
