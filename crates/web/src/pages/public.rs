//! The public portal (no login): calls open and closed, each program and call item, readable
//! on a 360-px phone in the documents' wording.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDateTime;
use db::programs::{ItemView, ProgramDetail, ProgramFilter};
use db::{Actor, PageRequest, areas, organizations};
use serde::Deserialize;

use super::home::{ProgramCard, cards, status_key};
use super::render;
use crate::auth::Viewer;
use crate::describe;
use crate::error::PageResult;
use crate::forms::wan;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/calls", get(calls))
        .route("/calls/{code}", get(program))
        .route("/calls/{code}/items/{id}", get(item))
}

#[derive(Deserialize, Default)]
struct CallsQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    after: Option<String>,
}

#[derive(Template)]
#[template(path = "public/calls.html")]
struct CallsPage {
    ctx: Ctx,
    programs: Vec<ProgramCard>,
    status: String,
    next: Option<String>,
}

async fn calls(State(state): State<AppState>, viewer: Viewer, Query(q): Query<CallsQuery>) -> PageResult<Response> {
    let status = q.status.filter(|s| s == "published" || s == "closed");
    let filter = ProgramFilter { status: status.clone(), ..Default::default() };
    // the portal shows what the public sees, whoever is logged in
    let page = db::programs::list(&state.db, None, &filter, &PageRequest { after: q.after, limit: Some(30) }).await?;
    let programs = cards(&state, viewer.tr, &page.items).await?;
    let ctx = Ctx::new(&viewer, "calls", viewer.tr.get("calls.title"));
    Ok(render(&CallsPage { ctx, programs, status: status.unwrap_or_default(), next: page.next_cursor }))
}

/// A phase row as shown.
pub struct PhaseRow {
    pub name: String,
    pub dates: String,
    pub deadline: String,
    pub note: String,
}

pub struct TrackBlock {
    pub name: String,
    pub description: String,
    pub budget_wan: String,
    pub rules: Vec<String>,
    pub items: Vec<ItemRow>,
}

pub struct ItemRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub category: String,
    pub cap_wan: String,
    pub slots: String,
    pub places: String,
}

/// Everything a program page shows, shared by the portal and the admin page.
pub struct ProgramData {
    /// Stable id (the admin page links with it).
    pub id: String,
    pub code: String,
    pub name: String,
    pub year: i32,
    pub funder: String,
    pub area: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub budget_wan: String,
    pub source: String,
    pub description: String,
    pub phases: Vec<PhaseRow>,
    pub rules: Vec<String>,
    pub tracks: Vec<TrackBlock>,
    pub item_count: usize,
}

