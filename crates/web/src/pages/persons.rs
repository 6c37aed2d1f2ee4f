//! Beneficiaries (服务对象, 一户一档): the list with filters and keyset paging, the registration
//! form and the detail page. Identifiers are masked everywhere; the detail page's "显示完整证件号"
//! button POSTs, and the data layer checks the role and writes the view to the audit log. The
//! page with the full values is never cached.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use db::persons::{self, PersonFilter, PersonInput, PersonView, Revealed};
use db::{AppError, FieldError, PageRequest, areas, organizations};
use domain::beneficiary::{CARE_LEVELS, CATEGORIES};
use domain::role::Role;
use serde::Deserialize;

use super::{Choice, next_href, unprocessable, zh};
use super::{render, see_other};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, all, opt, opt_date};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons", get(list))
        .route("/persons/new", get(new_form).post(create))
        .route("/persons/{id}", get(show))
        .route("/persons/{id}/edit", get(edit_form).post(update))
        .route("/persons/{id}/reveal", post(reveal))
}

/// Roles that register persons (for their own organization).
fn may_register(role: Role) -> bool {
    matches!(role, Role::OrgAdmin | Role::OrgStaff | Role::FieldWorker)
}

fn category_key(code: &str) -> String {
    format!("persons.category.{code}")
}

fn care_key(code: &str) -> String {
    format!("persons.care.{code}")
}

/// The catalog text of a dynamic key (category and care-level codes are data).
fn word(t: Tr, key: String) -> String {
    t.get(&key).to_string()
}

fn category_words(t: Tr, codes: &[String]) -> String {
    codes.iter().map(|c| word(t, category_key(c))).collect::<Vec<_>>().join("、")
}

fn care_word(t: Tr, code: &str) -> String {
    if code.is_empty() { String::new() } else { word(t, care_key(code)) }
}

fn gender_word(t: Tr, g: &str) -> &'static str {
    if g == "male" { t.get("persons.male") } else { t.get("persons.female") }
}

// ---- list ---------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
    area_code: String,
    category: String,
    care_level: String,
    after: Option<String>,
    ok: Option<String>,
}

struct Row {
    id: String,
    name: String,
    gender: &'static str,
    birth_date: String,
    resident_id: String,
    phone: String,
    area: String,
    categories: String,
    care_level: String,
}

#[derive(Template)]
#[template(path = "persons/list.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<Row>,
    q: String,
    area_code: String,
    categories: Vec<Choice>,
    care_levels: Vec<Choice>,
    can_create: bool,
    can_import: bool,
    next: Option<String>,
}

fn category_choices(t: Tr, current: &str) -> Vec<Choice> {
    let all = std::iter::once(("".to_string(), t.get("persons.all_categories").to_string()))
        .chain(CATEGORIES.iter().map(|(c, _)| (c.to_string(), word(t, category_key(c)))));
    Choice::list(all, current)
}

fn care_choices(t: Tr, current: &str, empty_key: &'static str) -> Vec<Choice> {
    let all = std::iter::once(("".to_string(), t.get(empty_key).to_string()))
        .chain(CARE_LEVELS.iter().map(|(c, _)| (c.to_string(), word(t, care_key(c)))));
    Choice::list(all, current)
}

async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let filter = PersonFilter {
        q: opt(&q.q),
        area_code: opt(&q.area_code),
        category: opt(&q.category),
        care_level: opt(&q.care_level),
    };
    let page = persons::list(
        &state.db,
        &actor,
        &state.keys,
        &filter,
        &PageRequest { after: q.after.clone(), limit: Some(50) },
    )
    .await?;
    let codes: Vec<String> = page.items.iter().filter_map(|p| p.area_code.clone()).collect();
    let names = areas::names(&state.db, &codes).await?;
    let rows = page
        .items
        .into_iter()
        .map(|p| Row {
            gender: gender_word(t, &p.gender),
            birth_date: p.birth_date.to_string(),
            resident_id: p.resident_id_masked,
            phone: p.phone_masked.unwrap_or_default(),
            area: p.area_code.map(|c| names.get(&c).cloned().unwrap_or(c)).unwrap_or_default(),
            categories: category_words(t, &p.categories),
            care_level: care_word(t, &p.care_level),
            id: p.id,
            name: p.name,
        })
        .collect();
    let next = next_href(
        "/persons",
        &[("q", &q.q), ("area_code", &q.area_code), ("category", &q.category), ("care_level", &q.care_level)],
        page.next_cursor,
    );
    let ctx = Ctx::new(&viewer, "persons", t.get("persons.title")).flash_from(q.ok.as_deref());
    Ok(render(&ListPage {
        ctx,
        rows,
        categories: category_choices(t, &q.category),
        care_levels: care_choices(t, &q.care_level, "persons.all_care_levels"),
        q: q.q,
        area_code: q.area_code,
        can_create: may_register(actor.role),
        can_import: matches!(actor.role, Role::OrgAdmin | Role::OrgStaff),
        next,
    }))
}

