//! Visit anomalies (异常打卡): every reason a visit may not be what it claims, each with a Chinese
//! explanation that names the numbers. Anomalies only flag a visit for the supervisor; nothing is
//! dropped here. Thresholds are data ([`AnomalyRules`], serde with defaults).
//!
//! Times are Asia/Shanghai local times. Phone contacts are not checked for location, duration or
//! travel (there is nothing to check); a missing location on a home visit is its own flag.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::geo::{Fix, GeoPoint, format_distance};
use super::visit::Channel;

/// Set per program as `visit_checks` in its rules (`ProgramRules::visit_checks`); a field left
/// out keeps its default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AnomalyRules {
    /// Flag a home visit farther than this from the person's location (metres).
    pub far_m: f64,
    /// Flag a location whose accuracy radius is larger than this (metres).
    pub max_accuracy_m: f64,
    /// Flag a home visit shorter than this (minutes).
    pub min_minutes: u32,
    /// Flag a second visit to the same person that starts less than this after the previous one ended.
    pub repeat_minutes: u32,
    /// Flag a worker whose consecutive visits imply a faster speed (km/h).
    pub max_speed_kmh: f64,
    /// Consecutive visits closer than this are never a travel anomaly (neighbours, one household).
    pub travel_ignore_m: f64,
    /// Flag a visit recorded more than this after it happened (hours).
    pub late_hours: u32,
    /// Flag a visit dated more than this after the moment it was recorded (minutes).
    pub clock_skew_minutes: u32,
}

impl Default for AnomalyRules {
    fn default() -> Self {
        AnomalyRules {
            far_m: 500.0,
            max_accuracy_m: 500.0,
            min_minutes: 5,
            repeat_minutes: 30,
            max_speed_kmh: 120.0,
            travel_ignore_m: 1000.0,
            late_hours: 24,
            clock_skew_minutes: 10,
        }
    }
}

/// A visit or phone contact as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitEvent {
    pub id: String,
    pub worker_id: String,
    pub person_id: String,
    pub channel: Channel,
    /// When the visit happened (local time).
    pub visited_at: NaiveDateTime,
    /// When the record was saved (server time, local).
    pub recorded_at: NaiveDateTime,
    #[serde(default)]
    pub location: Option<Fix>,
    pub duration_minutes: u32,
    #[serde(default)]
    pub card_revoked: bool,
}