fn deadline_text(d: Option<NaiveDateTime>) -> String {
    d.map(|d| d.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
}

pub async fn program_data(
    state: &AppState,
    t: Tr,
    actor: Option<&Actor>,
    code: &str,
) -> PageResult<(ProgramDetail, ProgramData)> {
    let p = db::programs::get(&state.db, actor, code).await?;
    let items = db::programs::items(&state.db, actor, &p.id).await?;
    let funder = organizations::names(&state.db, std::slice::from_ref(&p.funder_id))
        .await?
        .remove(&p.funder_id)
        .unwrap_or_default();
    let area = areas::full_name(&state.db, &p.area_code).await?;
    let phases = p
        .phases
        .iter()
        .map(|ph| PhaseRow {
            name: ph.name.clone(),
            dates: match (ph.starts_on, ph.ends_on) {
                (Some(a), Some(b)) if a == b => a.to_string(),
                (Some(a), Some(b)) => format!("{a} — {b}"),
                (Some(a), None) => a.to_string(),
                (None, Some(b)) => b.to_string(),
                (None, None) => String::new(),
            },
            deadline: deadline_text(ph.deadline),
            note: ph.note.clone(),
        })
        .collect();
    let row = |i: &ItemView| ItemRow {
        id: i.id.clone(),
        code: i.item.code.clone(),
        name: i.item.name.clone(),
        category: i.item.category.clone(),
        cap_wan: wan(i.item.funding_cap),
        slots: i.item.slots.map(|s| s.to_string()).unwrap_or_default(),
        places: i.item.places.clone(),
    };
    let mut tracks: Vec<TrackBlock> = p
        .tracks
        .iter()
        .map(|tr| TrackBlock {
            name: tr.name.clone(),
            description: tr.description.clone(),
            budget_wan: wan(tr.budget),
            rules: describe::rules(t, &tr.rules),
            items: items.iter().filter(|i| i.item.track == tr.code).map(row).collect(),
        })
        .collect();
    let orphans: Vec<ItemRow> =
        items.iter().filter(|i| !p.tracks.iter().any(|tr| tr.code == i.item.track)).map(row).collect();
    if !orphans.is_empty() {
        tracks.push(TrackBlock {
            name: t.get("program.other_items").into(),
            description: String::new(),
            budget_wan: String::new(),
            rules: vec![],
            items: orphans,
        });
    }
    let data = ProgramData {
        id: p.id.clone(),
        code: p.code.clone(),
        name: p.name.clone(),
        year: p.year,
        funder,
        area,
        status: p.status.as_str(),
        status_label: t.get(status_key(p.status)),
        budget_wan: wan(p.budget),
        source: p.source.clone(),
        description: p.description.clone(),
        phases,
        rules: describe::rules(t, &p.rules),
        tracks,
        item_count: items.len(),
    };
    Ok((p, data))
}

#[derive(Template)]
#[template(path = "public/program.html")]
struct ProgramPage {
    ctx: Ctx,
    p: ProgramData,
    item_base: String,
}

async fn program(State(state): State<AppState>, viewer: Viewer, Path(code): Path<String>) -> PageResult<Response> {
    let (_, p) = program_data(&state, viewer.tr, None, &code).await?;
    let ctx = Ctx::new(&viewer, "calls", p.name.clone())
        .crumb("/calls", viewer.tr.get("calls.title"))
        .crumb("", p.name.clone());
    let item_base = format!("/calls/{}/items/", p.code);
    Ok(render(&ProgramPage { ctx, p, item_base }))
}

pub struct OutputRow {
    pub description: String,
    pub measure: String,
}

/// Everything an item page shows.
pub struct ItemData {
    pub code: String,
    pub name: String,
    pub track: String,
    pub category: String,
    pub lot: String,
    pub overview: String,
    pub beneficiaries: String,
    pub service_volume: String,
    pub objectives: String,
    pub content: String,
    pub outputs: Vec<OutputRow>,
    pub indicators: Vec<String>,
    pub cap_wan: String,
    pub slots: String,
    pub places: String,
    pub period: String,
    pub support_units: String,
    pub co_funding: String,
    pub rules: Vec<String>,
    pub notes: String,
}

pub fn item_data(t: Tr, p: &ProgramDetail, i: &ItemView) -> ItemData {
    let it = &i.item;
    let period = match (it.period_start, it.period_end) {
        (Some(a), Some(b)) => format!("{a} — {b}"),
        _ => String::new(),
    };
    let period = [period, it.period_note.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("；");
    ItemData {
        code: it.code.clone(),
        name: it.name.clone(),
        track: p
            .tracks
            .iter()
            .find(|tr| tr.code == it.track)
            .map(|tr| tr.name.clone())
            .unwrap_or_else(|| it.track.clone()),
        category: it.category.clone(),
        lot: it.lot.map(|l| l.to_string()).unwrap_or_default(),
        overview: it.overview.clone(),
        beneficiaries: it.beneficiaries.clone(),
        service_volume: it.service_volume.clone(),
        objectives: it.objectives.clone(),
        content: it.content.clone(),
        outputs: it
            .outputs
            .iter()
            .map(|o| OutputRow { description: o.description.clone(), measure: describe::output_measure(t, o) })
            .collect(),
        indicators: it.indicators.clone(),
        cap_wan: wan(it.funding_cap),
        slots: it.slots.map(|s| s.to_string()).unwrap_or_default(),
        places: it.places.clone(),
        period,
        support_units: it.support_units.join("、"),
        co_funding: describe::rules(
            t,
            &domain::rules::ProgramRules { co_funding: it.co_funding.clone(), ..Default::default() },
        )
        .join(""),
        rules: describe::rules(t, &it.rules),
        notes: it.notes.clone(),
    }
}

#[derive(Template)]
#[template(path = "public/item.html")]
struct ItemPage {
    ctx: Ctx,
    i: ItemData,
}

async fn item(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((code, id)): Path<(String, String)>,
) -> PageResult<Response> {
    let p = db::programs::get(&state.db, None, &code).await?;
    let it = db::programs::item(&state.db, None, &id).await?;
    if it.program_id != p.id {
        return Err(db::AppError::NotFound("项目清单条目".into()).into());
    }
    let i = item_data(viewer.tr, &p, &it);
    let ctx = Ctx::new(&viewer, "calls", i.name.clone())
        .crumb("/calls", viewer.tr.get("calls.title"))
        .crumb(format!("/calls/{}", p.code), p.name.clone())
        .crumb("", i.code.clone());
    Ok(render(&ItemPage { ctx, i }))
}
