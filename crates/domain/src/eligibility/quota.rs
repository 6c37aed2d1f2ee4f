//! Quotas (申报/立项数量), one application per organization, joint applications.

use super::facts::{ApplicationFacts, Counts, OrgFacts};
use super::{Outcome, RuleResult};
use crate::rules::{ProgramRules, Quota};

/// Where a quota counts: in one track or in the whole program.
enum Scope<'a> {
    Track(&'a str),
    Program,
}

impl Scope<'_> {
    fn zh(&self) -> &'static str {
        match self {
            Scope::Track(_) => "本板块",
            Scope::Program => "本计划",
        }
    }
    fn suffix(&self) -> &'static str {
        match self {
            Scope::Track(_) => "track",
            Scope::Program => "program",
        }
    }
    fn applications(&self, counts: &Counts) -> u32 {
        match self {
            Scope::Track(t) => counts.applications_in(t),
            Scope::Program => counts.program_applications,
        }
    }
    fn awards(&self, counts: &Counts) -> u32 {
        match self {
            Scope::Track(t) => counts.awards_in(t),
            Scope::Program => counts.program_awards,
        }
    }
}

pub(super) fn check(
    rules: &[&ProgramRules],
    org: &OrgFacts,
    app: &ApplicationFacts,
    counts: &Counts,
    out: &mut Vec<RuleResult>,
) {
    for (level, r) in rules.iter().enumerate() {
        for quota in &r.quotas {
            // A quota naming a track counts in that track and only concerns applications to it;
            // one without a track counts in the whole program when the program states it, and
            // in the application's track when a track or item states it.
            let scope = match (&quota.track, level) {
                (Some(t), _) if *t != app.track_code => continue,
                (Some(t), _) => Scope::Track(t),
                (None, 0) => Scope::Program,
                (None, _) => Scope::Track(&app.track_code),
            };
            out.extend(quota_results(quota, &scope, org, counts));
        }
    }
    if rules.iter().any(|r| r.one_application_per_org) {
        out.push(one_application(counts));
    }
    let joint_allowed = rules.iter().rev().find_map(|r| r.joint_applications);
    out.extend(joint(joint_allowed, app));
}

fn quota_results(quota: &Quota, scope: &Scope, org: &OrgFacts, counts: &Counts) -> Vec<RuleResult> {
    let exempt = match (quota.exempt_min_rating, org.rating) {
        (Some(min), Some(r)) if r >= min => Some(format!("等级评估 {r}A，达到 {min}A 以上，不受数量限制")),
        _ => None,
    };
    let not_exempt = match (quota.exempt_min_rating, org.rating) {
        (Some(min), Some(r)) => format!("；等级评估 {r}A，未达 {min}A，不能免于限制"),
        (Some(min), None) => format!("；未取得等级评估等级，不能适用 {min}A 以上免于限制"),
        (None, _) => String::new(),
    };
    let note = if quota.note.is_empty() { String::new() } else { format!("（文件：{}）", quota.note) };
    let mut out = Vec::new();
    let here = scope.zh();
    if let Some(max) = quota.max_applications {
        let rule = format!("max_applications_{}", scope.suffix());
        let n = scope.applications(counts);
        let facts = format!("{here}已有其他申报 {n} 个，本申报为第 {} 个", n + 1);
        out.push(match &exempt {
            Some(e) => RuleResult::new(&rule, Outcome::Pass, &format!("{facts}；{e}")),
            None if n < max => RuleResult::new(&rule, Outcome::Pass, &format!("{facts}，不超过每家组织最多 {max} 个")),
            None => {
                RuleResult::new(&rule, Outcome::Fail, &format!("{facts}，超过每家组织最多 {max} 个{not_exempt}{note}"))
            }
        });
    }
    if let Some(max) = quota.max_awards {
        let rule = format!("max_awards_{}", scope.suffix());
        let n = scope.awards(counts);
        let facts = format!("{here}已获立项 {n} 个");
        out.push(match &exempt {
            Some(e) => RuleResult::new(&rule, Outcome::Pass, &format!("{facts}；{e}")),
            None if n < max => {
                RuleResult::new(&rule, Outcome::Pass, &format!("{facts}，少于每家组织最多 {max} 个，本申报仍可立项"))
            }
            None => RuleResult::new(
                &rule,
                Outcome::Fail,
                &format!("{facts}，已达每家组织最多 {max} 个，本申报不能再获立项{not_exempt}{note}"),
            ),
        });
    }
    out
}

/// Qingtongxia: "每个机构最多申报1个项目".
fn one_application(counts: &Counts) -> RuleResult {
    let rule = "one_application_per_org";
    match counts.program_applications {
        0 => RuleResult::new(rule, Outcome::Pass, "本计划每个机构最多申报1个项目，本机构未申报其他项目"),
        n => RuleResult::new(rule, Outcome::Fail, &format!("本计划每个机构最多申报1个项目，本机构已有其他申报 {n} 个")),
    }
}

/// Joint applications (联合申报). Allowed ones still need a person: Fangshan allows them only
/// "经房山区民政局同意", and the joint applicants must confirm.
fn joint(allowed: Option<bool>, app: &ApplicationFacts) -> Option<RuleResult> {
    let rule = "joint_applications";
    if app.joint_applicants.is_empty() {
        return allowed.map(|_| RuleResult::new(rule, Outcome::Pass, "单独申报，不涉及联合申报"));
    }
    let who = format!("联合申报方：{}", app.joint_applicants.join("、"));
    Some(match allowed {
        Some(false) => RuleResult::new(rule, Outcome::Fail, &format!("{who}；本计划不允许联合申报")),
        Some(true) => RuleResult::new(
            rule,
            Outcome::NeedsCheck,
            &format!("{who}；本计划允许联合申报，须经主办单位同意并由联合申报方确认"),
        ),
        None => RuleResult::new(rule, Outcome::NeedsCheck, &format!("{who}；文件未规定是否允许联合申报")),
    })
}
