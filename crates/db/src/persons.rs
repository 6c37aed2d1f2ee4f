//! Beneficiaries (服务对象) of the household registry (一户一档). Scoped: an organization's people
//! see the persons their organization registered; area roles see persons living in their area
//! subtree. Resident IDs and phones are encrypted at rest (`crate::crypto`) and shown masked
//! (3301**********1234, 138****5678); the full values are given only by `reveal`, which writes
//! an audit event. A resident ID is registered once per deployment: the keyed hash finds a
//! duplicate without decrypting and without showing the other record when it is out of scope.
//! The plaintext ID is never logged or audited (events hold the masked form).

use chrono::NaiveDate;
use domain::area::AreaLevel;
use domain::beneficiary::{is_care_level, is_category};
use domain::ids::{Gender, Phone, ResidentId};
use domain::role::Role;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use crate::audit::Event;
use crate::crypto::Keys;
use crate::entity::{household, person};
use crate::scope::area_or_org_condition;
use crate::{Actor, AppError, AppResult, FieldError, Page, PageRequest, db_err, new_id};

pub mod export;
pub mod import;
mod location;
pub mod photo;
pub use location::{location, point_of, set_location};

const DUPLICATE_IN_SCOPE: &str =
    "公民身份号码：该服务对象已登记，每人只登记一次。请打开已有档案，将其关联到您的项目，不要重复登记";
const DUPLICATE_ELSEWHERE: &str =
    "公民身份号码：该服务对象已由其他机构登记，每人只登记一次。可申请将其关联到您的项目（对方登记的信息不会显示）";

fn scope(actor: &Actor) -> Condition {
    area_or_org_condition(&actor.scope(), person::Column::AreaCode, person::Column::OrganizationId)
}

/// What a form or the API submits. Holds plaintext identifiers: deliberately neither `Debug` nor
/// `Serialize`, so it cannot end up in a log line or an audit event.
#[derive(Clone, Default, Deserialize)]
pub struct PersonInput {
    pub name: String,
    /// 公民身份号码. On update, empty keeps the stored one.
    #[serde(default)]
    pub resident_id: String,
    /// On update: `None` keeps the stored phone, `Some("")` removes it.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub area_code: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub care_level: String,
    #[serde(default)]
    pub consent_on: Option<NaiveDate>,
    #[serde(default)]
    pub household_id: Option<String>,
}

/// A person as lists, pages, the API and the audit log see it: identifiers masked.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub id: String,
    pub organization_id: String,
    pub household_id: Option<String>,
    pub name: String,
    /// "male" / "female", read from the resident ID.
    pub gender: String,
    pub birth_date: NaiveDate,
    /// 3301**********1234
    pub resident_id_masked: String,
    /// 138****5678
    pub phone_masked: Option<String>,
    pub address: String,
    pub area_code: Option<String>,
    pub categories: Vec<String>,
    pub care_level: String,
    pub consent_on: Option<NaiveDate>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

/// The full identifiers, for those allowed to see them (each call is audited).
#[derive(Clone, Serialize)]
pub struct Revealed {
    pub resident_id: String,
    pub phone: Option<String>,
}

fn gender_code(g: Gender) -> &'static str {
    match g {
        Gender::Male => "male",
        Gender::Female => "female",
    }
}

/// Mask a decrypted resident ID (it was valid when stored; the fallback masks whatever it is).
fn mask_resident_id(plain: &str) -> String {
    match ResidentId::parse(plain) {
        Ok(r) => r.masked(),
        Err(_) => {
            let n = plain.chars().count();
            plain.chars().enumerate().map(|(i, c)| if i < 4 || i + 4 >= n { c } else { '*' }).collect()
        }
    }
}

fn mask_phone(plain: &str) -> String {
    match Phone::parse(plain) {
        Ok(p) => p.masked(),
        Err(_) => "****".into(),
    }
}

