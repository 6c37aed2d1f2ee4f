//! The area tree (province → city → county → street → community) with statistical codes.
//! The whole country to street level and the communities of the seed counties ship inside the
//! binary; the demo loads the seed counties, `gongyi areas load` the whole country.

use domain::area::AreaLevel;
use domain::role::Role;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Deserialize;

use crate::audit::Event;
use crate::entity::area;
use crate::{Actor, AppError, AppResult, FieldError, Page, PageRequest, db_err};

const DIVISIONS_CSV: &str = include_str!("../data/cn_divisions_2023.csv");
const VILLAGES_CSV: &str = include_str!("../data/cn_villages_selected_2023.csv");

/// Counties the five seed documents name.
pub const SEED_COUNTIES: [&str; 7] = ["330122", "330111", "330102", "110111", "320613", "640381", "620102"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaRow {
    pub code: String,
    pub parent_code: Option<String>,
    pub name: String,
    pub level: AreaLevel,
}

fn parse_csv(text: &str) -> Vec<AreaRow> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    rdr.records()
        .filter_map(Result::ok)
        .filter_map(|r| {
            let code = r.get(0)?.to_string();
            let parent = r.get(1).filter(|p| !p.is_empty()).map(str::to_string);
            let level = AreaLevel::parse(r.get(3)?)?;
            Some(AreaRow { code, parent_code: parent, name: r.get(2)?.to_string(), level })
        })
        .collect()
}

/// Every shipped row: the country to street level plus the seed counties' communities.
pub fn shipped_rows() -> Vec<AreaRow> {
    let mut rows = parse_csv(DIVISIONS_CSV);
    rows.extend(parse_csv(VILLAGES_CSV));
    rows
}

/// The rows of the seed counties with their ancestors (province, city), streets and communities.
pub fn seed_county_rows() -> Vec<AreaRow> {
    shipped_rows()
        .into_iter()
        .filter(|r| {
            SEED_COUNTIES.iter().any(|c| r.code.starts_with(c) || c.starts_with(r.code.as_str()))
                // Hangzhou itself, which the Hangzhou program covers
                || r.code == "3301"
        })
        .collect()
}

/// Insert rows not yet present, in batches, calling `progress(done, total)` after each batch.
/// Existing codes are left as they are (an admin may have renamed them).
pub async fn load<C: ConnectionTrait>(
    db: &C,
    rows: &[AreaRow],
    mut progress: impl FnMut(usize, usize),
) -> AppResult<usize> {
    let existing: std::collections::HashSet<String> = area::Entity::find()
        .select_only()
        .column(area::Column::Code)
        .into_tuple::<String>()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .collect();
    let fresh: Vec<&AreaRow> = rows.iter().filter(|r| !existing.contains(&r.code)).collect();
    let total = fresh.len();
    for (i, chunk) in fresh.chunks(500).enumerate() {
        let models = chunk.iter().map(|r| area::ActiveModel {
            code: Set(r.code.clone()),
            parent_code: Set(r.parent_code.clone()),
            name: Set(r.name.clone()),
            level: Set(r.level.as_str().to_string()),
        });
        area::Entity::insert_many(models).exec_without_returning(db).await.map_err(db_err)?;
        progress(((i + 1) * 500).min(total), total);
    }
    Ok(total)
}

/// Children of an area (or the provinces when `parent` is None), by code, a page at a time.
pub async fn children<C: ConnectionTrait>(
    db: &C,
    parent: Option<&str>,
    page: &PageRequest,
) -> AppResult<Page<area::Model>> {
    let mut q = area::Entity::find();
    q = match parent {
        Some(p) => q.filter(area::Column::ParentCode.eq(p)),
        None => q.filter(area::Column::ParentCode.is_null()),
    };
    if let Some(after) = &page.after {
        q = q.filter(area::Column::Code.gt(after.as_str()));
    }
    let limit = page.limit();
    let rows = q.order_by_asc(area::Column::Code).limit(limit + 1).all(db).await.map_err(db_err)?;
    Ok(Page::from_rows(rows, limit, |a| a.code.clone()))
}

