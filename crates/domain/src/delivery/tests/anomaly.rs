use super::dt;
use crate::delivery::anomaly::{AnomalyKind, AnomalyRules, VisitContext, VisitEvent, detect};
use crate::delivery::geo::{Fix, GeoPoint, format_distance};
use crate::delivery::visit::Channel;

/// 桐庐县城（桐君街道）, approximately.
fn tonglu_town() -> GeoPoint {
    GeoPoint::new(29.7970, 119.6914)
}

/// 分水镇, approximately: an elder's home in the 2021C1001E service area.
fn fenshui() -> GeoPoint {
    GeoPoint::new(29.9163, 119.4337)
}

fn north_of(p: GeoPoint, deg: f64) -> GeoPoint {
    GeoPoint::new(p.lat + deg, p.lon)
}

fn visit(id: &str, at: chrono::NaiveDateTime, place: Option<GeoPoint>, minutes: u32) -> VisitEvent {
    VisitEvent {
        id: id.to_string(),
        worker_id: "w1".to_string(),
        person_id: "p1".to_string(),
        channel: Channel::Home,
        visited_at: at,
        recorded_at: at + chrono::Duration::minutes(i64::from(minutes)),
        location: place.map(|point| Fix { point, accuracy_m: Some(20.0) }),
        duration_minutes: minutes,
        card_revoked: false,
    }
}

fn kinds(v: &VisitEvent, ctx: &VisitContext<'_>) -> Vec<AnomalyKind> {
    detect(&AnomalyRules::default(), v, ctx).into_iter().map(|a| a.kind).collect()
}

fn home_ctx() -> VisitContext<'static> {
    VisitContext { home: Some(fenshui()), ..VisitContext::default() }
}

#[test]
fn haversine_known_distances() {
    // 0.01° of latitude on the mean sphere: π × 6,371,008.8 / 18,000 = 1,111.95 m.
    assert!((fenshui().distance_m(&north_of(fenshui(), 0.01)) - 1111.95).abs() < 0.01);
    // 桐庐县城 → 分水镇: 28,170.6 m (haversine, computed independently).
    let d = tonglu_town().distance_m(&fenshui());
    assert!((d - 28_170.6).abs() < 1.0, "{d}");
    assert_eq!(fenshui().distance_m(&fenshui()), 0.0);
    assert_eq!(format_distance(d), "28.2公里");
    assert_eq!(format_distance(500.0), "500米");
    assert_eq!(format_distance(578.27), "578.3米");
    assert!(!GeoPoint::new(95.0, 119.0).is_valid() && !GeoPoint::new(f64::NAN, 0.0).is_valid());
}

#[test]
fn clean_visit_has_no_flags() {
    // 0.0009° north of the home: about 100 m.
    let v = visit("v1", dt(2021, 7, 5, 10, 0), Some(north_of(fenshui(), 0.0009)), 30);
    assert!(kinds(&v, &home_ctx()).is_empty());
}

#[test]
fn far_from_home_threshold() {
    // 0.0044° ≈ 489.3 m: inside 500 m. 0.0045° ≈ 500.4 m: outside.
    let near = visit("v1", dt(2021, 7, 5, 10, 0), Some(north_of(fenshui(), 0.0044)), 30);
    assert!(kinds(&near, &home_ctx()).is_empty());
    let far = visit("v1", dt(2021, 7, 5, 10, 0), Some(north_of(fenshui(), 0.0045)), 30);
    let flags = detect(&AnomalyRules::default(), &far, &home_ctx());
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].kind, AnomalyKind::FarFromHome);
    assert_eq!(flags[0].message, "打卡位置距服务对象登记位置500.4米（定位精度±20米），超过允许的500米");
    // Checked in from the county town, 28.2 km away.
    let town = visit("v1", dt(2021, 7, 5, 10, 0), Some(tonglu_town()), 30);
    let flags = detect(&AnomalyRules::default(), &town, &home_ctx());
    assert!(flags[0].message.contains("28.2公里"), "{}", flags[0].message);
    // Thresholds are data: 300 m from TOML, the rest default.
    let rules: AnomalyRules = toml::from_str("far_m = 300.0").unwrap();
    assert_eq!(rules.min_minutes, 5);
    let v = visit("v1", dt(2021, 7, 5, 10, 0), Some(north_of(fenshui(), 0.003)), 30); // ≈ 333.6 m
    let flags = detect(&rules, &v, &home_ctx());
    assert_eq!(flags[0].kind, AnomalyKind::FarFromHome);
    assert!(flags[0].message.contains("超过允许的300米"), "{}", flags[0].message);
}

