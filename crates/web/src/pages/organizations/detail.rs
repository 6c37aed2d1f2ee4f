//! One organization: every profile field, annual inspections by year and staff with their
//! social-work certificates; forms to add and remove staff and to record an inspection, shown
//! only to those allowed (the data layer checks again).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use db::entity::organization;
use db::organizations::{self, CERTIFICATE_LEVELS, StaffInput};
use db::{Actor, AppError, areas};
use serde::Deserialize;

use super::{kind_key, rating_text};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, checked};
use crate::i18n::Tr;
use crate::pages::{Choice, unprocessable, zh};
use crate::pages::{ListQuery, render, see_other};
use crate::state::AppState;
use crate::view::Ctx;

pub fn level_key(level: &str) -> &'static str {
    match level {
        "assistant" => "org.levels.assistant",
        "social_worker" => "org.levels.social_worker",
        "senior" => "org.levels.senior",
        _ => "org.levels.none",
    }
}

struct Fact {
    label: &'static str,
    value: String,
}

struct InspectionRow {
    year: i32,
    passed: bool,
    note: String,
}

struct StaffRow {
    id: String,
    name: String,
    position: String,
    level: &'static str,
    certificate_no: String,
    full_time: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StaffForm {
    name: String,
    position: String,
    certificate_level: String,
    certificate_no: String,
    #[serde(skip)]
    full_time: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InspectionForm {
    year: String,
    passed: String,
    note: String,
}

#[derive(Template)]
#[template(path = "admin/org_detail.html")]
struct DetailPage {
    ctx: Ctx,
    id: String,
    name: String,
    kind: &'static str,
    rating: String,
    abnormal: bool,
    blacklisted: bool,
    under_investigation: bool,
    facts: Vec<Fact>,
    inspections: Vec<InspectionRow>,
    staff: Vec<StaffRow>,
    can_edit: bool,
    can_inspect: bool,
    staff_form: StaffForm,
    staff_errors: FormErrors,
    levels: Vec<Choice>,
    inspection_form: InspectionForm,
    inspection_errors: FormErrors,
    results: Vec<Choice>,
}

fn facts(t: Tr, o: &organization::Model, area: String) -> Vec<Fact> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let yes_no = |b: bool| t.get(if b { "common.yes" } else { "common.no" }).to_string();
    let since = |on: bool, d| {
        if on { format!("{} {}", t.get("common.yes"), date(d)) } else { yes_no(false) }
    };
    vec![
        ("org.kind", t.get(kind_key(&o.kind)).to_string()),
        ("org.uscc", o.uscc.clone().unwrap_or_default()),
        ("org.registered_on", date(o.registered_on)),
        ("org.registration_authority", o.registration_authority.clone()),
        ("org.legal_representative", o.legal_representative.clone()),
        ("org.rating", rating_text(o.rating)),
        ("org.rated_on", date(o.rated_on)),
        ("org.area", area),
        ("org.address", o.address.clone()),
        ("org.bank_name", o.bank_name.clone()),
        ("org.bank_account", o.bank_account.clone()),
        ("org.business_scope", o.business_scope.clone()),
        ("org.abnormal_list", since(o.abnormal_list, o.abnormal_since)),
        ("org.blacklisted", since(o.blacklisted, o.blacklisted_since)),
        ("org.under_investigation", yes_no(o.under_investigation)),
        ("org.last_penalty_on", date(o.last_penalty_on)),
    ]
    .into_iter()
    .map(|(k, value)| Fact { label: t.get(k), value })
    .collect()
}

/// The detail page, with the add-staff and inspection forms as given (after an error) or empty.
async fn detail_page(
    state: &AppState,
    viewer: &Viewer,
    actor: &Actor,
    id: &str,
    staff_form: Option<(StaffForm, FormErrors)>,
    inspection_form: Option<(InspectionForm, FormErrors)>,
    ok: Option<&str>,
) -> PageResult<Response> {
    let t = viewer.tr;
    let o = organizations::get(&state.db, actor, id).await?;
    let inspections = organizations::inspections(&state.db, actor, id).await?;
    let staff = organizations::staff(&state.db, actor, id).await?;
    let area = match o.area_code.as_deref() {
        Some(code) => match areas::full_name(&state.db, code).await? {
            name if name.is_empty() => code.to_string(),
            name => format!("{name}（{code}）"),
        },
        None => String::new(),
    };
    let (staff_form, staff_errors) = staff_form.unwrap_or_default();
    let (inspection_form, inspection_errors) = inspection_form.unwrap_or_else(|| {
        let last_year = chrono::Datelike::year(&state.clock.today()) - 1;
        (InspectionForm { year: last_year.to_string(), passed: "1".into(), note: String::new() }, FormErrors::default())
    });
    let levels = Choice::list(
        std::iter::once("").chain(CERTIFICATE_LEVELS).map(|l| (l, t.get(level_key(l)))),
        &staff_form.certificate_level,
    );
    let results = Choice::list([("1", t.get("org.passed")), ("0", t.get("org.failed"))], &inspection_form.passed);
    let ctx = Ctx::new(viewer, "organizations", o.name.clone())
        .crumb("/admin/organizations", t.get("org.title"))
        .crumb("", o.name.clone())
        .flash_from(ok);
    let page = DetailPage {
        ctx,
        facts: facts(t, &o, area),
        kind: t.get(kind_key(&o.kind)),
        rating: rating_text(o.rating),
        abnormal: o.abnormal_list,
        blacklisted: o.blacklisted,
        under_investigation: o.under_investigation,
        inspections: inspections
            .into_iter()
            .map(|i| InspectionRow { year: i.year, passed: i.passed, note: i.note })
            .collect(),
        staff: staff
            .into_iter()
            .map(|s| StaffRow {
                level: t.get(level_key(&s.certificate_level)),
                id: s.id,
                name: s.name,
                position: s.position,
                certificate_no: s.certificate_no,
                full_time: s.full_time,
            })
            .collect(),
        can_edit: organizations::may_edit(actor, &o),
        can_inspect: organizations::may_inspect(actor, &o),
        staff_form,
        staff_errors,
        levels,
        inspection_form,
        inspection_errors,
        results,
        id: o.id,
        name: o.name,
    };
    Ok(render(&page))
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    detail_page(&state, &viewer, &actor, &id, None, None, q.ok.as_deref()).await
}

pub async fn add_staff(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<StaffForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let mut f = form.data;
    f.full_time = checked(&form.pairs, "full_time");
    let input = StaffInput {
        name: f.name.clone(),
        position: f.position.clone(),
        certificate_level: f.certificate_level.clone(),
        certificate_no: f.certificate_no.clone(),
        full_time: f.full_time,
    };
    match organizations::add_staff(&state.db, &actor, &id, &input, state.now_ms()).await {
        Ok(_) => Ok(see_other(&format!("/admin/organizations/{id}?ok=created#staff"))),
        Err(e @ AppError::Validation(_)) => {
            let errors = FormErrors::from_app(&e);
            let res = detail_page(&state, &viewer, &actor, &id, Some((f, errors)), None, None).await?;
            Ok(unprocessable(res))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_staff(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, staff_id)): Path<(String, String)>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    organizations::remove_staff(&state.db, &actor, &id, &staff_id, state.now_ms()).await?;
    Ok(see_other(&format!("/admin/organizations/{id}?ok=deleted#staff")))
}

pub async fn set_inspection(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<InspectionForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let f = form.data;
    let result = match f.year.trim().parse::<i32>() {
        Ok(year) => {
            organizations::set_inspection(&state.db, &actor, &id, year, f.passed == "1", f.note.trim(), state.now_ms())
                .await
        }
        Err(_) => Err(AppError::field("year", format!("{}：请填写四位年份", zh("org.inspection_year")))),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/admin/organizations/{id}?ok=saved#inspections"))),
        Err(e @ AppError::Validation(_)) => {
            let errors = FormErrors::from_app(&e);
            let res = detail_page(&state, &viewer, &actor, &id, None, Some((f, errors)), None).await?;
            Ok(unprocessable(res))
        }
        Err(e) => Err(e.into()),
    }
}