/// The masked view of a stored row (decrypts to mask; a wrong key is an error).
pub fn view(keys: &Keys, m: &person::Model) -> AppResult<PersonView> {
    let rid = keys.decrypt(&m.resident_id_enc)?;
    let phone = match &m.phone_enc {
        Some(enc) => Some(mask_phone(&keys.decrypt(enc)?)),
        None => None,
    };
    Ok(PersonView {
        id: m.id.clone(),
        organization_id: m.organization_id.clone(),
        household_id: m.household_id.clone(),
        name: m.name.clone(),
        gender: m.gender.clone(),
        birth_date: m.birth_date,
        resident_id_masked: mask_resident_id(&rid),
        phone_masked: phone,
        address: m.address.clone(),
        area_code: m.area_code.clone(),
        categories: serde_json::from_str(&m.categories_json).unwrap_or_default(),
        care_level: m.care_level.clone(),
        consent_on: m.consent_on,
        created_ms: m.created_ms,
        updated_ms: m.updated_ms,
    })
}

/// The checked input: the parsed identifiers (absent when kept on update).
struct Checked {
    resident_id: Option<ResidentId>,
    phone: Option<Option<Phone>>,
}

impl PersonInput {
    /// Check every field; all problems are returned together. `creating`: the resident ID is required.
    fn validate(&self, creating: bool) -> AppResult<Checked> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            errors.push(FieldError::new("name", "姓名：不能为空，且不超过100字"));
        }
        let resident_id = if self.resident_id.trim().is_empty() {
            if creating {
                errors.push(FieldError::new("resident_id", "公民身份号码：不能为空"));
            }
            None
        } else {
            match ResidentId::parse(&self.resident_id) {
                Ok(r) => Some(r),
                Err(e) => {
                    errors.push(FieldError::new("resident_id", e.to_string()));
                    None
                }
            }
        };
        let phone = match self.phone.as_deref().map(str::trim) {
            None => None,
            Some("") => Some(None),
            Some(p) => match Phone::parse(p) {
                Ok(p) => Some(Some(p)),
                Err(e) => {
                    errors.push(FieldError::new("phone", e.to_string()));
                    None
                }
            },
        };
        match self.area_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => errors.push(FieldError::new("area_code", "所在区域：请填写区划代码（街道9位或社区12位）")),
            Some(code) if AreaLevel::from_code(code).is_none() => {
                errors.push(FieldError::new("area_code", "所在区域：区划代码应为2、4、6、9或12位数字"))
            }
            Some(_) => {}
        }
        if let Some(bad) = self.categories.iter().find(|c| !is_category(c)) {
            errors.push(FieldError::new("categories", format!("人员类别：“{bad}”不在类别列表中")));
        }
        if !self.care_level.is_empty() && !is_care_level(&self.care_level) {
            errors.push(FieldError::new("care_level", "护理等级：请从列表中选择"));
        }
        if self.address.trim().chars().count() > 300 {
            errors.push(FieldError::new("address", "居住地址：不超过300字"));
        }
        if errors.is_empty() { Ok(Checked { resident_id, phone }) } else { Err(AppError::Validation(errors)) }
    }

    fn apply(&self, a: &mut person::ActiveModel) {
        let mut categories: Vec<&str> = self.categories.iter().map(String::as_str).collect();
        categories.sort_unstable();
        categories.dedup();
        a.name = Set(self.name.trim().to_string());
        a.address = Set(self.address.trim().to_string());
        a.area_code = Set(self.area_code.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string));
        a.categories_json = Set(serde_json::to_string(&categories).unwrap_or_else(|_| "[]".into()));
        a.care_level = Set(self.care_level.clone());
        a.consent_on = Set(self.consent_on);
        a.household_id = Set(self.household_id.clone().filter(|h| !h.is_empty()));
    }
}

/// Refuse a resident ID that is already registered (other than `except`), saying whether the
/// existing record is one the actor can open — and nothing else about it.
async fn refuse_duplicate<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    hash: &str,
    except: Option<&str>,
) -> AppResult<()> {
    let Some(dup) =
        person::Entity::find().filter(person::Column::ResidentIdHash.eq(hash)).one(db).await.map_err(db_err)?
    else {
        return Ok(());
    };
    if Some(dup.id.as_str()) == except {
        return Ok(());
    }
    let visible = person::Entity::find_by_id(dup.id.as_str()).filter(scope(actor)).one(db).await.map_err(db_err)?;
    let message = if visible.is_some() { DUPLICATE_IN_SCOPE } else { DUPLICATE_ELSEWHERE };
    Err(AppError::field("resident_id", message))
}