pub async fn get<C: ConnectionTrait>(db: &C, code: &str) -> AppResult<area::Model> {
    area::Entity::find_by_id(code).one(db).await.map_err(db_err)?.ok_or_else(|| AppError::NotFound("区划".into()))
}

/// The chain from the province down to `code` (for breadcrumbs and full names).
pub async fn path<C: ConnectionTrait>(db: &C, code: &str) -> AppResult<Vec<area::Model>> {
    let mut codes = Vec::new();
    let mut c = code;
    loop {
        codes.push(c.to_string());
        match domain::area::parent_code(c) {
            Some(p) => c = p,
            None => break,
        }
    }
    let mut rows = area::Entity::find().filter(area::Column::Code.is_in(codes)).all(db).await.map_err(db_err)?;
    rows.sort_by_key(|a| a.code.len());
    Ok(rows)
}

/// "江苏省 南通市 崇川区" for a code (names of every level that exists).
pub async fn full_name<C: ConnectionTrait>(db: &C, code: &str) -> AppResult<String> {
    Ok(path(db, code).await?.into_iter().filter(|a| a.name != "市辖区").map(|a| a.name).collect::<Vec<_>>().join(" "))
}

/// Names for many codes in one query.
pub async fn names<C: ConnectionTrait>(
    db: &C,
    codes: &[String],
) -> AppResult<std::collections::HashMap<String, String>> {
    if codes.is_empty() {
        return Ok(Default::default());
    }
    let rows = area::Entity::find()
        .filter(area::Column::Code.is_in(codes.iter().map(String::as_str)))
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().map(|a| (a.code, a.name)).collect())
}

#[derive(Debug, Clone, Deserialize)]
pub struct AreaInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub parent_code: Option<String>,
}

/// Add an area (e.g. a new community) under an existing parent. Administrators only.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: &AreaInput,
    now_ms: i64,
) -> AppResult<area::Model> {
    actor.require(&[Role::FunderAdmin])?;
    let mut e = Vec::new();
    let code = input.code.trim();
    let level = AreaLevel::from_code(code);
    if level.is_none() {
        e.push(FieldError::new("code", "区划代码：应为2、4、6、9或12位数字"));
    }
    if input.name.trim().is_empty() {
        e.push(FieldError::new("name", "名称：不能为空"));
    }
    let parent = domain::area::parent_code(code).map(str::to_string);
    if let Some(p) = &parent
        && area::Entity::find_by_id(p.as_str()).one(db).await.map_err(db_err)?.is_none()
    {
        e.push(FieldError::new("code", format!("区划代码：上级区划 {p} 不存在")));
    }
    if level.is_some() && !actor.covers_area(Some(code)) {
        e.push(FieldError::new("code", "区划代码：超出您的管辖范围"));
    }
    if area::Entity::find_by_id(code).one(db).await.map_err(db_err)?.is_some() {
        e.push(FieldError::new("code", "区划代码：已存在"));
    }
    let Some(level) = level.filter(|_| e.is_empty()) else {
        return Err(AppError::Validation(e));
    };
    let m = area::ActiveModel {
        code: Set(code.to_string()),
        parent_code: Set(parent),
        name: Set(input.name.trim().to_string()),
        level: Set(level.as_str().to_string()),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Event::new(actor, now_ms, "area.create", "area", code).after(&input.name).write(db).await?;
    Ok(m)
}

/// Rename an area.
pub async fn rename<C: ConnectionTrait>(db: &C, actor: &Actor, code: &str, name: &str, now_ms: i64) -> AppResult<()> {
    actor.require(&[Role::FunderAdmin])?;
    if !actor.covers_area(Some(code)) {
        return Err(AppError::Forbidden);
    }
    if name.trim().is_empty() {
        return Err(AppError::field("name", "名称：不能为空"));
    }
    let m = get(db, code).await?;
    let before = m.name.clone();
    let mut a = m.into_active_model();
    a.name = Set(name.trim().to_string());
    a.update(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "area.rename", "area", code).before(&before).after(&name).write(db).await
}
