//! Rules and outputs in words, through the catalog ("rule.min_staff" = "专职人员不少于{n}名…").

use domain::program::{OutputTarget, Period};
use domain::rules::{EligibilityRule, NoticeRule, ProgramRules};

use crate::i18n::Tr;

/// Fill `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut s = template.to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

pub fn eligibility(t: Tr, r: &EligibilityRule) -> String {
    match r {
        EligibilityRule::RegisteredBefore { date } => {
            fill(t.get("rule.registered_before"), &[("date", date.to_string())])
        }
        EligibilityRule::CertificateValid => t.get("rule.certificate_valid").to_string(),
        EligibilityRule::AnnualInspectionPassed { year } => {
            fill(t.get("rule.annual_inspection"), &[("year", year.to_string())])
        }
        EligibilityRule::NoPenaltyYears { years } => fill(t.get("rule.no_penalty"), &[("n", years.to_string())]),
        EligibilityRule::NotBlacklisted => t.get("rule.not_blacklisted").to_string(),
        EligibilityRule::LeadCertified => t.get("rule.lead_certified").to_string(),
        EligibilityRule::TeamMainlyCertified => t.get("rule.team_certified").to_string(),
        EligibilityRule::MinStaff { full_time, certified } => {
            fill(t.get("rule.min_staff"), &[("n", full_time.to_string()), ("m", certified.to_string())])
        }
        EligibilityRule::PreviousProjectPassed => t.get("rule.previous_passed").to_string(),
        EligibilityRule::RegisteredInArea { area_code, filed_at_street_ok } => {
            let key = if *filed_at_street_ok { "rule.registered_in_area_or_filed" } else { "rule.registered_in_area" };
            fill(t.get(key), &[("area", area_code.clone())])
        }
        EligibilityRule::MinRating { rating } => fill(t.get("rule.min_rating"), &[("n", rating.to_string())]),
        EligibilityRule::Text { text } => text.clone(),
    }
}

/// Every rule of a rule set as a line of text.
pub fn rules(t: Tr, r: &ProgramRules) -> Vec<String> {
    let mut v: Vec<String> = r.eligibility.iter().map(|e| eligibility(t, e)).collect();
    if r.one_application_per_org {
        v.push(t.get("rule.one_application").to_string());
    }
    for q in &r.quotas {
        let mut parts = Vec::new();
        if let Some(n) = q.max_applications {
            parts.push(fill(t.get("rule.quota_applications"), &[("n", n.to_string())]));
        }
        if let Some(n) = q.max_awards {
            parts.push(fill(t.get("rule.quota_awards"), &[("n", n.to_string())]));
        }
        if let Some(n) = q.exempt_min_rating {
            parts.push(fill(t.get("rule.quota_exempt"), &[("n", n.to_string())]));
        }
        let mut line = parts.join(t.get("common.list_sep"));
        if !q.note.is_empty() {
            line = format!("{line}（{}）", q.note);
        }
        v.push(line);
    }
    if let Some(cap) = r.budget.cap {
        v.push(fill(t.get("rule.cap"), &[("wan", cap.wan_string())]));
    }
    if let Some(floor) = r.budget.floor {
        v.push(fill(t.get("rule.floor"), &[("wan", floor.wan_string())]));
    }
    if let Some(p) = r.budget.personnel_max_percent {
        v.push(fill(t.get("rule.personnel"), &[("p", p.to_string())]));
    }
    if !r.budget.forbidden_uses.is_empty() {
        v.push(fill(t.get("rule.forbidden"), &[("list", r.budget.forbidden_uses.join("、"))]));
    }
    if r.budget.no_subcontracting {
        v.push(t.get("rule.no_subcontracting").to_string());
    }
    if let Some(j) = r.joint_applications {
        v.push(t.get(if j { "rule.joint_allowed" } else { "rule.joint_forbidden" }).to_string());
    }
    if !r.tranches.is_empty() {
        let parts: Vec<String> = r.tranches.iter().map(|tr| format!("{}%（{}）", tr.percent, tr.when)).collect();
        v.push(fill(t.get("rule.tranches"), &[("list", parts.join(" / "))]));
    }
    if !r.co_funding.is_empty() {
        let parts: Vec<String> = r
            .co_funding
            .iter()
            .map(|s| match (s.ratio, s.amount) {
                (Some(ratio), _) => format!("{} {ratio}", s.party),
                (None, Some(a)) => format!("{} {}万元", s.party, a.wan_string()),
                _ => s.party.clone(),
            })
            .collect();
        v.push(fill(t.get("rule.co_funding"), &[("list", parts.join(" : "))]));
    }
    match r.notice {
        Some(NoticeRule::WorkingDays(n)) => v.push(fill(t.get("rule.notice_working"), &[("n", n.to_string())])),
        Some(NoticeRule::CalendarDays(n)) => v.push(fill(t.get("rule.notice_calendar"), &[("n", n.to_string())])),
        None => {}
    }
    if let Some(f) = r.evaluation_fund {
        v.push(fill(t.get("rule.evaluation_fund"), &[("wan", f.wan_string())]));
    }
    v.extend(r.notes.iter().cloned());
    v
}

/// "≥40 次 / 年 · 每名服务对象" — the structured part of an output target.
pub fn output_measure(t: Tr, o: &OutputTarget) -> String {
    let mut parts = Vec::new();
    if let Some(q) = o.quantity {
        let range = match o.quantity_max {
            Some(max) if max != q => format!("{q}–{max}"),
            _ => format!("≥{q}"),
        };
        let period = o.period.map(|p| format!(" / {}", t.get(period_key(p)))).unwrap_or_default();
        parts.push(format!("{range} {}{period}", o.unit));
    }
    if o.per_beneficiary {
        parts.push(t.get("output.per_beneficiary").to_string());
    }
    if let Some(y) = o.min_per_year {
        parts.push(fill(t.get("output.min_per_year"), &[("n", y.to_string())]));
    }
    if let Some(d) = o.within_days_of_start {
        parts.push(fill(t.get("output.within_days"), &[("n", d.to_string())]));
    }
    if let Some(m) = o.min_members {
        parts.push(fill(t.get("output.min_members"), &[("n", m.to_string())]));
    }
    if let Some(s) = o.min_sessions {
        parts.push(fill(t.get("output.min_sessions"), &[("n", s.to_string())]));
    }
    if let Some(m) = o.min_months {
        parts.push(fill(t.get("output.min_months"), &[("n", m.to_string())]));
    }
    parts.join(" · ")
}

pub fn period_key(p: Period) -> &'static str {
    match p {
        Period::Week => "period.week",
        Period::Month => "period.month",
        Period::Quarter => "period.quarter",
        Period::Year => "period.year",
        Period::Project => "period.project",
    }
}

/// An instant in Asia/Shanghai as "YYYY-MM-DD HH:MM:SS" ("" when out of range).
pub fn shanghai_time(at_ms: i64) -> String {
    shanghai_format(at_ms, "%Y-%m-%d %H:%M:%S")
}

/// An instant in Asia/Shanghai as "YYYY-MM-DD HH:MM".
pub fn shanghai_minute(at_ms: i64) -> String {
    shanghai_format(at_ms, "%Y-%m-%d %H:%M")
}

fn shanghai_format(at_ms: i64, format: &str) -> String {
    chrono::DateTime::from_timestamp_millis(at_ms)
        .map(|t| t.with_timezone(&domain::clock::shanghai()).format(format).to_string())
        .unwrap_or_default()
}
