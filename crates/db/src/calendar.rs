//! The holiday calendar kept in the database: the official years are seeded on first start,
//! an administrator adds a year when the State Council announces it.

use domain::calendar::{HolidayCalendar, YearCalendar};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, IntoActiveModel, QueryOrder};

use crate::audit::Event;
use crate::entity::calendar_year;
use crate::{Actor, AppError, AppResult, db_err};

/// Store the shipped official years that are not in the database yet.
pub async fn seed_official<C: ConnectionTrait>(db: &C, now_ms: i64) -> AppResult<()> {
    let present: Vec<i32> =
        calendar_year::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|y| y.year).collect();
    for y in HolidayCalendar::official().years() {
        if !present.contains(&y.year) {
            insert(db, y, now_ms).await?;
        }
    }
    Ok(())
}

async fn insert<C: ConnectionTrait>(db: &C, y: &YearCalendar, now_ms: i64) -> AppResult<()> {
    calendar_year::ActiveModel {
        year: Set(y.year),
        data_json: Set(serde_json::to_string(y).map_err(|e| AppError::Internal(e.to_string()))?),
        updated_ms: Set(now_ms),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// The calendar as stored.
pub async fn load<C: ConnectionTrait>(db: &C) -> AppResult<HolidayCalendar> {
    let mut cal = HolidayCalendar::default();
    for row in calendar_year::Entity::find().order_by_asc(calendar_year::Column::Year).all(db).await.map_err(db_err)? {
        if let Ok(y) = serde_json::from_str::<YearCalendar>(&row.data_json) {
            cal.add_year(y).map_err(|e| AppError::Internal(e.to_string()))?;
        }
    }
    Ok(cal)
}

/// Add or replace one year (administrators).
pub async fn save_year<C: ConnectionTrait>(db: &C, actor: &Actor, year: YearCalendar, now_ms: i64) -> AppResult<()> {
    if !actor.is_admin() {
        return Err(AppError::Forbidden);
    }
    let mut check = HolidayCalendar::default();
    check.add_year(year.clone()).map_err(|e| AppError::field("calendar", e.to_string()))?;
    let existing = calendar_year::Entity::find_by_id(year.year).one(db).await.map_err(db_err)?;
    let before = existing.as_ref().map(|e| e.data_json.clone());
    match existing {
        Some(e) => {
            let mut a = e.into_active_model();
            a.data_json = Set(serde_json::to_string(&year).map_err(|e| AppError::Internal(e.to_string()))?);
            a.updated_ms = Set(now_ms);
            a.update(db).await.map_err(db_err)?;
        }
        None => insert(db, &year, now_ms).await?,
    }
    Event::new(actor, now_ms, "calendar.save_year", "calendar_year", &year.year.to_string())
        .before(&before)
        .after(&year)
        .write(db)
        .await
}
