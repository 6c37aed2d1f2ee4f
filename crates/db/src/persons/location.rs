//! A person's optional home map point (WGS-84 degrees, stored × 1,000,000 as integers) used by
//! the visit check-in to tell how far a visit was from home.

use domain::delivery::GeoPoint;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, IntoActiveModel};

use super::{find, may_edit};
use crate::audit::Event;
use crate::entity::person;
use crate::{Actor, AppError, AppResult, db_err};

fn to_e6(deg: f64) -> i64 {
    // |deg| ≤ 180 after validation, so the product fits comfortably
    (deg * 1_000_000.0).round() as i64
}

fn of_e6(v: i64) -> f64 {
    v as f64 / 1_000_000.0
}

/// The stored point of a row, when both coordinates are there.
pub fn point_of(m: &person::Model) -> Option<GeoPoint> {
    match (m.lat_e6, m.lng_e6) {
        (Some(lat), Some(lng)) => Some(GeoPoint::new(of_e6(lat), of_e6(lng))).filter(GeoPoint::is_valid),
        _ => None,
    }
}

/// The home point of a person (not scoped: for callers that already hold a scoped record, such
/// as the visit check-in). `None` when unknown or not recorded.
pub async fn location<C: ConnectionTrait>(db: &C, person_id: &str) -> AppResult<Option<GeoPoint>> {
    let m = person::Entity::find_by_id(person_id).one(db).await.map_err(db_err)?;
    Ok(m.as_ref().and_then(point_of))
}

/// Set or clear (`None`) the home point. Audited as "person.locate".
pub async fn set_location<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    point: Option<GeoPoint>,
    now_ms: i64,
) -> AppResult<()> {
    let current = find(db, actor, id).await?;
    if !may_edit(actor, &current) {
        return Err(AppError::Forbidden);
    }
    if let Some(p) = point
        && !(p.is_valid() && (p.lat != 0.0 || p.lon != 0.0))
    {
        return Err(AppError::field("lat", "地图位置：纬度应在−90至90之间，经度应在−180至180之间"));
    }
    let before = point_of(&current);
    let mut a = current.into_active_model();
    a.lat_e6 = Set(point.map(|p| to_e6(p.lat)));
    a.lng_e6 = Set(point.map(|p| to_e6(p.lon)));
    a.updated_ms = Set(now_ms);
    a.update(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "person.locate", "person", id).before(&before).after(&point).write(db).await
}
