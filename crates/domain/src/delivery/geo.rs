//! Points on the map and the great-circle (haversine) distance between them.
//!
//! Coordinates are WGS-84 degrees as a browser's geolocation reports them. Note that Chinese web
//! maps display GCJ-02 coordinates, offset by a few hundred metres: a home location picked on
//! such a map must be converted before it is stored, or every visit will look far away.

use serde::{Deserialize, Serialize};

/// Mean Earth radius in metres (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

impl GeoPoint {
    pub fn new(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint { lat, lon }
    }

    /// Whether the point is a real coordinate (finite, |lat| ≤ 90, |lon| ≤ 180).
    pub fn is_valid(&self) -> bool {
        self.lat.is_finite() && self.lon.is_finite() && self.lat.abs() <= 90.0 && self.lon.abs() <= 180.0
    }

    /// Great-circle distance in metres (haversine formula on a sphere of [`EARTH_RADIUS_M`]).
    pub fn distance_m(&self, other: &GeoPoint) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }
}

/// A location reading with its accuracy radius in metres, when the device reports one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    pub point: GeoPoint,
    #[serde(default)]
    pub accuracy_m: Option<f64>,
}

/// "500米", "578.3米" below 1 km (one decimal unless whole), "28.2公里" from 1 km.
pub fn format_distance(m: f64) -> String {
    if m >= 1000.0 {
        format!("{:.1}公里", m / 1000.0)
    } else if (m - m.round()).abs() < 0.05 {
        format!("{:.0}米", m)
    } else {
        format!("{:.1}米", m)
    }
}
