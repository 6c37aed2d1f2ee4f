//! Import of persons and households from rows read out of the Excel template. Every bad row is
//! reported with its number and a Chinese reason; nothing is written until every row is valid,
//! and then everything is written in one transaction (persons, households, heads, audit).
//! A resident ID already registered is reported — with the existing file's id when the actor
//! may open it (to link it to a project instead of re-creating), and nothing about it otherwise.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use domain::beneficiary::{CARE_LEVELS, CATEGORIES};
use domain::ids::ResidentId;
use domain::role::Role;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};
use serde::Serialize;

use super::{PersonInput, create, scope};
use crate::crypto::Keys;
use crate::entity::person;
use crate::households::{self, HouseholdInput};
use crate::{Actor, AppError, AppResult, db_err};

/// One data row of the template, as typed (cells as text). `row` is the sheet row number.
#[derive(Clone, Default)]
pub struct ImportRow {
    pub row: usize,
    pub name: String,
    pub resident_id: String,
    /// Optional; when given it must match the ID.
    pub birth_date: String,
    pub phone: String,
    pub address: String,
    pub area_code: String,
    /// Names or codes separated by 、 , ，or ;
    pub categories: String,
    /// A care-level name or code.
    pub care_level: String,
    pub consent_on: String,
    /// 户编号: rows with the same key form one household (empty: no household).
    pub household: String,
    /// 是否户主: 是 / 否
    pub head: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    /// "第3行 公民身份号码：校验码错误…"
    pub message: String,
    /// The already registered person the actor may open (to link instead of re-creating).
    pub existing_person_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub rows: usize,
    pub persons: usize,
    pub households: usize,
    /// Empty when imported; otherwise nothing was written.
    pub problems: Vec<RowProblem>,
}

/// A category name or code → code.
pub fn category_code(s: &str) -> Option<&'static str> {
    let s = s.trim();
    CATEGORIES.iter().find(|(c, n)| *c == s || *n == s).map(|(c, _)| *c)
}

/// A care-level name or code → code.
pub fn care_level_code(s: &str) -> Option<&'static str> {
    let s = s.trim();
    CARE_LEVELS.iter().find(|(c, n)| *c == s || *n == s).map(|(c, _)| *c)
}

fn parse_date(v: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&v.trim().replace(['/', '.'], "-"), "%Y-%m-%d").ok()
}

/// Check one row; push its problems; the input when it is valid.
fn check_row(r: &ImportRow, problems: &mut Vec<RowProblem>) -> Option<(PersonInput, ResidentId)> {
    let before = problems.len();
    let mut say = |m: String| {
        problems.push(RowProblem { row: r.row, message: format!("第{}行 {m}", r.row), existing_person_id: None })
    };
    let rid = match ResidentId::parse(&r.resident_id) {
        Ok(rid) => Some(rid),
        Err(e) => {
            say(e.to_string());
            None
        }
    };
    if let (Some(rid), false) = (&rid, r.birth_date.trim().is_empty()) {
        match parse_date(&r.birth_date) {
            Some(d) if d != rid.birth_date() => {
                say(format!("出生日期：与公民身份号码中的出生日期（{}）不一致", rid.birth_date()))
            }
            Some(_) => {}
            None => say(format!("出生日期：格式应为 1950-03-07，实际为“{}”", r.birth_date.trim())),
        }
    }
    let mut categories = Vec::new();
    for c in r.categories.split(['、', ',', '，', ';', '；', '\n']).map(str::trim).filter(|c| !c.is_empty()) {
        match category_code(c) {
            Some(code) => categories.push(code.to_string()),
            None => say(format!("人员类别：“{c}”不在类别列表中")),
        }
    }
    let care_level = match r.care_level.trim() {
        "" => String::new(),
        c => match care_level_code(c) {
            Some(code) => code.to_string(),
            None => {
                say(format!("护理等级：“{c}”不在列表中"));
                String::new()
            }
        },
    };
    let consent_on = match r.consent_on.trim() {
        "" => None,
        v => {
            let d = parse_date(v);
            if d.is_none() {
                say(format!("知情同意日期：格式应为 2026-01-31，实际为“{v}”"));
            }
            d
        }
    };
    if !matches!(r.head.trim(), "" | "是" | "否") {
        say(format!("是否户主：应填“是”或“否”，实际为“{}”", r.head.trim()));
    }
    let input = PersonInput {
        name: r.name.clone(),
        resident_id: r.resident_id.trim().to_string(),
        phone: Some(r.phone.trim().to_string()),
        address: r.address.clone(),
        area_code: Some(r.area_code.trim().to_string()),
        categories,
        care_level,
        consent_on,
        household_id: None,
    };
    // the remaining field checks of the registration form (name, phone, area, address)
    if let Err(AppError::Validation(errs)) = input.validate(true) {
        for e in errs.into_iter().filter(|e| e.field != "resident_id") {
            say(e.message);
        }
    }
    if problems.len() == before { rid.map(|rid| (input, rid)) } else { None }
}