impl VisitEvent {
    fn ended_at(&self) -> NaiveDateTime {
        self.visited_at + chrono::Duration::minutes(i64::from(self.duration_minutes))
    }
    fn point(&self) -> Option<GeoPoint> {
        self.location.map(|f| f.point).filter(GeoPoint::is_valid)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyKind {
    FarFromHome,
    NoLocation,
    LowAccuracy,
    NoHomeLocation,
    TooShort,
    RepeatVisit,
    TooFastTravel,
    CardRevoked,
    RecordedLate,
    TimeAfterRecord,
}

impl AnomalyKind {
    /// Short Chinese name for lists and filters.
    pub fn label(self) -> &'static str {
        match self {
            AnomalyKind::FarFromHome => "距离过远",
            AnomalyKind::NoLocation => "未获取定位",
            AnomalyKind::LowAccuracy => "定位精度不足",
            AnomalyKind::NoHomeLocation => "服务对象无登记位置",
            AnomalyKind::TooShort => "时长过短",
            AnomalyKind::RepeatVisit => "重复探访",
            AnomalyKind::TooFastTravel => "移动过快",
            AnomalyKind::CardRevoked => "服务卡已作废",
            AnomalyKind::RecordedLate => "事后补录",
            AnomalyKind::TimeAfterRecord => "探访时间晚于记录时间",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anomaly {
    pub kind: AnomalyKind,
    /// Chinese explanation naming the numbers.
    pub message: String,
}

/// What is known around a new visit.
#[derive(Debug, Clone, Copy, Default)]
pub struct VisitContext<'a> {
    /// The person's registered map location.
    pub home: Option<GeoPoint>,
    /// The worker's other recent visits (any order; the visit itself is skipped by id).
    pub worker_recent: &'a [VisitEvent],
    /// The person's other recent visits, by any worker.
    pub person_recent: &'a [VisitEvent],
}

fn hm(t: NaiveDateTime) -> String {
    t.format("%m月%d日%H:%M").to_string()
}

fn duration_words(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m}分钟"),
        (h, 0) => format!("{h}小时"),
        (h, m) => format!("{h}小时{m}分钟"),
    }
}

/// Every anomaly of `v`, in a fixed order (location, duration, repeat, travel, card, timing).
pub fn detect(rules: &AnomalyRules, v: &VisitEvent, ctx: &VisitContext<'_>) -> Vec<Anomaly> {
    let mut out = Vec::new();
    let mut flag = |kind, message: String| out.push(Anomaly { kind, message });
    if v.channel == Channel::Home {
        for (kind, message) in location_flags(rules, v, ctx.home) {
            flag(kind, message);
        }
        if v.duration_minutes < rules.min_minutes {
            flag(
                AnomalyKind::TooShort,
                format!("探访时长{}分钟，少于规定的{}分钟", v.duration_minutes, rules.min_minutes),
            );
        }
    }
    if let Some(m) = repeat_flag(rules, v, ctx.person_recent) {
        flag(AnomalyKind::RepeatVisit, m);
    }
    if v.channel == Channel::Home {
        for m in travel_flags(rules, v, ctx.worker_recent) {
            flag(AnomalyKind::TooFastTravel, m);
        }
    }
    if v.card_revoked {
        flag(AnomalyKind::CardRevoked, "扫描的服务卡已作废（已挂失或重新制卡），请核实是否本人在场".to_string());
    }
    let late = (v.recorded_at - v.visited_at).num_minutes();
    if late > i64::from(rules.late_hours) * 60 {
        flag(
            AnomalyKind::RecordedLate,
            format!(
                "探访时间{}，记录时间{}，相隔{}，超过{}小时，属事后补录",
                hm(v.visited_at),
                hm(v.recorded_at),
                duration_words(late),
                rules.late_hours
            ),
        );
    }
    if -late > i64::from(rules.clock_skew_minutes) {
        flag(
            AnomalyKind::TimeAfterRecord,
            format!(
                "填写的探访时间{}比记录时间{}晚{}，时间不可信",
                hm(v.visited_at),
                hm(v.recorded_at),
                duration_words(-late)
            ),
        );
    }
    out
}

fn location_flags(rules: &AnomalyRules, v: &VisitEvent, home: Option<GeoPoint>) -> Vec<(AnomalyKind, String)> {
    let mut out = Vec::new();
    let Some(fix) = v.location else {
        out.push((AnomalyKind::NoLocation, "未获取定位：打卡时没有位置信息，无法核实是否上门".to_string()));
        return out;
    };
    if !fix.point.is_valid() {
        let msg = format!("未获取定位：上报的坐标（{}, {}）无效，无法核实是否上门", fix.point.lat, fix.point.lon);
        out.push((AnomalyKind::NoLocation, msg));
        return out;
    }
    let acc = fix.accuracy_m.filter(|a| a.is_finite() && *a >= 0.0);
    if let Some(a) = acc.filter(|a| *a > rules.max_accuracy_m) {
        let msg = format!(
            "定位精度为±{}，超过{}，无法可靠判断是否在服务对象家中",
            format_distance(a),
            format_distance(rules.max_accuracy_m)
        );
        out.push((AnomalyKind::LowAccuracy, msg));
    }
    match home.filter(GeoPoint::is_valid) {
        None => out.push((AnomalyKind::NoHomeLocation, "服务对象未登记地图位置，无法核对打卡距离".to_string())),
        Some(h) => {
            let d = fix.point.distance_m(&h);
            if d > rules.far_m {
                let acc_words = acc.map(|a| format!("（定位精度±{}）", format_distance(a))).unwrap_or_default();
                let msg = format!(
                    "打卡位置距服务对象登记位置{}{}，超过允许的{}",
                    format_distance(d),
                    acc_words,
                    format_distance(rules.far_m)
                );
                out.push((AnomalyKind::FarFromHome, msg));
            }
        }
    }
    out
}

fn repeat_flag(rules: &AnomalyRules, v: &VisitEvent, recent: &[VisitEvent]) -> Option<String> {
    let limit = i64::from(rules.repeat_minutes);
    recent
        .iter()
        .filter(|o| o.id != v.id && o.person_id == v.person_id && o.channel == v.channel)
        .filter_map(|o| {
            let (first, second) = if o.visited_at <= v.visited_at { (o, v) } else { (v, o) };
            let gap = (second.visited_at - first.ended_at()).num_minutes().max(0);
            (gap < limit).then_some((gap, o))
        })
        .min_by_key(|(gap, o)| (*gap, o.visited_at))
        .map(|(gap, o)| {
            let when = if o.visited_at <= v.visited_at { "上一次" } else { "下一次" };
            format!(
                "与同一服务对象的{}{}（{}开始，时长{}分钟，社工{}）仅相隔{}分钟，少于{}分钟",
                when,
                v.channel.label(),
                hm(o.visited_at),
                o.duration_minutes,
                o.worker_id,
                gap,
                limit
            )
        })
}

fn travel_flags(rules: &AnomalyRules, v: &VisitEvent, recent: &[VisitEvent]) -> Vec<String> {
    let Some(here) = v.point() else { return Vec::new() };
    let others = || recent.iter().filter(|o| o.id != v.id && o.worker_id == v.worker_id && o.channel == Channel::Home);
    let before = others().filter(|o| o.visited_at <= v.visited_at && o.point().is_some()).max_by_key(|o| o.visited_at);
    let after = others().filter(|o| o.visited_at > v.visited_at && o.point().is_some()).min_by_key(|o| o.visited_at);
    let mut out = Vec::new();
    for (first, second, other) in [before.map(|o| (o, v, o)), after.map(|o| (v, o, o))].into_iter().flatten() {
        let Some(there) = other.point() else { continue };
        let d = here.distance_m(&there);
        if d <= rules.travel_ignore_m {
            continue;
        }
        let gap = (second.visited_at - first.ended_at()).num_minutes().max(0);
        let speed = if gap == 0 { f64::INFINITY } else { d / 1000.0 / (gap as f64 / 60.0) };
        if speed <= rules.max_speed_kmh {
            continue;
        }
        let pace = if gap == 0 {
            "两次探访时间重叠或无间隔".to_string()
        } else {
            format!("间隔{}，折合时速{:.0}公里", duration_words(gap), speed)
        };
        out.push(format!(
            "该社工{}在{}的另一次探访（服务对象{}）相距{}，{}，超过{:.0}公里/小时",
            if std::ptr::eq(first, other) { "此前" } else { "此后" },
            hm(other.visited_at),
            other.person_id,
            format_distance(d),
            pace,
            rules.max_speed_kmh
        ));
    }
    out
}
