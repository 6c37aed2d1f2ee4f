//! Funder pages for programs: list (drafts included, scoped), create, edit, rules as data,
//! publish / close.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::programs::{ProgramFilter, ProgramInput};
use db::{AppError, PageRequest};
use domain::program::{ProgramStatus, TrackKind};
use domain::role::Role;
use domain::rules::ProgramRules;
use serde::Deserialize;

use super::home::{ProgramCard, cards};
use super::public::{ProgramData, program_data};
use super::{render, see_other, unprocessable_if};
use crate::auth::{CsrfForm, Viewer};
use crate::error::{PageResult, status_of};
use crate::forms::{FormErrors, opt_int, opt_wan, wan};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/programs", get(list))
        .route("/admin/programs/new", get(new_form).post(create))
        .route("/admin/programs/{id}", get(show))
        .route("/admin/programs/{id}/edit", get(edit_form).post(update))
        .route("/admin/programs/{id}/status", post(set_status))
        .route("/admin/programs/{id}/rules", get(rules_form).post(save_rules))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    after: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/programs.html")]
struct ListPage {
    ctx: Ctx,
    programs: Vec<ProgramCard>,
    status: String,
    q: String,
    next: Option<String>,
    can_create: bool,
}

async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let filter = ProgramFilter { status: q.status.clone(), q: q.q.clone(), year: None };
    let page =
        db::programs::list(&state.db, Some(&actor), &filter, &PageRequest { after: q.after, limit: Some(50) }).await?;
    let programs = cards(&state, viewer.tr, &page.items).await?;
    let ctx = Ctx::new(&viewer, "programs", viewer.tr.get("programs.title")).crumb("", viewer.tr.get("programs.title"));
    let can_create = actor.role.manages_programs();
    Ok(render(&ListPage {
        ctx,
        programs,
        status: q.status.unwrap_or_default(),
        q: q.q.unwrap_or_default(),
        next: page.next_cursor,
        can_create,
    }))
}

#[derive(Template)]
#[template(path = "admin/program.html")]
struct ShowPage {
    ctx: Ctx,
    p: ProgramData,
    item_base: String,
    can_manage: bool,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<super::ListQuery>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let (detail, p) = program_data(&state, viewer.tr, Some(&actor), &id).await?;
    let can_manage = db::programs::can_manage(&state.db, &actor, &detail.id).await?;
    let ctx = Ctx::new(&viewer, "programs", p.name.clone())
        .crumb("/admin/programs", viewer.tr.get("programs.title"))
        .crumb("", p.name.clone())
        .flash_from(q.ok.as_deref());
    Ok(render(&ShowPage { ctx, p, item_base: "/admin/items/".into(), can_manage }))
}

/// The program form's fields as typed.
#[derive(Deserialize, Default, Clone)]
struct ProgramForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    area_code: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    budget_wan: String,
    #[serde(default)]
    source: String,
    /// Track kinds ticked on the form (repeated field).
    #[serde(skip)]
    tracks: Vec<String>,
}

impl ProgramForm {
    fn with_tracks(mut self, pairs: &[(String, String)]) -> Self {
        self.tracks = crate::forms::all(pairs, "tracks").into_iter().map(str::to_string).collect();
        self
    }
}

/// A track kind as a checkbox.
pub struct TrackChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
    /// Present already (cannot be removed here).
    pub fixed: bool,
}