// ---- form ---------------------------------------------------------------------------------

/// What the form holds, as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PersonForm {
    name: String,
    resident_id: String,
    phone: String,
    address: String,
    area_code: String,
    care_level: String,
    consent_on: String,
    #[serde(skip)]
    categories: Vec<String>,
}

impl PersonForm {
    fn submitted(form: CsrfForm<PersonForm>) -> PersonForm {
        let mut f = form.data;
        f.categories = all(&form.pairs, "categories").into_iter().map(str::to_string).collect();
        f
    }

    fn of(p: &PersonView) -> PersonForm {
        PersonForm {
            name: p.name.clone(),
            address: p.address.clone(),
            area_code: p.area_code.clone().unwrap_or_default(),
            care_level: p.care_level.clone(),
            consent_on: p.consent_on.map(|d| d.to_string()).unwrap_or_default(),
            categories: p.categories.clone(),
            ..Default::default()
        }
    }

    /// `editing`: an empty resident ID or phone keeps the stored one (the form never shows them).
    fn input(&self, editing: bool) -> Result<PersonInput, AppError> {
        let mut e: Vec<FieldError> = Vec::new();
        let consent_on = opt_date(&self.consent_on, "consent_on", zh("persons.consent_on"), &mut e);
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(PersonInput {
            name: self.name.clone(),
            resident_id: self.resident_id.clone(),
            phone: if editing { opt(&self.phone) } else { Some(self.phone.clone()) },
            address: self.address.clone(),
            area_code: opt(&self.area_code),
            categories: self.categories.clone(),
            care_level: self.care_level.trim().to_string(),
            consent_on,
            household_id: None,
        })
    }
}

struct CategoryBox {
    value: &'static str,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "persons/form.html")]
struct FormPage {
    ctx: Ctx,
    /// Where the form posts.
    action: String,
    /// Editing an existing file: the identifiers are blank and kept unless retyped.
    editing: bool,
    f: PersonForm,
    errors: FormErrors,
    categories: Vec<CategoryBox>,
    care_levels: Vec<Choice>,
    /// The existing file in the actor's scope with the same resident ID (duplicate refused).
    existing: Option<String>,
}

/// `editing`: (id, name) of the person being edited.
fn form_page(
    viewer: &Viewer,
    editing: Option<(&str, &str)>,
    f: PersonForm,
    errors: FormErrors,
    existing: Option<String>,
) -> Response {
    let t = viewer.tr;
    let ctx = Ctx::new(viewer, "persons", "").crumb("/persons", t.get("persons.title"));
    let (ctx, action) = match editing {
        Some((id, name)) => {
            let mut ctx = ctx.crumb(format!("/persons/{id}"), name).crumb("", t.get("persons.edit"));
            ctx.title = format!("{} · {name}", t.get("persons.edit"));
            (ctx, format!("/persons/{id}/edit"))
        }
        None => {
            let mut ctx = ctx.crumb("", t.get("persons.new"));
            ctx.title = t.get("persons.new").to_string();
            (ctx, "/persons/new".to_string())
        }
    };
    let categories = CATEGORIES
        .iter()
        .map(|(c, _)| CategoryBox {
            value: c,
            label: word(t, category_key(c)),
            checked: f.categories.iter().any(|x| x == c),
        })
        .collect();
    let care_levels = care_choices(t, &f.care_level, "persons.no_care_level");
    render(&FormPage { ctx, action, editing: editing.is_some(), f, errors, categories, care_levels, existing })
}

async fn new_form(State(state): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    let actor = viewer.require()?;
    if !may_register(actor.role) {
        return Err(AppError::Forbidden.into());
    }
    // the organization's area is the usual place of its persons
    let area_code = match actor.organization_id.as_deref() {
        Some(id) => organizations::get(&state.db, &actor, id).await.ok().and_then(|o| o.area_code),
        None => None,
    };
    let f = PersonForm { area_code: area_code.unwrap_or_default(), ..Default::default() };
    Ok(form_page(&viewer, None, f, FormErrors::default(), None))
}

async fn create(State(state): State<AppState>, viewer: Viewer, form: CsrfForm<PersonForm>) -> PageResult<Response> {
    let actor = viewer.require()?;
    if !may_register(actor.role) {
        return Err(AppError::Forbidden.into());
    }
    let f = PersonForm::submitted(form);
    let result = match f.input(false) {
        Ok(input) => persons::create(&state.db, &actor, &state.keys, &input, state.now_ms()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => Ok(see_other(&format!("/persons/{}?ok=created", p.id))),
        Err(e @ AppError::Validation(_)) => {
            let existing = persons::find_by_resident_id(&state.db, &actor, &state.keys, &f.resident_id).await?;
            let mut f = f;
            if existing.is_some() {
                f.resident_id.clear();
            }
            Ok(unprocessable(form_page(&viewer, None, f, FormErrors::from_app(&e), existing)))
        }
        Err(e) => Err(e.into()),
    }
}

/// The person to edit: 404 outside the scope, 403 when the actor may only read it.
async fn editable(state: &AppState, actor: &db::Actor, id: &str) -> PageResult<PersonView> {
    let m = persons::find(&state.db, actor, id).await?;
    if !persons::may_edit(actor, &m) {
        return Err(AppError::Forbidden.into());
    }
    Ok(persons::view(&state.keys, &m)?)
}

async fn edit_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let p = editable(&state, &actor, &id).await?;
    Ok(form_page(&viewer, Some((&p.id, &p.name)), PersonForm::of(&p), FormErrors::default(), None))
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<PersonForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let p = editable(&state, &actor, &id).await?;
    let f = PersonForm::submitted(form);
    let result = match f.input(true) {
        Ok(input) => persons::update(&state.db, &actor, &state.keys, &id, &input, state.now_ms()).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/persons/{id}?ok=saved"))),
        Err(e @ AppError::Validation(_)) => {
            let existing = persons::find_by_resident_id(&state.db, &actor, &state.keys, &f.resident_id)
                .await?
                .filter(|other| *other != id);
            let page = form_page(&viewer, Some((&p.id, &p.name)), f, FormErrors::from_app(&e), existing);
            Ok(unprocessable(page))
        }
        Err(e) => Err(e.into()),
    }
}

// ---- detail -------------------------------------------------------------------------------

struct Fact {
    label: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "persons/detail.html")]