#[test]
fn missing_or_unusable_location_is_flagged() {
    let v = visit("v1", dt(2021, 7, 5, 10, 0), None, 30);
    let flags = detect(&AnomalyRules::default(), &v, &home_ctx());
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].kind, AnomalyKind::NoLocation);
    assert!(flags[0].message.starts_with("未获取定位"));
    let bad = visit("v1", dt(2021, 7, 5, 10, 0), Some(GeoPoint::new(95.0, 119.4)), 30);
    assert_eq!(kinds(&bad, &home_ctx()), vec![AnomalyKind::NoLocation]);
    // Accuracy of ±1.5 km cannot place the worker in the home.
    let mut coarse = visit("v1", dt(2021, 7, 5, 10, 0), Some(fenshui()), 30);
    coarse.location = Some(Fix { point: fenshui(), accuracy_m: Some(1500.0) });
    let flags = detect(&AnomalyRules::default(), &coarse, &home_ctx());
    assert_eq!(flags[0].kind, AnomalyKind::LowAccuracy);
    assert!(flags[0].message.contains("±1.5公里"), "{}", flags[0].message);
    // The person has no registered location: the distance cannot be checked.
    let v = visit("v1", dt(2021, 7, 5, 10, 0), Some(fenshui()), 30);
    assert_eq!(kinds(&v, &VisitContext::default()), vec![AnomalyKind::NoHomeLocation]);
}

#[test]
fn too_short_and_repeat() {
    let short = visit("v1", dt(2021, 7, 5, 10, 0), Some(fenshui()), 3);
    let flags = detect(&AnomalyRules::default(), &short, &home_ctx());
    assert_eq!(flags[0].kind, AnomalyKind::TooShort);
    assert_eq!(flags[0].message, "探访时长3分钟，少于规定的5分钟");
    assert!(kinds(&visit("v1", dt(2021, 7, 5, 10, 0), Some(fenshui()), 5), &home_ctx()).is_empty());

    // A previous visit 10:00–10:10 by another worker; a new one at 10:25 is 15 minutes later.
    let mut before = visit("v0", dt(2021, 7, 5, 10, 0), Some(fenshui()), 10);
    before.worker_id = "w2".to_string();
    let recent = [before];
    let ctx = VisitContext { home: Some(fenshui()), person_recent: &recent, ..VisitContext::default() };
    let again = visit("v1", dt(2021, 7, 5, 10, 25), Some(fenshui()), 20);
    let flags = detect(&AnomalyRules::default(), &again, &ctx);
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].kind, AnomalyKind::RepeatVisit);
    assert_eq!(
        flags[0].message,
        "与同一服务对象的上一次上门探访（07月05日10:00开始，时长10分钟，社工w2）仅相隔15分钟，少于30分钟"
    );
    // 10:45 is 35 minutes after the end: fine. The visit itself in the list is skipped.
    assert!(kinds(&visit("v1", dt(2021, 7, 5, 10, 45), Some(fenshui()), 20), &ctx).is_empty());
    assert!(kinds(&visit("v0", dt(2021, 7, 5, 10, 0), Some(fenshui()), 10), &ctx).is_empty());
}

