//! Household files (一户一档): a household of the registering organization with its area,
//! address, members (persons with `household_id`) and a head (户主). Scoped like persons: the
//! organization's people see their households, area roles those in their area subtree.

use domain::area::AreaLevel;
use domain::role::Role;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use crate::audit::Event;
use crate::crypto::Keys;
use crate::entity::{household, person};
use crate::persons::{self, PersonView};
use crate::scope::area_or_org_condition;
use crate::{Actor, AppError, AppResult, FieldError, Page, PageRequest, db_err, new_id};

fn scope(actor: &Actor) -> Condition {
    area_or_org_condition(&actor.scope(), household::Column::AreaCode, household::Column::OrganizationId)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct HouseholdInput {
    #[serde(default)]
    pub area_code: Option<String>,
    #[serde(default)]
    pub address: String,
}

impl HouseholdInput {
    fn validate(&self) -> AppResult<()> {
        let mut errors = Vec::new();
        match self.area_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => errors.push(FieldError::new("area_code", "所在区域：请填写区划代码（街道9位或社区12位）")),
            Some(code) if AreaLevel::from_code(code).is_none() => {
                errors.push(FieldError::new("area_code", "所在区域：区划代码应为2、4、6、9或12位数字"))
            }
            Some(_) => {}
        }
        if self.address.trim().is_empty() || self.address.trim().chars().count() > 300 {
            errors.push(FieldError::new("address", "家庭住址：不能为空，且不超过300字"));
        }
        if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HouseholdView {
    pub id: String,
    pub organization_id: String,
    pub area_code: Option<String>,
    pub address: String,
    pub head_person_id: Option<String>,
    /// Members, masked; the head first.
    pub members: Vec<PersonView>,
    pub created_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct HouseholdSummary {
    pub id: String,
    pub area_code: Option<String>,
    pub address: String,
    pub head_name: Option<String>,
    pub member_count: u64,
}

fn may_edit(actor: &Actor, h: &household::Model) -> bool {
    match actor.role {
        Role::SysAdmin => true,
        Role::OrgAdmin | Role::OrgStaff | Role::FieldWorker => {
            actor.organization_id.as_deref() == Some(h.organization_id.as_str())
        }
        _ => false,
    }
}

/// The stored row, NotFound outside the scope.
pub async fn find<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<household::Model> {
    household::Entity::find_by_id(id)
        .filter(scope(actor))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("家庭档案".into()))
}

pub fn editable(actor: &Actor, h: &household::Model) -> bool {
    may_edit(actor, h)
}

/// Create a household for the actor's organization. Audited "household.create".
pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: &HouseholdInput,
    now_ms: i64,
) -> AppResult<household::Model> {
    actor.require(&[Role::OrgAdmin, Role::OrgStaff, Role::FieldWorker])?;
    let org_id = actor.organization_id.clone().ok_or(AppError::Forbidden)?;
    input.validate()?;
    let m = household::ActiveModel {
        id: Set(new_id()),
        organization_id: Set(org_id),
        area_code: Set(input.area_code.as_deref().map(str::trim).map(str::to_string)),
        address: Set(input.address.trim().to_string()),
        head_person_id: Set(None),
        created_ms: Set(now_ms),
        updated_ms: Set(now_ms),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Event::new(actor, now_ms, "household.create", "household", &m.id).after(&m).write(db).await?;
    Ok(m)
}

/// One household with its members (masked).
pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, keys: &Keys, id: &str) -> AppResult<HouseholdView> {
    let h = find(db, actor, id).await?;
    let rows = person::Entity::find()
        .filter(person::Column::HouseholdId.eq(h.id.as_str()))
        .order_by_asc(person::Column::BirthDate)
        .all(db)
        .await
        .map_err(db_err)?;
    let mut members = rows.iter().map(|m| persons::view(keys, m)).collect::<AppResult<Vec<_>>>()?;
    members.sort_by_key(|p| Some(p.id.as_str()) != h.head_person_id.as_deref());
    Ok(HouseholdView {
        id: h.id,
        organization_id: h.organization_id,
        area_code: h.area_code,
        address: h.address,
        head_person_id: h.head_person_id,
        members,
        created_ms: h.created_ms,
    })
}

pub async fn list<C: ConnectionTrait>(db: &C, actor: &Actor, page: &PageRequest) -> AppResult<Page<HouseholdSummary>> {
    let mut q = household::Entity::find().filter(scope(actor));
    if let Some(after) = &page.after {
        q = q.filter(household::Column::Id.gt(after.as_str()));
    }
    let limit = page.limit();
    let rows = q.order_by_asc(household::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    let page = Page::from_rows(rows, limit, |h| h.id.clone());
    let mut items = Vec::with_capacity(page.items.len());
    for h in page.items {
        let member_count = person::Entity::find()
            .filter(person::Column::HouseholdId.eq(h.id.as_str()))
            .count(db)
            .await
            .map_err(db_err)?;
        let head_name = match &h.head_person_id {
            Some(pid) => person::Entity::find_by_id(pid.as_str()).one(db).await.map_err(db_err)?.map(|p| p.name),
            None => None,
        };
        items.push(HouseholdSummary { id: h.id, area_code: h.area_code, address: h.address, head_name, member_count });
    }
    Ok(Page { items, next_cursor: page.next_cursor })
}

/// The household and the person, both editable by the actor and of the same organization.
async fn pair<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    person_id: &str,
) -> AppResult<(household::Model, person::Model)> {
    let h = find(db, actor, id).await?;
    let p = persons::find(db, actor, person_id).await?;
    if !may_edit(actor, &h) || !persons::may_edit(actor, &p) {
        return Err(AppError::Forbidden);
    }
    if p.organization_id != h.organization_id {
        return Err(AppError::field("person_id", "家庭成员：只能加入本机构登记的服务对象"));
    }
    Ok((h, p))
}

/// Add a person to the household (moving them from another one). Audited "household.add_member".
pub async fn add_member<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    person_id: &str,
    now_ms: i64,
) -> AppResult<()> {
    let (h, p) = pair(db, actor, id, person_id).await?;
    let before = p.household_id.clone();
    let mut a = p.into_active_model();
    a.household_id = Set(Some(h.id.clone()));
    a.updated_ms = Set(now_ms);
    a.update(db).await.map_err(db_err)?;
    let after = serde_json::json!({ "person_id": person_id, "previous_household_id": before });
    Event::new(actor, now_ms, "household.add_member", "household", &h.id).after(&after).write(db).await
}