/// Check every row, then (only when all are valid) write everything in one transaction.
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    keys: &Keys,
    rows: &[ImportRow],
    now_ms: i64,
) -> AppResult<ImportReport> {
    actor.require(&[Role::OrgAdmin, Role::OrgStaff])?;
    let mut problems = Vec::new();
    let mut valid: Vec<(&ImportRow, PersonInput)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in rows {
        let Some((input, rid)) = check_row(r, &mut problems) else { continue };
        if let Some(first) = seen.get(rid.as_str()) {
            problems.push(RowProblem {
                row: r.row,
                message: format!("第{}行 公民身份号码：与第{first}行重复，同一人只能出现一次", r.row),
                existing_person_id: None,
            });
            continue;
        }
        seen.insert(rid.as_str().to_string(), r.row);
        let hash = keys.hash(rid.as_str());
        let dup =
            person::Entity::find().filter(person::Column::ResidentIdHash.eq(hash)).one(db).await.map_err(db_err)?;
        if let Some(dup) = dup {
            let visible =
                person::Entity::find_by_id(dup.id.as_str()).filter(scope(actor)).one(db).await.map_err(db_err)?;
            let (message, existing_person_id) = match visible {
                Some(p) => ("公民身份号码：该服务对象已登记，请勿重复导入；可打开已有档案并将其关联到项目", Some(p.id)),
                None => ("公民身份号码：该服务对象已由其他机构登记，请勿重复导入；可申请将其关联到您的项目", None),
            };
            problems.push(RowProblem { row: r.row, message: format!("第{}行 {message}", r.row), existing_person_id });
            continue;
        }
        valid.push((r, input));
    }
    // at most one head per household
    let mut heads: BTreeMap<&str, usize> = BTreeMap::new();
    for (r, _) in &valid {
        let key = r.household.trim();
        if !key.is_empty() && r.head.trim() == "是" {
            if let Some(first) = heads.get(key) {
                problems.push(RowProblem {
                    row: r.row,
                    message: format!(
                        "第{}行 是否户主：户编号“{key}”已在第{first}行指定户主，每户只能有一位户主",
                        r.row
                    ),
                    existing_person_id: None,
                });
            } else {
                heads.insert(key, r.row);
            }
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.row);
        return Ok(ImportReport { rows: rows.len(), persons: 0, households: 0, problems });
    }

    let txn = db.begin().await.map_err(db_err)?;
    let mut households: BTreeMap<String, String> = BTreeMap::new();
    let mut persons = 0;
    for (r, input) in &valid {
        let mut input = input.clone();
        let key = r.household.trim();
        if !key.is_empty() {
            let hid = match households.get(key) {
                Some(id) => id.clone(),
                None => {
                    let h = HouseholdInput { area_code: input.area_code.clone(), address: input.address.clone() };
                    let m = households::create(&txn, actor, &h, now_ms).await.map_err(|e| at_row(r.row, e))?;
                    households.insert(key.to_string(), m.id.clone());
                    m.id
                }
            };
            input.household_id = Some(hid);
        }
        let p = create(&txn, actor, keys, &input, now_ms).await.map_err(|e| at_row(r.row, e))?;
        persons += 1;
        if r.head.trim() == "是"
            && let Some(hid) = households.get(key)
        {
            households::set_head(&txn, actor, hid, &p.id, now_ms).await.map_err(|e| at_row(r.row, e))?;
        }
    }
    txn.commit().await.map_err(db_err)?;
    Ok(ImportReport { rows: rows.len(), persons, households: households.len(), problems: Vec::new() })
}

/// A late failure (e.g. a concurrent registration) names the row; the transaction is dropped.
fn at_row(row: usize, e: AppError) -> AppError {
    match e {
        AppError::Validation(errs) => AppError::Validation(
            errs.into_iter()
                .map(|f| crate::FieldError::new(format!("row{row}.{}", f.field), format!("第{row}行 {}", f.message)))
                .collect(),
        ),
        other => other,
    }
}