#[test]
fn worker_in_two_places_too_quickly() {
    // 09:00–09:20 in the county town, then 09:30 at the home in 分水: 28.2 km in 10 minutes.
    let mut town = visit("v0", dt(2021, 7, 5, 9, 0), Some(tonglu_town()), 20);
    town.person_id = "p0".to_string();
    let recent = [town.clone()];
    let ctx = VisitContext { home: Some(fenshui()), worker_recent: &recent, ..VisitContext::default() };
    let v = visit("v1", dt(2021, 7, 5, 9, 30), Some(fenshui()), 30);
    let flags = detect(&AnomalyRules::default(), &v, &ctx);
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].kind, AnomalyKind::TooFastTravel);
    assert_eq!(
        flags[0].message,
        "该社工此前在07月05日09:00的另一次探访（服务对象p0）相距28.2公里，间隔10分钟，折合时速169公里，超过120公里/小时"
    );
    // At 09:50 (30 minutes, 56 km/h) it is possible.
    assert!(kinds(&visit("v1", dt(2021, 7, 5, 9, 50), Some(fenshui()), 30), &ctx).is_empty());
    // The neighbour after: a visit recorded later but dated 08:50–09:10 before the town visit.
    let early = visit("v2", dt(2021, 7, 5, 8, 50), Some(fenshui()), 5);
    let flags = detect(&AnomalyRules::default(), &early, &ctx);
    assert_eq!(flags[0].kind, AnomalyKind::TooFastTravel);
    assert!(flags[0].message.starts_with("该社工此后在07月05日09:00"), "{}", flags[0].message);
    // Two people of one household at the same time and place: not travel.
    let mut spouse = visit("v3", dt(2021, 7, 5, 9, 30), Some(fenshui()), 30);
    spouse.person_id = "p2".to_string();
    let recent = [spouse];
    let ctx = VisitContext { home: Some(fenshui()), worker_recent: &recent, ..VisitContext::default() };
    assert!(kinds(&visit("v1", dt(2021, 7, 5, 9, 30), Some(fenshui()), 30), &ctx).is_empty());
    // Overlapping visits far apart.
    let recent = [town];
    let ctx = VisitContext { home: Some(fenshui()), worker_recent: &recent, ..VisitContext::default() };
    let flags = detect(&AnomalyRules::default(), &visit("v1", dt(2021, 7, 5, 9, 10), Some(fenshui()), 30), &ctx);
    assert!(flags[0].message.contains("两次探访时间重叠或无间隔"), "{}", flags[0].message);
}

#[test]
fn card_and_timing() {
    let mut v = visit("v1", dt(2021, 7, 5, 10, 0), Some(fenshui()), 30);
    v.card_revoked = true;
    assert_eq!(kinds(&v, &home_ctx()), vec![AnomalyKind::CardRevoked]);
    // Recorded the next day at 16:30: 30 h 30 min later.
    let mut late = visit("v1", dt(2021, 7, 5, 10, 0), Some(fenshui()), 30);
    late.recorded_at = dt(2021, 7, 6, 16, 30);
    let flags = detect(&AnomalyRules::default(), &late, &home_ctx());
    assert_eq!(flags[0].kind, AnomalyKind::RecordedLate);
    assert_eq!(
        flags[0].message,
        "探访时间07月05日10:00，记录时间07月06日16:30，相隔30小时30分钟，超过24小时，属事后补录"
    );
    late.recorded_at = dt(2021, 7, 6, 10, 0); // exactly 24 h: allowed
    assert!(kinds(&late, &home_ctx()).is_empty());
    // Dated after the moment it was saved.
    let mut future = visit("v1", dt(2021, 7, 5, 12, 0), Some(fenshui()), 30);
    future.recorded_at = dt(2021, 7, 5, 11, 0);
    assert_eq!(kinds(&future, &home_ctx()), vec![AnomalyKind::TimeAfterRecord]);
}

#[test]
fn phone_contacts_and_many_flags() {
    // A 2-minute phone call without location: nothing to flag.
    let mut call = visit("v1", dt(2021, 7, 5, 10, 0), None, 2);
    call.channel = Channel::Phone;
    assert!(kinds(&call, &home_ctx()).is_empty());
    // Everything wrong at once, in the fixed order.
    let mut bad = visit("v1", dt(2021, 7, 5, 10, 0), None, 1);
    bad.card_revoked = true;
    bad.recorded_at = dt(2021, 7, 8, 10, 0);
    let prev = [visit("v0", dt(2021, 7, 5, 9, 50), Some(fenshui()), 5)];
    let ctx = VisitContext { home: Some(fenshui()), person_recent: &prev, worker_recent: &prev };
    assert_eq!(
        kinds(&bad, &ctx),
        vec![
            AnomalyKind::NoLocation,
            AnomalyKind::TooShort,
            AnomalyKind::RepeatVisit,
            AnomalyKind::CardRevoked,
            AnomalyKind::RecordedLate
        ]
    );
    let json = serde_json::to_value(AnomalyRules::default()).unwrap();
    assert_eq!(json["far_m"], 500.0);
    assert_eq!(json["max_speed_kmh"], 120.0);
    assert_eq!(AnomalyKind::NoLocation.label(), "未获取定位");
}
