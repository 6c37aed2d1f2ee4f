//! The area tree: browse the children of an area (provinces at the top) with the path as a
//! breadcrumb; add a child area and rename areas within the actor's scope.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::areas::{self, AreaInput};
use db::{Actor, AppError, PageRequest};
use domain::area::AreaLevel;
use domain::role::Role;
use serde::Deserialize;

use super::{next_href, unprocessable};
use super::{render, see_other};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, opt};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/areas", get(browse).post(create)).route("/admin/areas/{code}/rename", post(rename))
}

pub fn level_key(level: &str) -> &'static str {
    match level {
        "province" => "area.levels.province",
        "city" => "area.levels.city",
        "county" => "area.levels.county",
        "street" => "area.levels.street",
        "community" => "area.levels.community",
        _ => "area.levels.other",
    }
}

/// The page of `parent`'s children, with a notice key when `ok` is not empty.
fn area_url(parent: Option<&str>, ok: &str) -> String {
    let pairs: Vec<(&str, &str)> =
        [("parent", parent.unwrap_or("")), ("ok", ok)].into_iter().filter(|(_, v)| !v.is_empty()).collect();
    if pairs.is_empty() {
        "/admin/areas".to_string()
    } else {
        format!("/admin/areas?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
    }
}

/// Areas are kept by system administrators and funders.
fn manager(viewer: &Viewer) -> PageResult<Actor> {
    let actor = viewer.require()?;
    actor.require(&[Role::FunderAdmin])?;
    Ok(actor)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BrowseQuery {
    parent: String,
    after: Option<String>,
    ok: Option<String>,
}

struct AreaRow {
    code: String,
    name: String,
    level: &'static str,
    has_children: bool,
    can_rename: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AddForm {
    code: String,
    name: String,
}

#[derive(Template)]
#[template(path = "admin/areas.html")]
struct AreasPage {
    ctx: Ctx,
    parent: String,
    parent_name: String,
    rows: Vec<AreaRow>,
    next: Option<String>,
    /// The actor's own area, as a shortcut.
    home: String,
    can_add: bool,
    add: AddForm,
    errors: FormErrors,
    rename_errors: FormErrors,
}

/// What a page of the tree needs besides the parent: the add form after an error, errors of a
/// rename, the cursor and the notice.
#[derive(Default)]
struct PageState {
    after: Option<String>,
    add: Option<(AddForm, FormErrors)>,
    rename_errors: FormErrors,
    ok: Option<String>,
}

async fn area_page(
    state: &AppState,
    viewer: &Viewer,
    actor: &Actor,
    parent: Option<&str>,
    ps: PageState,
) -> PageResult<Response> {
    let t = viewer.tr;
    let mut ctx = Ctx::new(viewer, "areas", t.get("area.title"));
    let mut parent_name = String::new();
    let mut parent_level = None;
    if let Some(code) = parent {
        let here = areas::get(&state.db, code).await?;
        parent_level = AreaLevel::parse(&here.level);
        parent_name = here.name;
        ctx = ctx.crumb("/admin/areas", t.get("area.country"));
        for a in areas::path(&state.db, code).await? {
            let href = if a.code == code { String::new() } else { area_url(Some(&a.code), "") };
            ctx = ctx.crumb(href, a.name);
        }
    }
    let page = areas::children(&state.db, parent, &PageRequest { after: ps.after, limit: Some(100) }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|a| AreaRow {
            level: t.get(level_key(&a.level)),
            has_children: AreaLevel::parse(&a.level).is_some_and(|l| l != AreaLevel::Community),
            can_rename: actor.covers_area(Some(&a.code)),
            code: a.code,
            name: a.name,
        })
        .collect();
    let next = next_href("/admin/areas", &[("parent", parent.unwrap_or(""))], page.next_cursor);
    // a refused addition is shown with its errors even where the actor may not add
    let refused = ps.add.is_some();
    let (add, errors) = ps.add.unwrap_or_else(|| {
        (AddForm { code: parent.unwrap_or("").to_string(), name: String::new() }, FormErrors::default())
    });
    Ok(render(&AreasPage {
        ctx: ctx.flash_from(ps.ok.as_deref()),
        parent: parent.unwrap_or("").to_string(),
        parent_name,
        rows,
        next,
        home: actor.area_code.clone().unwrap_or_default(),
        can_add: refused || (actor.covers_area(parent) && parent_level != Some(AreaLevel::Community)),
        add,
        errors,
        rename_errors: ps.rename_errors,
    }))
}

async fn browse(State(state): State<AppState>, viewer: Viewer, Query(q): Query<BrowseQuery>) -> PageResult<Response> {
    let actor = manager(&viewer)?;
    let parent = opt(&q.parent);
    let ps = PageState { after: q.after, ok: q.ok, ..Default::default() };
    area_page(&state, &viewer, &actor, parent.as_deref(), ps).await
}

async fn create(State(state): State<AppState>, viewer: Viewer, form: CsrfForm<AddForm>) -> PageResult<Response> {
    let actor = manager(&viewer)?;
    let f = form.data;
    let input = AreaInput { code: f.code.trim().to_string(), name: f.name.clone(), parent_code: None };
    let parent = domain::area::parent_code(input.code.as_str()).map(str::to_string);
    match areas::create(&state.db, &actor, &input, state.now_ms()).await {
        Ok(_) => Ok(see_other(&area_url(parent.as_deref(), "created"))),
        Err(e @ AppError::Validation(_)) => {
            // stay on the parent's page when it exists, else on the top level
            let parent = match parent {
                Some(p) if areas::get(&state.db, &p).await.is_ok() => Some(p),
                _ => None,
            };
            let ps = PageState { add: Some((f, FormErrors::from_app(&e))), ..Default::default() };
            let res = area_page(&state, &viewer, &actor, parent.as_deref(), ps).await?;
            Ok(unprocessable(res))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RenameForm {
    name: String,
}

async fn rename(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    form: CsrfForm<RenameForm>,
) -> PageResult<Response> {
    let actor = manager(&viewer)?;
    let area = areas::get(&state.db, &code).await?;
    let parent = area.parent_code.as_deref();
    match areas::rename(&state.db, &actor, &code, &form.data.name, state.now_ms()).await {
        Ok(()) => Ok(see_other(&area_url(parent, "saved"))),
        Err(e @ AppError::Validation(_)) => {
            let ps = PageState { rename_errors: FormErrors::from_app(&e), ..Default::default() };
            let res = area_page(&state, &viewer, &actor, parent, ps).await?;
            Ok(unprocessable(res))
        }
        Err(e) => Err(e.into()),
    }
}
