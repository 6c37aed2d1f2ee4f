//! Programs, tracks, phases and call items. Published and closed programs are public; drafts
//! are seen only by the funder and the managers whose area covers the program.

use chrono::NaiveDateTime;
use domain::clock::shanghai_to_utc;
use domain::money::Fen;
use domain::program::{CallItem, Phase, ProgramSpec, ProgramStatus, Track, TrackKind};
use domain::role::Role;
use domain::rules::ProgramRules;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use crate::audit::Event;
use crate::entity::{call_item, phase, program, track};
use crate::{Actor, AppError, AppResult, FieldError, Page, PageRequest, Scope, db_err, new_id};

fn public_statuses() -> Condition {
    Condition::any().add(program::Column::Status.eq("published")).add(program::Column::Status.eq("closed"))
}

/// Programs an actor (or the public, `None`) may read.
fn visible(actor: Option<&Actor>) -> Condition {
    let Some(actor) = actor else {
        return public_statuses();
    };
    let by_role = match actor.scope() {
        Scope::All => Condition::all(),
        Scope::Area { code, organization_id } => {
            let mut c = public_statuses().add(program::Column::AreaCode.starts_with(code.as_str()));
            if let Some(org) = organization_id {
                c = c.add(program::Column::FunderId.eq(org.as_str())).add(program::Column::OperatorId.eq(org));
            }
            c
        }
        Scope::Organization(org) => {
            public_statuses().add(program::Column::FunderId.eq(org.as_str())).add(program::Column::OperatorId.eq(org))
        }
        Scope::Public => public_statuses(),
    };
    // a program-scoped user also sees that program's drafts
    match &actor.program_id {
        Some(p) => Condition::any().add(by_role).add(program::Column::Id.eq(p.as_str())),
        None => by_role,
    }
}

/// Whether the actor may change this program and its items.
pub fn may_manage(actor: &Actor, p: &program::Model) -> bool {
    match actor.role {
        Role::SysAdmin => true,
        Role::FunderAdmin => {
            actor.organization_id.as_deref() == Some(p.funder_id.as_str()) || actor.covers_area(Some(&p.area_code))
        }
        _ => false,
    }
}

fn parse_rules(json: &str) -> ProgramRules {
    serde_json::from_str(json).unwrap_or_default()
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// A program with its tracks and phases, for pages and the API.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramDetail {
    pub id: String,
    pub code: String,
    pub name: String,
    pub funder_id: String,
    pub operator_id: Option<String>,
    pub year: i32,
    pub area_code: String,
    pub description: String,
    pub status: ProgramStatus,
    pub budget: Option<Fen>,
    pub source: String,
    pub rules: ProgramRules,
    pub tracks: Vec<Track>,
    pub phases: Vec<PhaseView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseView {
    pub name: String,
    pub starts_on: Option<chrono::NaiveDate>,
    pub ends_on: Option<chrono::NaiveDate>,
    /// Local Asia/Shanghai deadline.
    pub deadline: Option<NaiveDateTime>,
    pub note: String,
}

/// A row of a program list.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramSummary {
    pub id: String,
    pub code: String,
    pub name: String,
    pub year: i32,
    pub area_code: String,
    pub status: ProgramStatus,
    pub budget: Option<Fen>,
    pub funder_id: String,
}

