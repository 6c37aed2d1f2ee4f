//! Drawing an expert panel (抽取评审专家) from the pool with avoidance rules (回避).
//!
//! The draw is a pure function of `(pool, request)`, the request carrying the seed:
//!
//! 1. Every expert is checked against the avoidance rules; an expert is excluded when their
//!    organization is an avoided one (the applicant or a joint applicant), when they declared a
//!    relation with an avoided organization, or when their area code lies within
//!    `avoid_area_prefix` (the street of the project, when the program asks for it). Every
//!    reason that applies is recorded.
//! 2. The remaining experts are sorted by id, so the order in which the pool was stored or
//!    sent does not change the draw.
//! 3. A [`SplitMix64`] generator is seeded with `request.seed`. For each required field in the
//!    order given (duplicates ignored), unless an expert already chosen covers it, one expert
//!    is drawn uniformly among the remaining experts of that field.
//! 4. The rest of the seats are filled by uniform draws among all remaining experts.
//!
//! Each random pick is written to `steps` as "候选N名中的第k位" of the id-sorted list, so a
//! reader can replay the draw by hand. [`DRAW_ALGORITHM`] names this procedure; any change to it
//! must change that name, because recorded draws must replay forever.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::prng::SplitMix64;
use crate::area::is_within;

/// Name and version of the draw procedure, recorded with every draw.
pub const DRAW_ALGORITHM: &str = "gongyi-panel-draw-v1/splitmix64";

/// An expert in the pool (专家库).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expert {
    pub id: String,
    pub name: String,
    /// Fields of expertise, e.g. "养老服务", "财务", "社会工作".
    #[serde(default)]
    pub fields: Vec<String>,
    /// The organization the expert works for.
    #[serde(default)]
    pub organization_id: Option<String>,
    /// Division code of where the expert lives or works (street or community level).
    #[serde(default)]
    pub area_code: Option<String>,
    /// Organizations the expert declared a relation with (任职、顾问、亲属 …).
    #[serde(default)]
    pub relations: Vec<String>,
}

/// What to draw and what to avoid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawRequest {
    /// Seats on the panel.
    pub size: usize,
    /// At least one expert of each field, when the remaining pool and the seats allow.
    #[serde(default)]
    pub required_fields: Vec<String>,
    /// The applicant and the joint applicants (联合申报单位).
    #[serde(default)]
    pub avoid_organizations: Vec<String>,
    /// Area code prefix to avoid, e.g. the 9-digit street code of the project when the program
    /// asks experts of the same street to step aside.
    #[serde(default)]
    pub avoid_area_prefix: Option<String>,
    /// The seed, chosen and recorded before the draw.
    pub seed: u64,
}

/// An expert who may not sit on this panel, with every reason in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excluded {
    pub expert_id: String,
    pub name: String,
    pub reason: String,
}

/// A recorded draw: enough to show, explain and replay it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draw {
    pub algorithm: String,
    pub seed: u64,
    pub pool_size: usize,
    /// Ids in the order they were drawn.
    pub chosen: Vec<String>,
    /// Excluded experts, sorted by id.
    pub excluded: Vec<Excluded>,
    /// Required fields no chosen expert covers (none left in the pool, or no seat left).
    pub unmet_fields: Vec<String>,
    /// The draw step by step, in Chinese.
    pub steps: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error("抽取人数应至少为1人")]
    ZeroSize,
    #[error("专家库中专家编号“{0}”重复")]
    DuplicateExpert(String),
    #[error("可抽专家不足：需抽取{needed}名，专家库共{pool}名，回避{excluded}名后仅剩{available}名")]
    PoolTooSmall { needed: usize, pool: usize, excluded: usize, available: usize },
}

