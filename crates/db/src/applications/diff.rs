//! What changed between two submitted versions of an application, field by field, in Chinese:
//! changed sections, plan months added or removed, team members, budget lines with amounts,
//! proposed outputs and co-funding lines.

use sea_orm::ConnectionTrait;
use serde::Serialize;

use super::{ApplicationInput, versions};
use crate::{Actor, AppError, AppResult};

/// One change: the section it belongs to and a sentence saying what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub section: String,
    pub text: String,
}

fn push(out: &mut Vec<Change>, section: &str, text: String) {
    out.push(Change { section: section.to_string(), text });
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(30).collect();
    if s.chars().count() > 30 { format!("{t}…") } else { t }
}

/// The changes from `old` to `new`.
pub fn diff(old: &ApplicationInput, new: &ApplicationInput) -> Vec<Change> {
    let mut out = Vec::new();
    let texts = [
        ("项目名称", &old.title, &new.title),
        ("项目概述", &old.summary, &new.summary),
        ("需求分析", &old.needs_analysis, &new.needs_analysis),
        ("项目目标", &old.objectives, &new.objectives),
    ];
    for (label, a, b) in texts {
        if a != b {
            push(&mut out, "基本信息", format!("{label}已修改：“{}” → “{}”", short(a), short(b)));
        }
    }
    for p in &new.plan {
        match old.plan.iter().find(|o| o.month == p.month) {
            None => push(&mut out, "实施计划", format!("新增 {} 月：{}", p.month, short(&p.activities))),
            Some(o) if o.activities != p.activities => push(
                &mut out,
                "实施计划",
                format!("{} 月活动已修改：“{}” → “{}”", p.month, short(&o.activities), short(&p.activities)),
            ),
            _ => {}
        }
    }
    for o in old.plan.iter().filter(|o| !new.plan.iter().any(|p| p.month == o.month)) {
        push(&mut out, "实施计划", format!("删除 {} 月：{}", o.month, short(&o.activities)));
    }
    for o in &new.outputs {
        match old.outputs.iter().find(|x| x.index == o.index) {
            None => push(&mut out, "产出目标", format!("第{}项产出 新填拟定数量 {}", o.index + 1, o.quantity)),
            Some(x) if x.quantity != o.quantity => {
                push(&mut out, "产出目标", format!("第{}项产出 拟定数量 {} → {}", o.index + 1, x.quantity, o.quantity))
            }
            _ => {}
        }
    }
    let yn = |b: bool| if b { "是" } else { "否" };
    for m in &new.team {
        match old.team.iter().find(|o| o.name == m.name) {
            None => push(&mut out, "执行团队", format!("新增成员 {}（{}，持证：{}）", m.name, m.role, yn(m.certified))),
            Some(o) if o != m => push(
                &mut out,
                "执行团队",
                format!(
                    "成员 {} 已修改：角色 {} → {}，持证 {} → {}，专职 {} → {}，负责人 {} → {}",
                    m.name,
                    o.role,
                    m.role,
                    yn(o.certified),
                    yn(m.certified),
                    yn(o.full_time),
                    yn(m.full_time),
                    yn(o.lead),
                    yn(m.lead)
                ),
            ),
            _ => {}
        }
    }
    for o in old.team.iter().filter(|o| !new.team.iter().any(|m| m.name == o.name)) {
        push(&mut out, "执行团队", format!("删除成员 {}", o.name));
    }
    let key = |l: &domain::eligibility::BudgetLine| (l.category, l.uses.clone());
    for l in &new.budget {
        match old.budget.iter().find(|o| key(o) == key(l)) {
            None => push(
                &mut out,
                "项目预算",
                format!("新增 {}“{}” {} 元", l.category.zh(), l.uses, l.amount.yuan_string()),
            ),
            Some(o) if o.amount != l.amount => push(
                &mut out,
                "项目预算",
                format!(
                    "{}“{}” {} 元 → {} 元",
                    l.category.zh(),
                    l.uses,
                    o.amount.yuan_string(),
                    l.amount.yuan_string()
                ),
            ),
            _ => {}
        }
    }
    for o in old.budget.iter().filter(|o| !new.budget.iter().any(|l| key(l) == key(o))) {
        push(&mut out, "项目预算", format!("删除 {}“{}” {} 元", o.category.zh(), o.uses, o.amount.yuan_string()));
    }
    if old.total() != new.total() {
        push(
            &mut out,
            "项目预算",
            format!("申请金额 {} 元 → {} 元", old.total().yuan_string(), new.total().yuan_string()),
        );
    }
    for c in &new.cofunding {
        match old.cofunding.iter().find(|o| o.source == c.source) {
            None => push(&mut out, "配套资金", format!("新增 {} {} 元", c.source, c.amount.yuan_string())),
            Some(o) if o.amount != c.amount || o.note != c.note => push(
                &mut out,
                "配套资金",
                format!("{} {} 元 → {} 元", c.source, o.amount.yuan_string(), c.amount.yuan_string()),
            ),
            _ => {}
        }
    }
    for o in old.cofunding.iter().filter(|o| !new.cofunding.iter().any(|c| c.source == o.source)) {
        push(&mut out, "配套资金", format!("删除 {} {} 元", o.source, o.amount.yuan_string()));
    }
    out
}

/// The changes of submitted version `version` against the version before it.
pub async fn version_diff<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str, version: i32) -> AppResult<Vec<Change>> {
    let all = versions(db, actor, id).await?;
    let snap = |v: i32| {
        all.iter()
            .find(|x| x.version == v)
            .map(|x| serde_json::from_str::<ApplicationInput>(&x.snapshot_json).unwrap_or_default())
    };
    let new = snap(version).ok_or_else(|| AppError::NotFound("版本".into()))?;
    let old = snap(version - 1).ok_or_else(|| AppError::NotFound("上一版本".into()))?;
    Ok(diff(&old, &new))
}
