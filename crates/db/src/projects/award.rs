//! A project from a final award (立项): the application's title, organization and call item, and
//! the call item's required outputs with the quantities the application proposed.

use chrono::{Datelike, NaiveDate};
use domain::program::OutputTarget;
use domain::role::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::applications::ProposedOutput;
use crate::audit::Event;
use crate::entity::{application, award, call_item, organization, program, project};
use crate::{Actor, AppError, AppResult, db_err, new_id};

/// The call item's outputs with each proposed quantity in place of the required one (a proposal
/// never lowers a target: the application form refuses that).
pub fn merge_outputs(required: &[OutputTarget], proposed: &[ProposedOutput]) -> Vec<OutputTarget> {
    required
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut t = t.clone();
            if let Some(p) = proposed.iter().find(|p| p.index as usize == i) {
                t.quantity = Some(t.quantity.map_or(p.quantity, |q| q.max(p.quantity)));
            }
            t
        })
        .collect()
}

fn date_of_ms(ms: i64) -> NaiveDate {
    crate::visits::local_date(ms)
}

/// Build the project of a final award. The funder managing the program or the awarded
/// organization's admin. One project per award.
pub async fn create_from_award<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    award_id: &str,
    now_ms: i64,
) -> AppResult<String> {
    let not_found = || AppError::NotFound("立项".into());
    let a = award::Entity::find_by_id(award_id).one(db).await.map_err(db_err)?.ok_or_else(not_found)?;
    let prog =
        program::Entity::find_by_id(a.program_id.as_str()).one(db).await.map_err(db_err)?.ok_or_else(not_found)?;
    let allowed = crate::programs::may_manage(actor, &prog)
        || (actor.role == Role::OrgAdmin && actor.organization_id.as_deref() == Some(a.organization_id.as_str()));
    if !allowed {
        return Err(not_found());
    }
    if a.status != "final" {
        return Err(AppError::Conflict("立项尚未生效，不能建立项目".into()));
    }
    let existing =
        project::Entity::find().filter(project::Column::AwardId.eq(a.id.as_str())).one(db).await.map_err(db_err)?;
    if existing.is_some() {
        return Err(AppError::Conflict("该立项已建立项目".into()));
    }
    let app = application::Entity::find_by_id(a.application_id.as_str())
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(not_found)?;
    let item_id = a.call_item_id.clone().or(app.call_item_id.clone());
    let item = match &item_id {
        Some(i) => call_item::Entity::find_by_id(i.as_str()).one(db).await.map_err(db_err)?,
        None => None,
    };
    let required: Vec<OutputTarget> =
        item.as_ref().map(|i| serde_json::from_str(&i.outputs_json).unwrap_or_default()).unwrap_or_default();
    let proposed: Vec<ProposedOutput> = serde_json::from_str(&app.outputs_json).unwrap_or_default();
    let targets = merge_outputs(&required, &proposed);
    let org = organization::Entity::find_by_id(a.organization_id.as_str()).one(db).await.map_err(db_err)?;
    let place: Option<String> = item
        .as_ref()
        .and_then(|i| serde_json::from_str::<Vec<String>>(&i.place_codes_json).ok())
        .and_then(|v| if v.len() == 1 { v.into_iter().next() } else { None });
    let area_code = place.or_else(|| org.and_then(|o| o.area_code)).unwrap_or_else(|| prog.area_code.clone());
    let awarded = date_of_ms(a.awarded_ms);
    let start_on = item.as_ref().and_then(|i| i.period_start).unwrap_or(awarded);
    let end_on = item
        .as_ref()
        .and_then(|i| i.period_end)
        .unwrap_or_else(|| start_on.with_year(start_on.year() + 1).and_then(|d| d.pred_opt()).unwrap_or(start_on));
    let id = new_id();
    project::ActiveModel {
        id: Set(id.clone()),
        program_id: Set(Some(a.program_id.clone())),
        call_item_id: Set(item_id),
        award_id: Set(Some(a.id.clone())),
        organization_id: Set(a.organization_id.clone()),
        title: Set(app.title.clone()),
        area_code: Set(area_code),
        start_on: Set(start_on),
        end_on: Set(end_on.max(start_on)),
        targets_json: Set(super::to_json(&targets)),
        status: Set("active".into()),
        created_ms: Set(now_ms),
        updated_ms: Set(now_ms),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    let after = serde_json::json!({ "award_id": a.id, "title": app.title, "targets": targets });
    Event::new(actor, now_ms, "project.create_from_award", "project", &id).after(&after).write(db).await?;
    Ok(id)
}