fn track_choices(f: &ProgramForm, existing: &[String]) -> Vec<TrackChoice> {
    TrackKind::ALL
        .into_iter()
        .map(|k| TrackChoice {
            value: k.as_str(),
            label: k.default_name(),
            checked: f.tracks.iter().any(|t| t == k.as_str()) || existing.iter().any(|t| t == k.as_str()),
            fixed: existing.iter().any(|t| t == k.as_str()),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/program_form.html")]
struct FormPage {
    ctx: Ctx,
    f: ProgramForm,
    errors: FormErrors,
    action: String,
    tracks: Vec<TrackChoice>,
}

fn form_page(
    viewer: &Viewer,
    title: &str,
    f: ProgramForm,
    errors: FormErrors,
    action: String,
    existing: &[String],
) -> Response {
    let ctx =
        Ctx::new(viewer, "programs", title).crumb("/admin/programs", viewer.tr.get("programs.title")).crumb("", title);
    let failed = !errors.is_empty();
    let tracks = track_choices(&f, existing);
    unprocessable_if(failed, render(&FormPage { ctx, f, errors, action, tracks }))
}

async fn new_form(viewer: Viewer) -> PageResult<Response> {
    let actor = viewer.require()?;
    actor.require(&[Role::FunderAdmin])?;
    let f = ProgramForm {
        area_code: actor.area_code.clone().unwrap_or_default(),
        year: "2026".into(),
        ..Default::default()
    };
    Ok(form_page(&viewer, viewer.tr.get("programs.new"), f, FormErrors::default(), "/admin/programs/new".into(), &[]))
}

fn parse(f: &ProgramForm) -> Result<ProgramInput, AppError> {
    let mut errors = Vec::new();
    let year = opt_int(&f.year, "year", "年度", &mut errors).unwrap_or(0) as i32;
    let budget = opt_wan(&f.budget_wan, "budget", "资金总额", &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(ProgramInput {
        code: f.code.clone(),
        name: f.name.clone(),
        year,
        area_code: f.area_code.trim().to_string(),
        description: f.description.clone(),
        budget,
        source: f.source.clone(),
        funder_id: None,
        tracks: f.tracks.iter().filter_map(|t| TrackKind::parse(t)).collect(),
    })
}

async fn create(State(state): State<AppState>, viewer: Viewer, form: CsrfForm<ProgramForm>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let f = form.data.with_tracks(&form.pairs);
    let result = match parse(&f) {
        Ok(input) => db::programs::create(&state.db, &actor, &input, state.now_ms()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/admin/programs/{id}?ok=created"))),
        Err(e @ AppError::Validation(_)) => Ok(form_page(
            &viewer,
            viewer.tr.get("programs.new"),
            f,
            FormErrors::from_app(&e),
            "/admin/programs/new".into(),
            &[],
        )),
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let p = db::programs::get(&state.db, Some(&actor), &id).await?;
    if !db::programs::can_manage(&state.db, &actor, &p.id).await? {
        return Err(AppError::Forbidden.into());
    }
    let f = ProgramForm {
        code: p.code.clone(),
        name: p.name.clone(),
        year: p.year.to_string(),
        area_code: p.area_code.clone(),
        description: p.description.clone(),
        budget_wan: wan(p.budget),
        source: p.source.clone(),
        tracks: Vec::new(),
    };
    let existing: Vec<String> = p.tracks.iter().map(|t| t.code.clone()).collect();
    Ok(form_page(
        &viewer,
        viewer.tr.get("programs.edit"),
        f,
        FormErrors::default(),
        format!("/admin/programs/{}/edit", p.id),
        &existing,
    ))
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<ProgramForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let f = form.data.with_tracks(&form.pairs);
    let existing: Vec<String> =
        db::programs::get(&state.db, Some(&actor), &id).await?.tracks.into_iter().map(|t| t.code).collect();
    let result = match parse(&f) {
        Ok(input) => db::programs::update(&state.db, &actor, &id, &input, state.now_ms()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/admin/programs/{id}?ok=saved"))),
        Err(e @ AppError::Validation(_)) => Ok(form_page(
            &viewer,
            viewer.tr.get("programs.edit"),
            f,
            FormErrors::from_app(&e),
            format!("/admin/programs/{id}/edit"),
            &existing,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct StatusForm {
    status: String,
}

async fn set_status(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<StatusForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let status =
        ProgramStatus::parse(&form.data.status).ok_or_else(|| AppError::field("status", "状态：不是可选值"))?;
    db::programs::set_status(&state.db, &actor, &id, status, state.now_ms()).await?;
    let flash = match status {
        ProgramStatus::Published => "published",
        ProgramStatus::Closed => "closed",
        ProgramStatus::Draft => "unpublished",
    };
    Ok(see_other(&format!("/admin/programs/{id}?ok={flash}")))
}

#[derive(Template)]
#[template(path = "admin/program_rules.html")]
struct RulesPage {
    ctx: Ctx,
    program_id: String,
    program_name: String,
    text: String,
    errors: FormErrors,
}

async fn rules_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let p = db::programs::get(&state.db, Some(&actor), &id).await?;
    if !db::programs::can_manage(&state.db, &actor, &p.id).await? {
        return Err(AppError::Forbidden.into());
    }
    let text = toml::to_string_pretty(&p.rules).unwrap_or_default();
    Ok(rules_page(&viewer, &p.id, &p.name, text, FormErrors::default()))
}

fn rules_page(viewer: &Viewer, id: &str, name: &str, text: String, errors: FormErrors) -> Response {
    let ctx = Ctx::new(viewer, "programs", viewer.tr.get("programs.rules"))
        .crumb("/admin/programs", viewer.tr.get("programs.title"))
        .crumb(format!("/admin/programs/{id}"), name)
        .crumb("", viewer.tr.get("programs.rules"));
    let failed = !errors.is_empty();
    unprocessable_if(failed, render(&RulesPage { ctx, program_id: id.into(), program_name: name.into(), text, errors }))
}

#[derive(Deserialize)]
struct RulesForm {
    rules: String,
}

async fn save_rules(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<RulesForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let p = db::programs::get(&state.db, Some(&actor), &id).await?;
    let text = form.data.rules;
    let result = match toml::from_str::<ProgramRules>(&text) {
        Ok(rules) => db::programs::set_rules(&state.db, &actor, &p.id, &rules, state.now_ms()).await,
        Err(e) => Err(AppError::field("rules", format!("规则：格式不正确（{}）", e.message()))),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/admin/programs/{}?ok=saved", p.id))),
        Err(e @ AppError::Validation(_)) => Ok(rules_page(&viewer, &p.id, &p.name, text, FormErrors::from_app(&e))),
        Err(e) => {
            let status = status_of(&e);
            tracing::debug!(%status, "rules save failed");
            Err(e.into())
        }
    }
}