impl From<&program::Model> for ProgramSummary {
    fn from(p: &program::Model) -> Self {
        ProgramSummary {
            id: p.id.clone(),
            code: p.code.clone(),
            name: p.name.clone(),
            year: p.year,
            area_code: p.area_code.clone(),
            status: ProgramStatus::parse(&p.status).unwrap_or_default(),
            budget: p.budget_fen.map(Fen),
            funder_id: p.funder_id.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProgramFilter {
    pub status: Option<String>,
    pub year: Option<i32>,
    pub q: Option<String>,
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: Option<&Actor>,
    filter: &ProgramFilter,
    page: &PageRequest,
) -> AppResult<Page<ProgramSummary>> {
    let mut q = program::Entity::find().filter(visible(actor));
    if let Some(s) = filter.status.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(program::Column::Status.eq(s));
    }
    if let Some(y) = filter.year {
        q = q.filter(program::Column::Year.eq(y));
    }
    if let Some(text) = filter.q.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(program::Column::Name.contains(text));
    }
    if let Some(after) = &page.after {
        q = q.filter(program::Column::Id.gt(after.as_str()));
    }
    let limit = page.limit();
    let rows = q.order_by_asc(program::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    Ok(Page::from_rows(rows, limit, |p| p.id.clone()).map(|p| ProgramSummary::from(&p)))
}

async fn get_model<C: ConnectionTrait>(db: &C, actor: Option<&Actor>, id: &str) -> AppResult<program::Model> {
    program::Entity::find()
        .filter(Condition::any().add(program::Column::Id.eq(id)).add(program::Column::Code.eq(id)))
        .filter(visible(actor))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("计划".into()))
}

/// A program by id or code, with tracks and phases.
pub async fn get<C: ConnectionTrait>(db: &C, actor: Option<&Actor>, id_or_code: &str) -> AppResult<ProgramDetail> {
    let p = get_model(db, actor, id_or_code).await?;
    let tracks = track::Entity::find()
        .filter(track::Column::ProgramId.eq(p.id.as_str()))
        .order_by_asc(track::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let phases = phase::Entity::find()
        .filter(phase::Column::ProgramId.eq(p.id.as_str()))
        .order_by_asc(phase::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(ProgramDetail {
        id: p.id.clone(),
        code: p.code.clone(),
        name: p.name.clone(),
        funder_id: p.funder_id.clone(),
        operator_id: p.operator_id.clone(),
        year: p.year,
        area_code: p.area_code.clone(),
        description: p.description.clone(),
        status: ProgramStatus::parse(&p.status).unwrap_or_default(),
        budget: p.budget_fen.map(Fen),
        source: p.source.clone(),
        rules: parse_rules(&p.rules_json),
        tracks: tracks
            .into_iter()
            .map(|t| Track {
                code: t.code,
                kind: TrackKind::parse(&t.kind).unwrap_or(TrackKind::Directed),
                name: t.name,
                description: t.description,
                budget: t.budget_fen.map(Fen),
                rules: parse_rules(&t.rules_json),
            })
            .collect(),
        phases: phases
            .into_iter()
            .map(|ph| PhaseView {
                name: ph.name,
                starts_on: ph.starts_on,
                ends_on: ph.ends_on,
                deadline: ph
                    .deadline_ms
                    .and_then(chrono::DateTime::from_timestamp_millis)
                    .map(|d| (d + chrono::Duration::hours(8)).naive_utc()),
                note: ph.note,
            })
            .collect(),
    })
}

/// Program fields a funder edits on the form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ProgramInput {
    pub code: String,
    pub name: String,
    pub year: i32,
    pub area_code: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub budget: Option<Fen>,
    #[serde(default)]
    pub source: String,
    /// Funder organization; defaults to the actor's organization.
    #[serde(default)]
    pub funder_id: Option<String>,
    /// Tracks to have (added when missing; a track is never removed here). None: a new
    /// program gets one directed track.
    #[serde(default)]
    pub tracks: Vec<TrackKind>,
}

impl ProgramInput {
    fn validate(&self, actor: &Actor) -> AppResult<()> {
        let mut e = Vec::new();
        let code = self.code.trim();
        if code.is_empty()
            || code.len() > 64
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            e.push(FieldError::new("code", "计划代码：1–64位字母、数字或连字符"));
        }
        if self.name.trim().is_empty() {
            e.push(FieldError::new("name", "计划名称：不能为空"));
        }
        if !(2000..=2100).contains(&self.year) {
            e.push(FieldError::new("year", "年度：请填写四位年份"));
        }
        if domain::area::AreaLevel::from_code(&self.area_code).is_none() {
            e.push(FieldError::new("area_code", "实施区域：请选择区划"));
        } else if !actor.is_admin() && !actor.covers_area(Some(&self.area_code)) {
            e.push(FieldError::new("area_code", "实施区域：超出您的管辖范围"));
        }
        if self.budget.is_some_and(|b| b.0 < 0) {
            e.push(FieldError::new("budget", "资金总额：不能为负数"));
        }
        if e.is_empty() { Ok(()) } else { Err(AppError::Validation(e)) }
    }
}

async fn ensure_unique_code<C: ConnectionTrait>(db: &C, code: &str, id: Option<&str>) -> AppResult<()> {
    let dup = program::Entity::find().filter(program::Column::Code.eq(code)).one(db).await.map_err(db_err)?;
    if dup.is_some_and(|d| Some(d.id.as_str()) != id) {
        return Err(AppError::field("code", "计划代码：已被其他计划使用"));
    }
    Ok(())
}

pub async fn create<C: ConnectionTrait>(db: &C, actor: &Actor, input: &ProgramInput, now_ms: i64) -> AppResult<String> {
    actor.require(&[Role::FunderAdmin])?;
    input.validate(actor)?;
    ensure_unique_code(db, input.code.trim(), None).await?;
    let funder_id = input
        .funder_id
        .clone()
        .filter(|f| !f.is_empty())
        .or_else(|| actor.organization_id.clone())
        .ok_or_else(|| AppError::field("funder_id", "主办单位：请选择主办单位"))?;
    let m = program::ActiveModel {
        id: Set(new_id()),
        code: Set(input.code.trim().to_string()),
        name: Set(input.name.trim().to_string()),
        funder_id: Set(funder_id),
        operator_id: Set(None),
        year: Set(input.year),
        area_code: Set(input.area_code.clone()),
        description: Set(input.description.trim().to_string()),
        status: Set(ProgramStatus::Draft.as_str().into()),
        budget_fen: Set(input.budget.map(|b| b.0)),
        source: Set(input.source.trim().to_string()),
        rules_json: Set(to_json(&ProgramRules::default())),
        created_ms: Set(now_ms),
        updated_ms: Set(now_ms),
        published_ms: Set(None),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    let kinds = if input.tracks.is_empty() { vec![TrackKind::Directed] } else { input.tracks.clone() };
    add_tracks(db, &m.id, &kinds).await?;
    Event::new(actor, now_ms, "program.create", "program", &m.id).after(input).write(db).await?;
    Ok(m.id)
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    input: &ProgramInput,
    now_ms: i64,
) -> AppResult<()> {
    let current = get_model(db, Some(actor), id).await?;
    if !may_manage(actor, &current) {
        return Err(AppError::Forbidden);
    }
    input.validate(actor)?;
    ensure_unique_code(db, input.code.trim(), Some(&current.id)).await?;
    let before = ProgramSummary::from(&current);
    let mut a = current.into_active_model();
    a.code = Set(input.code.trim().to_string());
    a.name = Set(input.name.trim().to_string());
    a.year = Set(input.year);
    a.area_code = Set(input.area_code.clone());
    a.description = Set(input.description.trim().to_string());
    a.budget_fen = Set(input.budget.map(|b| b.0));
    a.source = Set(input.source.trim().to_string());
    a.updated_ms = Set(now_ms);
    let m = a.update(db).await.map_err(db_err)?;
    add_tracks(db, &m.id, &input.tracks).await?;
    Event::new(actor, now_ms, "program.update", "program", &m.id).before(&before).after(input).write(db).await
}

/// Give a program a track of each kind it lacks, named as documents name them.
async fn add_tracks<C: ConnectionTrait>(db: &C, program_id: &str, kinds: &[TrackKind]) -> AppResult<()> {
    let existing =
        track::Entity::find().filter(track::Column::ProgramId.eq(program_id)).all(db).await.map_err(db_err)?;
    let mut position = existing.len() as i32;
    for kind in kinds {
        if existing.iter().any(|t| t.code == kind.as_str()) {
            continue;
        }
        track::ActiveModel {
            id: Set(new_id()),
            program_id: Set(program_id.to_string()),
            code: Set(kind.as_str().to_string()),
            kind: Set(kind.as_str().to_string()),
            name: Set(kind.default_name().to_string()),
            description: Set(String::new()),
            budget_fen: Set(None),
            rules_json: Set(to_json(&ProgramRules::default())),
            position: Set(position),
        }
        .insert(db)
        .await
        .map_err(db_err)?;
        position += 1;
    }
    Ok(())
}

/// Replace the rules of a program (stored as data for the rules engine).
pub async fn set_rules<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    rules: &ProgramRules,
    now_ms: i64,
) -> AppResult<()> {
    let current = get_model(db, Some(actor), id).await?;
    if !may_manage(actor, &current) {
        return Err(AppError::Forbidden);
    }
    if !rules.tranches.is_empty() && rules.tranche_total() != 100 {
        return Err(AppError::field(
            "tranches",
            format!("拨付比例：各期比例之和应为100%，当前为{}%", rules.tranche_total()),
        ));
    }
    if rules.budget.personnel_max_percent.is_some_and(|p| p > 100) {
        return Err(AppError::field("personnel_max_percent", "人员经费比例上限：不能超过100%"));
    }
    let before = parse_rules(&current.rules_json);
    let pid = current.id.clone();
    let mut a = current.into_active_model();
    a.rules_json = Set(to_json(rules));
    a.updated_ms = Set(now_ms);
    a.update(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "program.rules", "program", &pid).before(&before).after(rules).write(db).await
}

/// Publish, close or return a program to draft.
pub async fn set_status<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    status: ProgramStatus,
    now_ms: i64,
) -> AppResult<()> {
    let current = get_model(db, Some(actor), id).await?;
    if !may_manage(actor, &current) {
        return Err(AppError::Forbidden);
    }
    let before = current.status.clone();
    let pid = current.id.clone();
    let first_publish = current.published_ms.is_none();
    let mut a = current.into_active_model();
    a.status = Set(status.as_str().to_string());
    if status == ProgramStatus::Published && first_publish {
        a.published_ms = Set(Some(now_ms));
    }
    a.updated_ms = Set(now_ms);
    a.update(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "program.status", "program", &pid).before(&before).after(&status).write(db).await
}