/// Take a person out of the household (the head too, leaving it without a head).
pub async fn remove_member<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    person_id: &str,
    now_ms: i64,
) -> AppResult<()> {
    let (h, p) = pair(db, actor, id, person_id).await?;
    if p.household_id.as_deref() != Some(h.id.as_str()) {
        return Err(AppError::field("person_id", "家庭成员：该服务对象不在本户"));
    }
    let mut a = p.into_active_model();
    a.household_id = Set(None);
    a.updated_ms = Set(now_ms);
    a.update(db).await.map_err(db_err)?;
    if h.head_person_id.as_deref() == Some(person_id) {
        let mut ha = h.clone().into_active_model();
        ha.head_person_id = Set(None);
        ha.updated_ms = Set(now_ms);
        ha.update(db).await.map_err(db_err)?;
    }
    let after = serde_json::json!({ "person_id": person_id });
    Event::new(actor, now_ms, "household.remove_member", "household", &h.id).after(&after).write(db).await
}

/// Make a member the head (户主). Audited "household.set_head".
pub async fn set_head<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    person_id: &str,
    now_ms: i64,
) -> AppResult<()> {
    let (h, p) = pair(db, actor, id, person_id).await?;
    if p.household_id.as_deref() != Some(h.id.as_str()) {
        return Err(AppError::field("person_id", "户主：请先将其加入本户"));
    }
    let before = h.head_person_id.clone();
    let mut a = h.into_active_model();
    a.head_person_id = Set(Some(person_id.to_string()));
    a.updated_ms = Set(now_ms);
    let h = a.update(db).await.map_err(db_err)?;
    let change = serde_json::json!({ "head_person_id": person_id, "previous": before });
    Event::new(actor, now_ms, "household.set_head", "household", &h.id).after(&change).write(db).await
}