/// The id of the person with this resident ID, when the actor may open it (exact lookup by the
/// keyed hash; `None` for an invalid ID, an unknown one or one outside the scope).
pub async fn find_by_resident_id<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    resident_id: &str,
) -> AppResult<Option<String>> {
    let Ok(rid) = ResidentId::parse(resident_id) else {
        return Ok(None);
    };
    let found = person::Entity::find()
        .filter(person::Column::ResidentIdHash.eq(keys.hash(rid.as_str())))
        .filter(scope(actor))
        .one(db)
        .await
        .map_err(db_err)?;
    Ok(found.map(|p| p.id))
}

async fn check_household<C: ConnectionTrait>(db: &C, org_id: &str, household_id: Option<&str>) -> AppResult<()> {
    let Some(h) = household_id.filter(|h| !h.is_empty()) else {
        return Ok(());
    };
    let found = household::Entity::find_by_id(h)
        .filter(household::Column::OrganizationId.eq(org_id))
        .one(db)
        .await
        .map_err(db_err)?;
    if found.is_none() {
        return Err(AppError::field("household_id", "所属家庭：未找到该家庭档案"));
    }
    Ok(())
}

/// A unique-index violation on insert or update means a concurrent registration of the same ID.
fn write_err(e: sea_orm::DbErr) -> AppError {
    if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) {
        return AppError::field("resident_id", DUPLICATE_ELSEWHERE);
    }
    db_err(e)
}

/// Register a person for the actor's organization. Birth date and gender are read from the ID.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    input: &PersonInput,
    now_ms: i64,
) -> AppResult<PersonView> {
    actor.require(&[Role::OrgAdmin, Role::OrgStaff, Role::FieldWorker])?;
    let org_id = actor.organization_id.clone().ok_or(AppError::Forbidden)?;
    let checked = input.validate(true)?;
    let rid = checked.resident_id.ok_or_else(|| AppError::field("resident_id", "公民身份号码：不能为空"))?;
    let hash = keys.hash(rid.as_str());
    refuse_duplicate(db, actor, &hash, None).await?;
    check_household(db, &org_id, input.household_id.as_deref()).await?;
    let mut a = person::ActiveModel {
        id: Set(new_id()),
        organization_id: Set(org_id),
        gender: Set(gender_code(rid.gender()).to_string()),
        birth_date: Set(rid.birth_date()),
        resident_id_enc: Set(keys.encrypt(rid.as_str())),
        resident_id_hash: Set(hash),
        phone_enc: Set(checked.phone.flatten().map(|p| keys.encrypt(p.as_str()))),
        created_ms: Set(now_ms),
        updated_ms: Set(now_ms),
        ..Default::default()
    };
    input.apply(&mut a);
    let m = a.insert(db).await.map_err(write_err)?;
    let v = view(keys, &m)?;
    Event::new(actor, now_ms, "person.create", "person", &m.id).after(&v).write(db).await?;
    Ok(v)
}

/// Whether the actor may change this person's file.
pub fn may_edit(actor: &Actor, m: &person::Model) -> bool {
    match actor.role {
        Role::SysAdmin => true,
        Role::OrgAdmin | Role::OrgStaff | Role::FieldWorker => {
            actor.organization_id.as_deref() == Some(m.organization_id.as_str())
        }
        _ => false,
    }
}

/// Whether the actor may see the full resident ID and phone: the registering organization's
/// administrators and project staff, and system administrators.
pub fn may_reveal(actor: &Actor, m: &person::Model) -> bool {
    match actor.role {
        Role::SysAdmin => true,
        Role::OrgAdmin | Role::OrgStaff => actor.organization_id.as_deref() == Some(m.organization_id.as_str()),
        _ => false,
    }
}

/// The stored row, or NotFound when it is outside the actor's scope.
pub async fn find<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<person::Model> {
    person::Entity::find_by_id(id)
        .filter(scope(actor))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("服务对象".into()))
}

/// One person, masked.
pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, keys: &Keys, id: &str) -> AppResult<PersonView> {
    view(keys, &find(db, actor, id).await?)
}

