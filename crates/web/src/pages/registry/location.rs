//! The home map point of a person: latitude and longitude typed in, or filled by the browser's
//! location ("使用当前位置", app.js). Empty fields clear the point.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use db::{AppError, FieldError};
use domain::delivery::GeoPoint;
use serde::Deserialize;

use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::pages::see_other;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/persons/{id}/location", post(save))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LocationForm {
    lat: String,
    lng: String,
}

fn parse(f: &LocationForm) -> Result<Option<GeoPoint>, AppError> {
    let (lat, lng) = (f.lat.trim(), f.lng.trim());
    if lat.is_empty() && lng.is_empty() {
        return Ok(None);
    }
    let mut errors = Vec::new();
    let lat_v = lat.parse::<f64>().ok().filter(|v| v.is_finite() && v.abs() <= 90.0);
    if lat_v.is_none() {
        errors.push(FieldError::new("lat", "纬度：应为−90至90之间的数字，如 32.0123"));
    }
    let lng_v = lng.parse::<f64>().ok().filter(|v| v.is_finite() && v.abs() <= 180.0);
    if lng_v.is_none() {
        errors.push(FieldError::new("lng", "经度：应为−180至180之间的数字，如 120.8645"));
    }
    match (lat_v, lng_v) {
        (Some(a), Some(b)) => Ok(Some(GeoPoint::new(a, b))),
        _ => Err(AppError::Validation(errors)),
    }
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<LocationForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let point = parse(&form.data)?;
    db::persons::set_location(&state.db, &actor, &id, point, state.now_ms()).await?;
    Ok(see_other(&format!("/persons/{id}?ok=located#location")))
}
