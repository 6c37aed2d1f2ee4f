//! The counted services and professional work of a project for output progress (the contract
//! with `db::progress`): records dated after `as_of` are left out.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::delivery::{
    ActivityFacts, CaseFacts, DeliveryFacts, GroupFacts, SupervisionFacts, TrainingFacts, VolunteerServiceFacts,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

use crate::entity::{
    activity, activity_signin, case_file, group_member, group_session, service_group, service_record, supervision,
    training, volunteer, volunteer_hour, volunteer_team,
};
use crate::{AppResult, db_err};

fn n(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

/// Add the service records, cases, groups, activities, trainings, supervision sessions and
/// volunteer registry and hours of `project_id` to `facts`.
pub async fn add_facts<C: ConnectionTrait>(
    db: &C,
    project_id: &str,
    facts: &mut DeliveryFacts,
    as_of: NaiveDate,
) -> AppResult<()> {
    let dates: Vec<NaiveDate> = service_record::Entity::find()
        .select_only()
        .column(service_record::Column::ServedOn)
        .filter(service_record::Column::ProjectId.eq(project_id))
        .filter(service_record::Column::ServedOn.lte(as_of))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    facts.service_records.extend(dates);

    let cases = case_file::Entity::find()
        .filter(case_file::Column::ProjectId.eq(project_id))
        .filter(case_file::Column::OpenedOn.lte(as_of))
        .all(db)
        .await
        .map_err(db_err)?;
    facts.cases.extend(cases.into_iter().map(|c| CaseFacts { opened_on: c.opened_on, closed_on: c.closed_on }));

    add_groups(db, project_id, facts, as_of).await?;
    add_activities(db, project_id, facts, as_of).await?;

    let trainings = training::Entity::find()
        .filter(training::Column::ProjectId.eq(project_id))
        .filter(training::Column::HeldOn.lte(as_of))
        .all(db)
        .await
        .map_err(db_err)?;
    facts.trainings.extend(trainings.into_iter().map(|x| TrainingFacts {
        date: x.held_on,
        minutes: n(x.minutes),
        trainees: n(x.trainees),
        examined: n(x.examined),
        passed: n(x.passed),
    }));

    let sessions = supervision::Entity::find()
        .filter(supervision::Column::ProjectId.eq(project_id))
        .filter(supervision::Column::HeldOn.lte(as_of))
        .all(db)
        .await
        .map_err(db_err)?;
    facts.supervisions.extend(sessions.into_iter().map(|s| SupervisionFacts {
        date: s.held_on,
        minutes: n(s.minutes),
        supervisees: n(s.supervisees),
    }));

    let volunteers = volunteer::Entity::find()
        .filter(volunteer::Column::ProjectId.eq(project_id))
        .count(db)
        .await
        .map_err(db_err)?;
    facts.volunteers += u32::try_from(volunteers).unwrap_or(u32::MAX);
    let teams = volunteer_team::Entity::find()
        .filter(volunteer_team::Column::ProjectId.eq(project_id))
        .count(db)
        .await
        .map_err(db_err)?;
    facts.volunteer_teams += u32::try_from(teams).unwrap_or(u32::MAX);
    let hours: Vec<(NaiveDate, i32)> = volunteer_hour::Entity::find()
        .select_only()
        .column(volunteer_hour::Column::ServedOn)
        .column(volunteer_hour::Column::Minutes)
        .filter(volunteer_hour::Column::ProjectId.eq(project_id))
        .filter(volunteer_hour::Column::ServedOn.lte(as_of))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    facts.volunteer_service.extend(hours.into_iter().map(|(date, m)| VolunteerServiceFacts { date, minutes: n(m) }));
    Ok(())
}

/// Each group with its member count and session dates (two `IN` queries for all groups).
async fn add_groups<C: ConnectionTrait>(
    db: &C,
    project_id: &str,
    facts: &mut DeliveryFacts,
    as_of: NaiveDate,
) -> AppResult<()> {
    let ids: Vec<String> = service_group::Entity::find()
        .select_only()
        .column(service_group::Column::Id)
        .filter(service_group::Column::ProjectId.eq(project_id))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    if ids.is_empty() {
        return Ok(());
    }
    let members: Vec<String> = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::GroupId)
        .filter(group_member::Column::GroupId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let sessions: Vec<(String, NaiveDate)> = group_session::Entity::find()
        .select_only()
        .column(group_session::Column::GroupId)
        .column(group_session::Column::HeldOn)
        .filter(group_session::Column::GroupId.is_in(ids.clone()))
        .filter(group_session::Column::HeldOn.lte(as_of))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let mut by_id: HashMap<String, GroupFacts> = ids.iter().map(|id| (id.clone(), GroupFacts::default())).collect();
    for g in members {
        if let Some(f) = by_id.get_mut(&g) {
            f.members += 1;
        }
    }
    for (g, d) in sessions {
        if let Some(f) = by_id.get_mut(&g) {
            f.sessions.push(d);
        }
    }
    for id in ids {
        if let Some(mut g) = by_id.remove(&id) {
            g.sessions.sort_unstable();
            facts.groups.push(g);
        }
    }
    Ok(())
}

/// Each activity with its participants: the larger of the head count and the sign-ins.
async fn add_activities<C: ConnectionTrait>(
    db: &C,
    project_id: &str,
    facts: &mut DeliveryFacts,
    as_of: NaiveDate,
) -> AppResult<()> {
    let rows: Vec<(String, NaiveDate, i32)> = activity::Entity::find()
        .select_only()
        .column(activity::Column::Id)
        .column(activity::Column::HeldOn)
        .column(activity::Column::HeadCount)
        .filter(activity::Column::ProjectId.eq(project_id))
        .filter(activity::Column::HeldOn.lte(as_of))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    if rows.is_empty() {
        return Ok(());
    }
    let signins = signin_counts(db, rows.iter().map(|r| r.0.clone()).collect()).await?;
    facts.activities.extend(rows.into_iter().map(|(id, date, head)| ActivityFacts {
        date,
        participants: n(head).max(signins.get(&id).copied().unwrap_or(0)),
    }));
    Ok(())
}

/// Sign-ins per activity id.
pub(crate) async fn signin_counts<C: ConnectionTrait>(db: &C, ids: Vec<String>) -> AppResult<HashMap<String, u32>> {
    let rows: Vec<String> = activity_signin::Entity::find()
        .select_only()
        .column(activity_signin::Column::ActivityId)
        .filter(activity_signin::Column::ActivityId.is_in(ids))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let mut out = HashMap::new();
    for id in rows {
        *out.entry(id).or_insert(0) += 1;
    }
    Ok(out)
}
