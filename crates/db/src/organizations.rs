//! Organizations, their annual inspections and staff. Scoped: an organization's own people see
//! only it; area roles see organizations registered in their area subtree.

use chrono::NaiveDate;
use domain::ids::Uscc;
use domain::role::Role;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use crate::audit::Event;
use crate::entity::{annual_inspection, organization, staff_member};
use crate::scope::area_or_org_condition;
use crate::{Actor, AppError, AppResult, FieldError, Page, PageRequest, db_err, new_id};

/// Kinds of organization (PRODUCT.md).
pub const KINDS: [&str; 6] = ["funder", "co_funder", "operator", "social_org", "evaluator", "area_office"];

pub const CERTIFICATE_LEVELS: [&str; 3] = ["assistant", "social_worker", "senior"];

fn scope(actor: &Actor) -> Condition {
    area_or_org_condition(&actor.scope(), organization::Column::AreaCode, organization::Column::Id)
}

/// The editable fields of an organization (also the API's create and update body).
/// An organization's own administrator cannot change its kind, rating, listings or area.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct OrganizationInput {
    /// funder, co_funder, operator, social_org, evaluator, area_office.
    #[cfg_attr(feature = "openapi", schema(example = "social_org"))]
    pub kind: String,
    pub name: String,
    /// 统一社会信用代码: 18 characters with the GB 32100-2015 check character; required for
    /// social organizations.
    pub uscc: String,
    pub registered_on: Option<NaiveDate>,
    pub registration_authority: String,
    pub legal_representative: String,
    /// 等级评估: 1–5 (1A–5A).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: Option<i32>,
    pub rated_on: Option<NaiveDate>,
    /// Division code where it is registered.
    pub area_code: Option<String>,
    pub address: String,
    pub bank_name: String,
    pub bank_account: String,
    pub business_scope: String,
    /// 活动异常名录.
    pub abnormal_list: bool,
    pub abnormal_since: Option<NaiveDate>,
    /// 严重违法失信名单.
    pub blacklisted: bool,
    pub blacklisted_since: Option<NaiveDate>,
    pub under_investigation: bool,
    pub last_penalty_on: Option<NaiveDate>,
}

impl OrganizationInput {
    /// Check every field; all problems are returned together.
    fn validate(&self, actor: &Actor) -> AppResult<Option<Uscc>> {
        let mut errors = Vec::new();
        if !KINDS.contains(&self.kind.as_str()) {
            errors.push(FieldError::new("kind", "组织类型：请选择组织类型"));
        }
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            errors.push(FieldError::new("name", "组织名称：不能为空，且不超过200字"));
        }
        let uscc = if self.uscc.trim().is_empty() {
            if self.kind == "social_org" {
                errors.push(FieldError::new("uscc", "统一社会信用代码：社会组织必须填写"));
            }
            None
        } else {
            match Uscc::parse(&self.uscc) {
                Ok(u) => Some(u),
                Err(e) => {
                    errors.push(FieldError::new("uscc", e.to_string()));
                    None
                }
            }
        };
        if let Some(r) = self.rating
            && !(1..=5).contains(&r)
        {
            errors.push(FieldError::new("rating", "等级评估：应为1A至5A"));
        }
        if self.rating.is_some() != self.rated_on.is_some() && self.rating.is_some() {
            errors.push(FieldError::new("rated_on", "评估日期：填写等级时须填写评估日期"));
        }
        if self.abnormal_list && self.abnormal_since.is_none() {
            errors.push(FieldError::new("abnormal_since", "列入活动异常名录日期：请填写"));
        }
        if self.blacklisted && self.blacklisted_since.is_none() {
            errors.push(FieldError::new("blacklisted_since", "列入严重违法失信名单日期：请填写"));
        }
        if let Some(code) = self.area_code.as_deref().filter(|c| !c.is_empty()) {
            if domain::area::AreaLevel::from_code(code).is_none() {
                errors.push(FieldError::new("area_code", "所在区域：区划代码应为2、4、6、9或12位数字"));
            } else if !actor.is_admin() && !actor.covers_area(Some(code)) && actor.role != Role::OrgAdmin {
                errors.push(FieldError::new("area_code", "所在区域：超出您的管辖范围"));
            }
        }
        if errors.is_empty() { Ok(uscc) } else { Err(AppError::Validation(errors)) }
    }

    fn apply(&self, a: &mut organization::ActiveModel, uscc: Option<Uscc>) {
        a.kind = Set(self.kind.clone());
        a.name = Set(self.name.trim().to_string());
        a.uscc = Set(uscc.map(|u| u.as_str().to_string()));
        a.registered_on = Set(self.registered_on);
        a.registration_authority = Set(self.registration_authority.trim().to_string());
        a.legal_representative = Set(self.legal_representative.trim().to_string());
        a.rating = Set(self.rating);
        a.rated_on = Set(self.rated_on);
        a.area_code = Set(self.area_code.clone().filter(|c| !c.is_empty()));
        a.address = Set(self.address.trim().to_string());
        a.bank_name = Set(self.bank_name.trim().to_string());
        a.bank_account = Set(self.bank_account.trim().to_string());
        a.business_scope = Set(self.business_scope.trim().to_string());
        a.abnormal_list = Set(self.abnormal_list);
        a.abnormal_since = Set(self.abnormal_since.filter(|_| self.abnormal_list));
        a.blacklisted = Set(self.blacklisted);
        a.blacklisted_since = Set(self.blacklisted_since.filter(|_| self.blacklisted));
        a.under_investigation = Set(self.under_investigation);
        a.last_penalty_on = Set(self.last_penalty_on);
    }
}

