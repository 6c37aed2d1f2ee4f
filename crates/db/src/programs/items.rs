//! Call items of a program: the catalog a funder publishes, with its all-or-nothing import.

use super::*;

pub(super) fn item_active(program_id: &str, item: &CallItem, position: i32, now_ms: i64) -> call_item::ActiveModel {
    call_item::ActiveModel {
        id: Set(new_id()),
        program_id: Set(program_id.to_string()),
        position: Set(position),
        created_ms: Set(now_ms),
        updated_ms: Set(now_ms),
        ..item_fields(item)
    }
}

fn item_fields(item: &CallItem) -> call_item::ActiveModel {
    call_item::ActiveModel {
        track_code: Set(item.track.clone()),
        code: Set(item.code.trim().to_string()),
        name: Set(item.name.trim().to_string()),
        category: Set(item.category.clone()),
        lot: Set(item.lot.map(|l| l as i32)),
        overview: Set(item.overview.clone()),
        beneficiaries: Set(item.beneficiaries.clone()),
        service_volume: Set(item.service_volume.clone()),
        objectives: Set(item.objectives.clone()),
        content: Set(item.content.clone()),
        outputs_json: Set(to_json(&item.outputs)),
        indicators_json: Set(to_json(&item.indicators)),
        funding_cap_fen: Set(item.funding_cap.map(|f| f.0)),
        slots: Set(item.slots.map(|s| s as i32)),
        places: Set(item.places.clone()),
        place_codes_json: Set(to_json(&item.place_codes)),
        period_start: Set(item.period_start),
        period_end: Set(item.period_end),
        period_note: Set(item.period_note.clone()),
        support_units_json: Set(to_json(&item.support_units)),
        co_funding_json: Set(to_json(&item.co_funding)),
        rules_json: Set(to_json(&item.rules)),
        notes: Set(item.notes.clone()),
        ..Default::default()
    }
}

/// A stored call item with its ids.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub id: String,
    pub program_id: String,
    #[serde(flatten)]
    pub item: CallItem,
}

fn j<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_str(s).ok()
}

pub fn item_view(m: call_item::Model) -> ItemView {
    ItemView {
        id: m.id.clone(),
        program_id: m.program_id.clone(),
        item: CallItem {
            code: m.code,
            track: m.track_code,
            name: m.name,
            category: m.category,
            lot: m.lot.map(|l| l as u32),
            overview: m.overview,
            beneficiaries: m.beneficiaries,
            service_volume: m.service_volume,
            objectives: m.objectives,
            content: m.content,
            outputs: j(&m.outputs_json).unwrap_or_default(),
            indicators: j(&m.indicators_json).unwrap_or_default(),
            funding_cap: m.funding_cap_fen.map(Fen),
            slots: m.slots.map(|s| s as u32),
            places: m.places,
            place_codes: j(&m.place_codes_json).unwrap_or_default(),
            period_start: m.period_start,
            period_end: m.period_end,
            period_note: m.period_note,
            support_units: j(&m.support_units_json).unwrap_or_default(),
            co_funding: j(&m.co_funding_json).unwrap_or_default(),
            rules: j(&m.rules_json).unwrap_or_default(),
            notes: m.notes,
        },
    }
}

/// Every item of a program in catalog order (one query).
pub async fn items<C: ConnectionTrait>(db: &C, actor: Option<&Actor>, program_id: &str) -> AppResult<Vec<ItemView>> {
    let p = get_model(db, actor, program_id).await?;
    let rows = call_item::Entity::find()
        .filter(call_item::Column::ProgramId.eq(p.id.as_str()))
        .order_by_asc(call_item::Column::Position)
        .order_by_asc(call_item::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().map(item_view).collect())
}