/// The full resident ID and phone. Written to the audit log as "person.reveal" (masked values
/// only); refused unless `may_reveal`.
pub async fn reveal<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    id: &str,
    now_ms: i64,
) -> AppResult<Revealed> {
    let m = find(db, actor, id).await?;
    if !may_reveal(actor, &m) {
        return Err(AppError::Forbidden);
    }
    let resident_id = keys.decrypt(&m.resident_id_enc)?;
    let phone = match &m.phone_enc {
        Some(enc) => Some(keys.decrypt(enc)?),
        None => None,
    };
    let shown = serde_json::json!({
        "fields": ["resident_id", "phone"],
        "resident_id": mask_resident_id(&resident_id),
        "phone": phone.as_deref().map(mask_phone),
    });
    Event::new(actor, now_ms, "person.reveal", "person", id).after(&shown).write(db).await?;
    Ok(Revealed { resident_id, phone })
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    id: &str,
    input: &PersonInput,
    now_ms: i64,
) -> AppResult<PersonView> {
    let current = find(db, actor, id).await?;
    if !may_edit(actor, &current) {
        return Err(AppError::Forbidden);
    }
    let before = view(keys, &current)?;
    let checked = input.validate(false)?;
    check_household(db, &current.organization_id, input.household_id.as_deref()).await?;
    let mut a = current.clone().into_active_model();
    if let Some(rid) = checked.resident_id {
        let hash = keys.hash(rid.as_str());
        if hash != current.resident_id_hash {
            refuse_duplicate(db, actor, &hash, Some(id)).await?;
            a.gender = Set(gender_code(rid.gender()).to_string());
            a.birth_date = Set(rid.birth_date());
            a.resident_id_enc = Set(keys.encrypt(rid.as_str()));
            a.resident_id_hash = Set(hash);
        }
    }
    if let Some(phone) = checked.phone {
        a.phone_enc = Set(phone.map(|p| keys.encrypt(p.as_str())));
    }
    input.apply(&mut a);
    a.updated_ms = Set(now_ms);
    let m = a.update(db).await.map_err(write_err)?;
    let after = view(keys, &m)?;
    Event::new(actor, now_ms, "person.update", "person", id).before(&before).after(&after).write(db).await?;
    Ok(after)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonFilter {
    /// A name (contains) or a full resident ID (exact, through the keyed hash).
    pub q: Option<String>,
    /// An area code prefix.
    pub area_code: Option<String>,
    pub category: Option<String>,
    pub care_level: Option<String>,
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    filter: &PersonFilter,
    page: &PageRequest,
) -> AppResult<Page<PersonView>> {
    let mut q = person::Entity::find().filter(scope(actor));
    if let Some(text) = filter.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        q = match ResidentId::parse(text) {
            Ok(rid) => q.filter(person::Column::ResidentIdHash.eq(keys.hash(rid.as_str()))),
            Err(_) => q.filter(person::Column::Name.contains(text)),
        };
    }
    if let Some(a) = filter.area_code.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(person::Column::AreaCode.starts_with(a));
    }
    if let Some(c) = filter.category.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(person::Column::CategoriesJson.contains(format!("\"{c}\"")));
    }
    if let Some(c) = filter.care_level.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(person::Column::CareLevel.eq(c));
    }
    if let Some(after) = &page.after {
        q = q.filter(person::Column::Id.gt(after.as_str()));
    }
    let limit = page.limit();
    let rows = q.order_by_asc(person::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    let page = Page::from_rows(rows, limit, |p| p.id.clone());
    let items = page.items.iter().map(|m| view(keys, m)).collect::<AppResult<Vec<_>>>()?;
    Ok(Page { items, next_cursor: page.next_cursor })
}

/// Check at start-up that the configured key opens the stored data (one row is enough): a wrong
/// key stops the server with a clear message instead of failing on the first page.
pub async fn check_key<C: ConnectionTrait>(db: &C, keys: &Keys) -> AppResult<()> {
    let one = person::Entity::find().order_by_asc(person::Column::Id).one(db).await.map_err(db_err)?;
    if let Some(m) = one {
        keys.decrypt(&m.resident_id_enc).map_err(|e| AppError::Conflict(e.to_string()))?;
    }
    Ok(())
}
