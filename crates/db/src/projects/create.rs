//! A project created directly by a funder (街道计划, 招标标段): title, organization, program and
//! call item optional, area, period and output targets.

use chrono::NaiveDate;
use domain::area::AreaLevel;
use domain::program::OutputTarget;
use domain::role::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::{Deserialize, Serialize};

use crate::audit::Event;
use crate::entity::{call_item, organization, program, project};
use crate::{Actor, AppError, AppResult, FieldError, db_err, new_id};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProjectInput {
    pub title: String,
    pub organization_id: String,
    #[serde(default)]
    pub program_id: Option<String>,
    #[serde(default)]
    pub call_item_id: Option<String>,
    pub area_code: String,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    #[serde(default)]
    pub targets: Vec<OutputTarget>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|x| !x.is_empty())
}

async fn validate<C: ConnectionTrait>(db: &C, actor: &Actor, input: &ProjectInput) -> AppResult<()> {
    let mut e = Vec::new();
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        e.push(FieldError::new("title", "项目名称：不能为空，且不超过200字"));
    }
    let org = organization::Entity::find_by_id(input.organization_id.trim()).one(db).await.map_err(db_err)?;
    if org.is_none() {
        e.push(FieldError::new("organization_id", "承接机构：请选择机构"));
    }
    let code = input.area_code.trim();
    if AreaLevel::from_code(code).is_none() {
        e.push(FieldError::new("area_code", "服务区域：区划代码应为2、4、6、9或12位数字"));
    } else if actor.area_code.is_some() && !actor.covers_area(Some(code)) {
        e.push(FieldError::new("area_code", "服务区域：不在您的管辖区域内"));
    }
    if input.end_on < input.start_on {
        e.push(FieldError::new("end_on", "结束日期：不能早于开始日期"));
    }
    if let Some(pid) = blank(&input.program_id) {
        match program::Entity::find_by_id(pid).one(db).await.map_err(db_err)? {
            Some(p) if crate::programs::may_manage(actor, &p) => {
                if let Some(iid) = blank(&input.call_item_id) {
                    let item = call_item::Entity::find_by_id(iid).one(db).await.map_err(db_err)?;
                    if item.is_none_or(|i| i.program_id != p.id) {
                        e.push(FieldError::new("call_item_id", "项目清单条目：不属于所选计划"));
                    }
                }
            }
            _ => e.push(FieldError::new("program_id", "所属计划：请选择您管理的计划")),
        }
    } else if blank(&input.call_item_id).is_some() {
        e.push(FieldError::new("call_item_id", "项目清单条目：请先选择所属计划"));
    }
    for (i, t) in input.targets.iter().enumerate() {
        if t.quantity == Some(0) {
            e.push(FieldError::new(
                format!("targets.{i}.quantity"),
                format!("产出指标第{}行 数量：请填写大于0的整数", i + 1),
            ));
        }
    }
    if e.is_empty() { Ok(()) } else { Err(AppError::Validation(e)) }
}

/// Create a project directly. Funders (for programs they manage and areas they cover) and
/// system administrators.
pub async fn create<C: ConnectionTrait>(db: &C, actor: &Actor, input: &ProjectInput, now_ms: i64) -> AppResult<String> {
    actor.require(&[Role::FunderAdmin])?;
    validate(db, actor, input).await?;
    let id = new_id();
    project::ActiveModel {
        id: Set(id.clone()),
        program_id: Set(blank(&input.program_id).map(str::to_string)),
        call_item_id: Set(blank(&input.call_item_id).map(str::to_string)),
        award_id: Set(None),
        organization_id: Set(input.organization_id.trim().to_string()),
        title: Set(input.title.trim().to_string()),
        area_code: Set(input.area_code.trim().to_string()),
        start_on: Set(input.start_on),
        end_on: Set(input.end_on),
        targets_json: Set(super::to_json(&input.targets)),
        status: Set("active".into()),
        created_ms: Set(now_ms),
        updated_ms: Set(now_ms),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Event::new(actor, now_ms, "project.create", "project", &id).after(input).write(db).await?;
    Ok(id)
}

/// Close or reopen a project (active / closed).
pub async fn set_status<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    status: &str,
    now_ms: i64,
) -> AppResult<()> {
    let p = super::get(db, actor, id).await?;
    if !super::may_manage(actor, &p) {
        return Err(AppError::Forbidden);
    }
    if !["active", "closed"].contains(&status) {
        return Err(AppError::field("status", "状态：应为进行中或已结项"));
    }
    project::ActiveModel {
        id: Set(p.id.clone()),
        status: Set(status.into()),
        updated_ms: Set(now_ms),
        ..Default::default()
    }
    .update(db)
    .await
    .map_err(db_err)?;
    let after = serde_json::json!({ "status": status });
    Event::new(actor, now_ms, "project.status", "project", &p.id).before(&p.status).after(&after).write(db).await?;
    Ok(())
}

/// What the direct-creation form offers: programs the actor manages, their call items
/// (id, program id, "code name") and social organizations in scope.
#[derive(Debug, Clone, Default)]
pub struct FormChoices {
    pub programs: Vec<(String, String)>,
    pub items: Vec<(String, String, String)>,
    pub organizations: Vec<(String, String)>,
}

pub async fn form_choices<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<FormChoices> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    actor.require(&[Role::FunderAdmin])?;
    let programs: Vec<program::Model> = program::Entity::find()
        .order_by_asc(program::Column::Code)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .filter(|p| crate::programs::may_manage(actor, p))
        .collect();
    let ids: Vec<String> = programs.iter().map(|p| p.id.clone()).collect();
    let items = call_item::Entity::find()
        .filter(call_item::Column::ProgramId.is_in(ids))
        .order_by_asc(call_item::Column::ProgramId)
        .order_by_asc(call_item::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let filter = crate::organizations::OrganizationFilter { kind: Some("social_org".into()), ..Default::default() };
    let orgs =
        crate::organizations::list(db, actor, &filter, &crate::PageRequest { after: None, limit: Some(200) }).await?;
    Ok(FormChoices {
        items: items
            .into_iter()
            .map(|i| {
                let prog = programs.iter().find(|p| p.id == i.program_id).map(|p| p.code.as_str()).unwrap_or("");
                (i.id, i.program_id.clone(), format!("{prog} · {} {}", i.code, i.name))
            })
            .collect(),
        programs: programs.into_iter().map(|p| (p.id, p.name)).collect(),
        organizations: orgs.items.into_iter().map(|o| (o.id, o.name)).collect(),
    })
}