/// Items of a program, a page at a time (API).
pub async fn items_page<C: ConnectionTrait>(
    db: &C,
    actor: Option<&Actor>,
    program_id: &str,
    page: &PageRequest,
) -> AppResult<Page<ItemView>> {
    let p = get_model(db, actor, program_id).await?;
    let mut q = call_item::Entity::find().filter(call_item::Column::ProgramId.eq(p.id.as_str()));
    if let Some(after) = &page.after {
        q = q.filter(call_item::Column::Id.gt(after.as_str()));
    }
    let limit = page.limit();
    let rows = q.order_by_asc(call_item::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    Ok(Page::from_rows(rows, limit, |r| r.id.clone()).map(item_view))
}

pub async fn item<C: ConnectionTrait>(db: &C, actor: Option<&Actor>, item_id: &str) -> AppResult<ItemView> {
    let m = call_item::Entity::find_by_id(item_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("项目清单条目".into()))?;
    // the item is visible exactly when its program is
    get_model(db, actor, &m.program_id).await.map_err(|_| AppError::NotFound("项目清单条目".into()))?;
    Ok(item_view(m))
}

/// Check an item against its program: every problem, each naming its field.
pub fn validate_item(item: &CallItem, tracks: &[Track]) -> Vec<FieldError> {
    let mut e = Vec::new();
    let code = item.code.trim();
    if code.is_empty() || code.chars().count() > 32 {
        e.push(FieldError::new("code", "项目编号：不能为空，且不超过32个字符"));
    }
    if item.name.trim().is_empty() {
        e.push(FieldError::new("name", "项目名称：不能为空"));
    }
    if !tracks.iter().any(|t| t.code == item.track) {
        let names: Vec<&str> = tracks.iter().map(|t| t.code.as_str()).collect();
        e.push(FieldError::new("track", format!("所属板块：应为 {} 之一", names.join("、"))));
    }
    if item.funding_cap.is_some_and(|f| f.0 <= 0) {
        e.push(FieldError::new("funding_cap", "资金上限：应大于0"));
    }
    if let (Some(s), Some(end)) = (item.period_start, item.period_end)
        && end < s
    {
        e.push(FieldError::new("period_end", "项目周期：结束日期不能早于开始日期"));
    }
    for (i, o) in item.outputs.iter().enumerate() {
        if o.description.trim().is_empty() {
            e.push(FieldError::new(
                format!("outputs.{i}.description"),
                format!("基本产出第{}项：请填写产出描述", i + 1),
            ));
        }
    }
    e
}

async fn ensure_unique_item_code<C: ConnectionTrait>(
    db: &C,
    program_id: &str,
    code: &str,
    id: Option<&str>,
) -> AppResult<()> {
    let dup = call_item::Entity::find()
        .filter(call_item::Column::ProgramId.eq(program_id))
        .filter(call_item::Column::Code.eq(code.trim()))
        .one(db)
        .await
        .map_err(db_err)?;
    if dup.is_some_and(|d| Some(d.id.as_str()) != id) {
        return Err(AppError::field("code", format!("项目编号：本计划中已有编号为 {} 的条目", code.trim())));
    }
    Ok(())
}

async fn managed_program<C: ConnectionTrait>(db: &C, actor: &Actor, program_id: &str) -> AppResult<ProgramDetail> {
    let m = get_model(db, Some(actor), program_id).await?;
    if !may_manage(actor, &m) {
        return Err(AppError::Forbidden);
    }
    get(db, Some(actor), &m.id).await
}

pub async fn create_item<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    program_id: &str,
    item: &CallItem,
    now_ms: i64,
) -> AppResult<String> {
    let p = managed_program(db, actor, program_id).await?;
    let errors = validate_item(item, &p.tracks);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    ensure_unique_item_code(db, &p.id, &item.code, None).await?;
    let position =
        call_item::Entity::find().filter(call_item::Column::ProgramId.eq(p.id.as_str())).count_rows(db).await?;
    let a = item_active(&p.id, item, position, now_ms);
    let id = a.id.clone().unwrap();
    a.insert(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "call_item.create", "call_item", &id).after(item).write(db).await?;
    Ok(id)
}

pub async fn update_item<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    item_id: &str,
    item: &CallItem,
    now_ms: i64,
) -> AppResult<()> {
    let before = self::item(db, Some(actor), item_id).await?;
    let p = managed_program(db, actor, &before.program_id).await?;
    let errors = validate_item(item, &p.tracks);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    ensure_unique_item_code(db, &p.id, &item.code, Some(item_id)).await?;
    let mut a = item_fields(item);
    a.id = Set(item_id.to_string());
    a.updated_ms = Set(now_ms);
    a.update(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "call_item.update", "call_item", item_id).before(&before.item).after(item).write(db).await
}

pub async fn delete_item<C: ConnectionTrait>(db: &C, actor: &Actor, item_id: &str, now_ms: i64) -> AppResult<()> {
    let before = self::item(db, Some(actor), item_id).await?;
    managed_program(db, actor, &before.program_id).await?;
    call_item::Entity::delete_by_id(item_id).exec(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "call_item.delete", "call_item", item_id).before(&before.item).write(db).await
}

/// Import a catalog: every row is checked first; any error imports nothing. Items whose code
/// exists are updated, others added. Returns (added, updated). Run inside a transaction.
pub async fn import_items<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    program_id: &str,
    rows: &[(usize, CallItem)],
    now_ms: i64,
) -> AppResult<(usize, usize)> {
    let p = managed_program(db, actor, program_id).await?;
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (row, item) in rows {
        for e in validate_item(item, &p.tracks) {
            errors.push(FieldError::new(format!("row{row}.{}", e.field), format!("第{row}行 {}", e.message)));
        }
        if !seen.insert(item.code.trim().to_string()) {
            errors.push(FieldError::new(
                format!("row{row}.code"),
                format!("第{row}行 项目编号：与前面的行重复（{}）", item.code.trim()),
            ));
        }
    }
    if rows.is_empty() {
        errors.push(FieldError::new("file", "文件：没有找到任何数据行"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let existing = items(db, Some(actor), &p.id).await?;
    let mut position = existing.len() as i32;
    let (mut added, mut updated) = (0, 0);
    for (_, item) in rows {
        if let Some(old) = existing.iter().find(|e| e.item.code == item.code.trim()) {
            let mut a = item_fields(item);
            a.id = Set(old.id.clone());
            a.updated_ms = Set(now_ms);
            a.update(db).await.map_err(db_err)?;
            updated += 1;
        } else {
            item_active(&p.id, item, position, now_ms).insert(db).await.map_err(db_err)?;
            position += 1;
            added += 1;
        }
    }
    Event::new(actor, now_ms, "call_item.import", "program", &p.id)
        .after(&serde_json::json!({"added": added, "updated": updated}))
        .write(db)
        .await?;
    Ok((added, updated))
}

/// Counting rows without loading them.
trait CountRows {
    async fn count_rows<C: ConnectionTrait>(self, db: &C) -> AppResult<i32>;
}

impl CountRows for sea_orm::Select<call_item::Entity> {
    async fn count_rows<C: ConnectionTrait>(self, db: &C) -> AppResult<i32> {
        use sea_orm::PaginatorTrait;
        Ok(self.count(db).await.map_err(db_err)? as i32)
    }
}
