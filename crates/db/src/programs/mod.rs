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

/// The rules of a program, track or item as stored (JSON of `ProgramRules`); unreadable = none.
pub fn parse_rules(json: &str) -> ProgramRules {
    serde_json::from_str(json).unwrap_or_default()
}

/// The visit-check thresholds in force for the projects of a program (defaults without one).
pub async fn visit_checks<C: ConnectionTrait>(
    db: &C,
    program_id: Option<&str>,
) -> AppResult<domain::delivery::AnomalyRules> {
    let Some(id) = program_id else { return Ok(Default::default()) };
    let row = program::Entity::find_by_id(id).one(db).await.map_err(db_err)?;
    Ok(row.and_then(|p| parse_rules(&p.rules_json).visit_checks).unwrap_or_default())
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

mod items;
pub use items::*;