async fn ensure_unique_uscc<C: ConnectionTrait>(db: &C, uscc: &Option<Uscc>, id: Option<&str>) -> AppResult<()> {
    if let Some(u) = uscc {
        let dup = organization::Entity::find()
            .filter(organization::Column::Uscc.eq(u.as_str()))
            .one(db)
            .await
            .map_err(db_err)?;
        if dup.is_some_and(|d| Some(d.id.as_str()) != id) {
            return Err(AppError::field("uscc", "统一社会信用代码：已有组织使用该代码"));
        }
    }
    Ok(())
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: &OrganizationInput,
    now_ms: i64,
) -> AppResult<organization::Model> {
    actor.require(&[Role::FunderAdmin])?;
    let uscc = input.validate(actor)?;
    ensure_unique_uscc(db, &uscc, None).await?;
    let mut a = organization::ActiveModel {
        id: Set(new_id()),
        created_ms: Set(now_ms),
        updated_ms: Set(now_ms),
        ..Default::default()
    };
    input.apply(&mut a, uscc);
    let m = a.insert(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "organization.create", "organization", &m.id).after(&m).write(db).await?;
    Ok(m)
}

/// Whether the actor may edit this organization's profile and staff.
pub fn may_edit(actor: &Actor, org: &organization::Model) -> bool {
    match actor.role {
        Role::SysAdmin => true,
        Role::FunderAdmin => actor.covers_area(org.area_code.as_deref()),
        Role::OrgAdmin => actor.organization_id.as_deref() == Some(org.id.as_str()),
        _ => false,
    }
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    input: &OrganizationInput,
    now_ms: i64,
) -> AppResult<organization::Model> {
    let current = get(db, actor, id).await?;
    if !may_edit(actor, &current) {
        return Err(AppError::Forbidden);
    }
    let mut input = input.clone();
    if actor.role == Role::OrgAdmin {
        // an organization cannot change its own kind, rating, listing or area
        input.kind = current.kind.clone();
        input.rating = current.rating;
        input.rated_on = current.rated_on;
        input.abnormal_list = current.abnormal_list;
        input.abnormal_since = current.abnormal_since;
        input.blacklisted = current.blacklisted;
        input.blacklisted_since = current.blacklisted_since;
        input.under_investigation = current.under_investigation;
        input.last_penalty_on = current.last_penalty_on;
        input.area_code = current.area_code.clone();
    }
    let uscc = input.validate(actor)?;
    ensure_unique_uscc(db, &uscc, Some(id)).await?;
    let mut a = current.clone().into_active_model();
    input.apply(&mut a, uscc);
    a.updated_ms = Set(now_ms);
    let m = a.update(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "organization.update", "organization", id).before(&current).after(&m).write(db).await?;
    Ok(m)
}

/// One organization, or NotFound when it is outside the actor's scope.
pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<organization::Model> {
    organization::Entity::find_by_id(id)
        .filter(scope(actor))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("组织".into()))
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrganizationFilter {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub area_code: Option<String>,
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &OrganizationFilter,
    page: &PageRequest,
) -> AppResult<Page<organization::Model>> {
    let mut q = organization::Entity::find().filter(scope(actor));
    if let Some(text) = filter.q.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(
            Condition::any().add(organization::Column::Name.contains(text)).add(organization::Column::Uscc.eq(text)),
        );
    }
    if let Some(k) = filter.kind.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(organization::Column::Kind.eq(k));
    }
    if let Some(a) = filter.area_code.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(organization::Column::AreaCode.starts_with(a));
    }
    if let Some(after) = &page.after {
        q = q.filter(organization::Column::Id.gt(after.as_str()));
    }
    let limit = page.limit();
    let rows = q.order_by_asc(organization::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    Ok(Page::from_rows(rows, limit, |o| o.id.clone()))
}

/// Names of organizations by id in one query (for lists that show an organization column).
pub async fn names<C: ConnectionTrait>(db: &C, ids: &[String]) -> AppResult<std::collections::HashMap<String, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows = organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids.iter().map(String::as_str)))
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().map(|o| (o.id, o.name)).collect())
}