/// Reasons this expert must step aside, empty when none.
fn avoidance_reasons(expert: &Expert, request: &DrawRequest) -> Vec<String> {
    let mut reasons = Vec::new();
    if let Some(org) = &expert.organization_id
        && request.avoid_organizations.contains(org)
    {
        reasons.push(format!("本人所在单位（{org}）为申报单位或联合申报单位"));
    }
    let related: BTreeSet<&String> =
        expert.relations.iter().filter(|r| request.avoid_organizations.contains(r)).collect();
    for org in related {
        if expert.organization_id.as_ref() != Some(org) {
            reasons.push(format!("本人申报与申报单位或联合申报单位（{org}）存在关联关系"));
        }
    }
    if let (Some(prefix), Some(area)) = (&request.avoid_area_prefix, &expert.area_code)
        && !prefix.is_empty()
        && is_within(area, prefix)
    {
        reasons.push(format!("本人所在地区（{area}）属于项目所在街道（{prefix}），按本计划规定回避"));
    }
    reasons
}

/// Draw a panel. Same `(pool, request)` → same [`Draw`], whatever the order of `pool`.
pub fn draw_panel(pool: &[Expert], request: &DrawRequest) -> Result<Draw, DrawError> {
    if request.size == 0 {
        return Err(DrawError::ZeroSize);
    }
    let mut sorted: Vec<&Expert> = pool.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(pair) = sorted.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(DrawError::DuplicateExpert(pair[0].id.clone()));
    }

    let mut excluded = Vec::new();
    let mut remaining: Vec<&Expert> = Vec::new();
    for expert in sorted {
        let reasons = avoidance_reasons(expert, request);
        if reasons.is_empty() {
            remaining.push(expert);
        } else {
            excluded.push(Excluded {
                expert_id: expert.id.clone(),
                name: expert.name.clone(),
                reason: reasons.join("；"),
            });
        }
    }
    if remaining.len() < request.size {
        return Err(DrawError::PoolTooSmall {
            needed: request.size,
            pool: pool.len(),
            excluded: excluded.len(),
            available: remaining.len(),
        });
    }

    let mut steps = vec![format!(
        "专家库共{}名，回避{}名，可抽{}名（按编号排序）；抽取{}名；随机种子{}；算法{}",
        pool.len(),
        excluded.len(),
        remaining.len(),
        request.size,
        request.seed,
        DRAW_ALGORITHM
    )];
    let mut rng = SplitMix64::new(request.seed);
    let mut chosen: Vec<&Expert> = Vec::new();
    let mut unmet_fields = Vec::new();
    let mut seen_fields = BTreeSet::new();

    for field in &request.required_fields {
        if !seen_fields.insert(field.as_str()) {
            continue;
        }
        if let Some(by) = chosen.iter().find(|e| e.fields.contains(field)) {
            steps.push(format!("领域“{field}”已由抽中的{}（{}）覆盖", by.name, by.id));
            continue;
        }
        let candidates: Vec<usize> =
            remaining.iter().enumerate().filter(|(_, e)| e.fields.contains(field)).map(|(i, _)| i).collect();
        if candidates.is_empty() {
            steps.push(format!("可抽专家中没有“{field}”领域的专家，该领域无法满足"));
            unmet_fields.push(field.clone());
            continue;
        }
        if chosen.len() == request.size {
            steps.push(format!("席位已满，领域“{field}”无法满足"));
            unmet_fields.push(field.clone());
            continue;
        }
        let k = rng.index(candidates.len());
        let expert = remaining.remove(candidates[k]);
        steps.push(format!(
            "按领域“{field}”从{}名候选中抽中第{}位：{}（{}）",
            candidates.len(),
            k + 1,
            expert.name,
            expert.id
        ));
        chosen.push(expert);
    }

    while chosen.len() < request.size {
        let k = rng.index(remaining.len());
        let n = remaining.len();
        let expert = remaining.remove(k);
        steps.push(format!("从其余{n}名可抽专家中抽中第{}位：{}（{}）", k + 1, expert.name, expert.id));
        chosen.push(expert);
    }

    Ok(Draw {
        algorithm: DRAW_ALGORITHM.to_string(),
        seed: request.seed,
        pool_size: pool.len(),
        chosen: chosen.iter().map(|e| e.id.clone()).collect(),
        excluded,
        unmet_fields,
        steps,
    })
}