struct DetailPage {
    ctx: Ctx,
    id: String,
    name: String,
    facts: Vec<Fact>,
    can_reveal: bool,
    can_edit: bool,
    revealed: Option<Revealed>,
    x: super::registry::PersonExtras,
}

async fn facts(state: &AppState, t: Tr, p: &PersonView) -> PageResult<Vec<Fact>> {
    let area = match p.area_code.as_deref() {
        Some(code) => match areas::full_name(&state.db, code).await? {
            name if name.is_empty() => code.to_string(),
            name => format!("{name}（{code}）"),
        },
        None => String::new(),
    };
    let org = organizations::names(&state.db, std::slice::from_ref(&p.organization_id)).await?;
    Ok(vec![
        ("persons.gender", gender_word(t, &p.gender).to_string()),
        ("persons.birth_date", p.birth_date.to_string()),
        ("persons.resident_id", p.resident_id_masked.clone()),
        ("persons.phone", p.phone_masked.clone().unwrap_or_default()),
        ("persons.address", p.address.clone()),
        ("persons.area", area),
        ("persons.categories", category_words(t, &p.categories)),
        ("persons.care_level", care_word(t, &p.care_level)),
        ("persons.consent_on", p.consent_on.map(|d| d.to_string()).unwrap_or_default()),
        ("persons.organization", org.get(&p.organization_id).cloned().unwrap_or_default()),
    ]
    .into_iter()
    .map(|(k, value)| Fact { label: t.get(k), value })
    .collect())
}

async fn detail_page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    revealed: Option<Revealed>,
    ok: Option<&str>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let m = persons::find(&state.db, &actor, id).await?;
    let p = persons::view(&state.keys, &m)?;
    let ctx = Ctx::new(viewer, "persons", p.name.clone())
        .crumb("/persons", t.get("persons.title"))
        .crumb("", p.name.clone())
        .flash_from(ok);
    let page = DetailPage {
        ctx,
        facts: facts(state, t, &p).await?,
        can_reveal: persons::may_reveal(&actor, &m),
        can_edit: persons::may_edit(&actor, &m),
        x: super::registry::person_extras(state, &actor, &m).await?,
        revealed,
        id: p.id,
        name: p.name,
    };
    Ok(render(&page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    ok: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> PageResult<Response> {
    detail_page(&state, &viewer, &id, None, q.ok.as_deref()).await
}

async fn reveal(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let revealed = persons::reveal(&state.db, &actor, &state.keys, &id, state.now_ms()).await?;
    let page = detail_page(&state, &viewer, &id, Some(revealed), None).await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
}