pub async fn find_by_name<C: ConnectionTrait>(db: &C, name: &str) -> AppResult<Option<organization::Model>> {
    organization::Entity::find().filter(organization::Column::Name.eq(name)).one(db).await.map_err(db_err)
}

// ---- annual inspections -------------------------------------------------------------------

pub async fn inspections<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    org_id: &str,
) -> AppResult<Vec<annual_inspection::Model>> {
    get(db, actor, org_id).await?;
    annual_inspection::Entity::find()
        .filter(annual_inspection::Column::OrganizationId.eq(org_id))
        .order_by_desc(annual_inspection::Column::Year)
        .all(db)
        .await
        .map_err(db_err)
}

/// Whether the actor may record this organization's annual inspections.
pub fn may_inspect(actor: &Actor, org: &organization::Model) -> bool {
    actor.is_admin() || (actor.role == Role::FunderAdmin && actor.covers_area(org.area_code.as_deref()))
}

/// Record (or correct) the inspection result of a year. Funders only: an organization does not
/// grade itself.
pub async fn set_inspection<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    org_id: &str,
    year: i32,
    passed: bool,
    note: &str,
    now_ms: i64,
) -> AppResult<()> {
    let org = get(db, actor, org_id).await?;
    if !may_inspect(actor, &org) {
        return Err(AppError::Forbidden);
    }
    if !(1990..=2100).contains(&year) {
        return Err(AppError::field("year", "年度：请填写四位年份"));
    }
    let existing = annual_inspection::Entity::find()
        .filter(annual_inspection::Column::OrganizationId.eq(org_id))
        .filter(annual_inspection::Column::Year.eq(year))
        .one(db)
        .await
        .map_err(db_err)?;
    let m = match existing {
        Some(e) => {
            let mut a = e.into_active_model();
            a.passed = Set(passed);
            a.note = Set(note.to_string());
            a.update(db).await.map_err(db_err)?
        }
        None => annual_inspection::ActiveModel {
            id: Set(new_id()),
            organization_id: Set(org_id.to_string()),
            year: Set(year),
            passed: Set(passed),
            note: Set(note.to_string()),
        }
        .insert(db)
        .await
        .map_err(db_err)?,
    };
    Event::new(actor, now_ms, "organization.inspection", "organization", org_id).after(&m).write(db).await
}

// ---- staff --------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct StaffInput {
    pub name: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub certificate_level: String,
    #[serde(default)]
    pub certificate_no: String,
    #[serde(default)]
    pub full_time: bool,
}

pub async fn staff<C: ConnectionTrait>(db: &C, actor: &Actor, org_id: &str) -> AppResult<Vec<staff_member::Model>> {
    get(db, actor, org_id).await?;
    staff_member::Entity::find()
        .filter(staff_member::Column::OrganizationId.eq(org_id))
        .order_by_asc(staff_member::Column::Id)
        .all(db)
        .await
        .map_err(db_err)
}

pub async fn add_staff<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    org_id: &str,
    input: &StaffInput,
    now_ms: i64,
) -> AppResult<staff_member::Model> {
    let org = get(db, actor, org_id).await?;
    if !may_edit(actor, &org) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Vec::new();
    if input.name.trim().is_empty() {
        errors.push(FieldError::new("name", "姓名：不能为空"));
    }
    let level = input.certificate_level.trim();
    if !level.is_empty() && !CERTIFICATE_LEVELS.contains(&level) {
        errors
            .push(FieldError::new("certificate_level", "社工证等级：请选择助理社会工作师、社会工作师或高级社会工作师"));
    }
    if !level.is_empty() && input.certificate_no.trim().is_empty() {
        errors.push(FieldError::new("certificate_no", "证书编号：持证人员须填写证书编号"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let m = staff_member::ActiveModel {
        id: Set(new_id()),
        organization_id: Set(org_id.to_string()),
        name: Set(input.name.trim().to_string()),
        position: Set(input.position.trim().to_string()),
        certificate_level: Set(level.to_string()),
        certificate_no: Set(input.certificate_no.trim().to_string()),
        full_time: Set(input.full_time),
        created_ms: Set(now_ms),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Event::new(actor, now_ms, "staff.create", "organization", org_id).after(&m).write(db).await?;
    Ok(m)
}

pub async fn remove_staff<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    org_id: &str,
    staff_id: &str,
    now_ms: i64,
) -> AppResult<()> {
    let org = get(db, actor, org_id).await?;
    if !may_edit(actor, &org) {
        return Err(AppError::Forbidden);
    }
    let s = staff_member::Entity::find_by_id(staff_id)
        .filter(staff_member::Column::OrganizationId.eq(org_id))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("人员".into()))?;
    staff_member::Entity::delete_by_id(staff_id).exec(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "staff.delete", "organization", org_id).before(&s).write(db).await
}