/// Whether the actor may manage the program (for showing edit buttons).
pub async fn can_manage<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<bool> {
    Ok(may_manage(actor, &get_model(db, Some(actor), id).await?))
}

/// Store a whole program spec (demo data, imports of a full program). Run inside a transaction.
pub async fn insert_spec<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    spec: &ProgramSpec,
    funder_id: &str,
    operator_id: Option<String>,
    now_ms: i64,
) -> AppResult<String> {
    let pid = new_id();
    program::ActiveModel {
        id: Set(pid.clone()),
        code: Set(spec.code.clone()),
        name: Set(spec.name.clone()),
        funder_id: Set(funder_id.to_string()),
        operator_id: Set(operator_id),
        year: Set(spec.year),
        area_code: Set(spec.area_code.clone()),
        description: Set(spec.description.clone()),
        status: Set(spec.status.as_str().into()),
        budget_fen: Set(spec.budget.map(|b| b.0)),
        source: Set(spec.source.clone()),
        rules_json: Set(to_json(&spec.rules)),
        created_ms: Set(now_ms),
        updated_ms: Set(now_ms),
        published_ms: Set((spec.status != ProgramStatus::Draft).then_some(now_ms)),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    for (i, t) in spec.tracks.iter().enumerate() {
        track::ActiveModel {
            id: Set(new_id()),
            program_id: Set(pid.clone()),
            code: Set(t.code.clone()),
            kind: Set(t.kind.as_str().into()),
            name: Set(t.name.clone()),
            description: Set(t.description.clone()),
            budget_fen: Set(t.budget.map(|b| b.0)),
            rules_json: Set(to_json(&t.rules)),
            position: Set(i as i32),
        }
        .insert(db)
        .await
        .map_err(db_err)?;
    }
    for (i, ph) in spec.phases.iter().enumerate() {
        insert_phase(db, &pid, ph, i as i32).await?;
    }
    let items: Vec<call_item::ActiveModel> =
        spec.items.iter().enumerate().map(|(i, item)| item_active(&pid, item, i as i32, now_ms)).collect();
    if !items.is_empty() {
        call_item::Entity::insert_many(items).exec_without_returning(db).await.map_err(db_err)?;
    }
    Event::new(actor, now_ms, "program.import", "program", &pid).after(&spec.code).write(db).await?;
    Ok(pid)
}

async fn insert_phase<C: ConnectionTrait>(db: &C, pid: &str, ph: &Phase, position: i32) -> AppResult<()> {
    phase::ActiveModel {
        id: Set(new_id()),
        program_id: Set(pid.to_string()),
        name: Set(ph.name.clone()),
        starts_on: Set(ph.starts_on),
        ends_on: Set(ph.ends_on),
        deadline_ms: Set(ph.deadline.map(|d| shanghai_to_utc(d).timestamp_millis())),
        note: Set(ph.note.clone()),
        position: Set(position),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

// ---- call items ---------------------------------------------------------------------------

fn item_active(program_id: &str, item: &CallItem, position: i32, now_ms: i64) -> call_item::ActiveModel {
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
