//! The organization profile form: new and edit. The form keeps what the user typed; errors
//! appear next to each field. An organization's own administrator does not see the fields only
//! the funder sets (kind, rating, listings, area); the data layer ignores them anyway.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use db::entity::organization;
use db::organizations::{self, OrganizationInput};
use db::{AppError, FieldError};
use domain::role::Role;
use serde::Deserialize;

use super::kind_choices;
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, checked, opt, opt_date};
use crate::pages::{Choice, unprocessable, zh};
use crate::pages::{render, see_other};
use crate::state::AppState;
use crate::view::Ctx;

/// What the form holds, as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OrgForm {
    kind: String,
    name: String,
    uscc: String,
    registered_on: String,
    registration_authority: String,
    legal_representative: String,
    rating: String,
    rated_on: String,
    area_code: String,
    address: String,
    bank_name: String,
    bank_account: String,
    business_scope: String,
    abnormal_since: String,
    blacklisted_since: String,
    last_penalty_on: String,
    #[serde(skip)]
    abnormal_list: bool,
    #[serde(skip)]
    blacklisted: bool,
    #[serde(skip)]
    under_investigation: bool,
}

fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

impl OrgForm {
    fn of(m: &organization::Model) -> OrgForm {
        OrgForm {
            kind: m.kind.clone(),
            name: m.name.clone(),
            uscc: m.uscc.clone().unwrap_or_default(),
            registered_on: date_text(m.registered_on),
            registration_authority: m.registration_authority.clone(),
            legal_representative: m.legal_representative.clone(),
            rating: m.rating.map(|r| r.to_string()).unwrap_or_default(),
            rated_on: date_text(m.rated_on),
            area_code: m.area_code.clone().unwrap_or_default(),
            address: m.address.clone(),
            bank_name: m.bank_name.clone(),
            bank_account: m.bank_account.clone(),
            business_scope: m.business_scope.clone(),
            abnormal_since: date_text(m.abnormal_since),
            blacklisted_since: date_text(m.blacklisted_since),
            last_penalty_on: date_text(m.last_penalty_on),
            abnormal_list: m.abnormal_list,
            blacklisted: m.blacklisted,
            under_investigation: m.under_investigation,
        }
    }

    /// The submitted form with its checkboxes read from the raw pairs.
    fn submitted(form: CsrfForm<OrgForm>) -> OrgForm {
        let mut f = form.data;
        f.abnormal_list = checked(&form.pairs, "abnormal_list");
        f.blacklisted = checked(&form.pairs, "blacklisted");
        f.under_investigation = checked(&form.pairs, "under_investigation");
        f
    }

    /// The data layer's input, or the errors of fields that are not even well-formed.
    fn input(&self) -> Result<OrganizationInput, AppError> {
        let mut e: Vec<FieldError> = Vec::new();
        let mut date = |value: &str, field: &str, key: &'static str| opt_date(value, field, zh(key), &mut e);
        let registered_on = date(&self.registered_on, "registered_on", "org.registered_on");
        let rated_on = date(&self.rated_on, "rated_on", "org.rated_on");
        let abnormal_since = date(&self.abnormal_since, "abnormal_since", "org.abnormal_since");
        let blacklisted_since = date(&self.blacklisted_since, "blacklisted_since", "org.blacklisted_since");
        let last_penalty_on = date(&self.last_penalty_on, "last_penalty_on", "org.last_penalty_on");
        let rating = match self.rating.trim() {
            "" => None,
            r => match r.parse::<i32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    e.push(FieldError::new("rating", format!("{}：应为1A至5A", zh("org.rating"))));
                    None
                }
            },
        };
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(OrganizationInput {
            kind: self.kind.trim().to_string(),
            name: self.name.clone(),
            uscc: self.uscc.trim().to_string(),
            registered_on,
            registration_authority: self.registration_authority.clone(),
            legal_representative: self.legal_representative.clone(),
            rating,
            rated_on,
            area_code: opt(&self.area_code),
            address: self.address.clone(),
            bank_name: self.bank_name.clone(),
            bank_account: self.bank_account.clone(),
            business_scope: self.business_scope.clone(),
            abnormal_list: self.abnormal_list,
            abnormal_since,
            blacklisted: self.blacklisted,
            blacklisted_since,
            under_investigation: self.under_investigation,
            last_penalty_on,
        })
    }
}

#[derive(Template)]
#[template(path = "admin/org_form.html")]
struct FormPage {
    ctx: Ctx,
    /// Where the form posts.
    action: String,
    f: OrgForm,
    errors: FormErrors,
    kinds: Vec<Choice>,
    ratings: Vec<Choice>,
    /// Only the fields an organization keeps itself (its own administrator).
    limited: bool,
}

/// `existing`: (id, name) of the organization being edited.
fn form_page(viewer: &Viewer, role: Role, existing: Option<(&str, &str)>, f: OrgForm, errors: FormErrors) -> Response {
    let t = viewer.tr;
    let ctx = Ctx::new(viewer, "organizations", "").crumb("/admin/organizations", t.get("org.title"));
    let (ctx, action) = match existing {
        Some((id, name)) => {
            let mut ctx = ctx.crumb(format!("/admin/organizations/{id}"), name).crumb("", t.get("org.edit"));
            ctx.title = format!("{} · {name}", t.get("org.edit"));
            (ctx, format!("/admin/organizations/{id}/edit"))
        }
        None => {
            let mut ctx = ctx.crumb("", t.get("org.new"));
            ctx.title = t.get("org.new").to_string();
            (ctx, "/admin/organizations/new".to_string())
        }
    };
    let ratings = Choice::list(
        std::iter::once(("".to_string(), t.get("org.unrated").to_string()))
            .chain((1..=5).map(|r| (r.to_string(), format!("{r}A")))),
        &f.rating,
    );
    render(&FormPage {
        ctx,
        action,
        kinds: kind_choices(t, &f.kind, "org.choose_kind"),
        ratings,
        limited: role == Role::OrgAdmin,
        f,
        errors,
    })
}

pub async fn new_form(viewer: Viewer) -> PageResult<Response> {
    let actor = viewer.require()?;
    actor.require(&[Role::FunderAdmin])?;
    let f = OrgForm {
        kind: "social_org".into(),
        area_code: actor.area_code.clone().unwrap_or_default(),
        ..Default::default()
    };
    Ok(form_page(&viewer, actor.role, None, f, FormErrors::default()))
}

pub async fn create(State(state): State<AppState>, viewer: Viewer, form: CsrfForm<OrgForm>) -> PageResult<Response> {
    let actor = viewer.require()?;
    actor.require(&[Role::FunderAdmin])?;
    let f = OrgForm::submitted(form);
    let result = match f.input() {
        Ok(input) => organizations::create(&state.db, &actor, &input, state.now_ms()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(m) => Ok(see_other(&format!("/admin/organizations/{}?ok=created", m.id))),
        Err(e @ AppError::Validation(_)) => {
            Ok(unprocessable(form_page(&viewer, actor.role, None, f, FormErrors::from_app(&e))))
        }
        Err(e) => Err(e.into()),
    }
}

/// The organization to edit: 404 outside the scope, 403 when the actor may only read it.
async fn editable(state: &AppState, actor: &db::Actor, id: &str) -> PageResult<organization::Model> {
    let org = organizations::get(&state.db, actor, id).await?;
    if !organizations::may_edit(actor, &org) {
        return Err(AppError::Forbidden.into());
    }
    Ok(org)
}

pub async fn edit_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let org = editable(&state, &actor, &id).await?;
    Ok(form_page(&viewer, actor.role, Some((&org.id, &org.name)), OrgForm::of(&org), FormErrors::default()))
}

pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<OrgForm>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let org = editable(&state, &actor, &id).await?;
    let mut f = OrgForm::submitted(form);
    if actor.role == Role::OrgAdmin {
        // the fields the form did not show keep their values (the data layer keeps them too)
        let current = OrgForm::of(&org);
        f = OrgForm {
            name: f.name,
            uscc: f.uscc,
            registered_on: f.registered_on,
            registration_authority: f.registration_authority,
            legal_representative: f.legal_representative,
            address: f.address,
            bank_name: f.bank_name,
            bank_account: f.bank_account,
            business_scope: f.business_scope,
            ..current
        };
    }
    let result = match f.input() {
        Ok(input) => organizations::update(&state.db, &actor, &id, &input, state.now_ms()).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/admin/organizations/{id}?ok=saved"))),
        Err(e @ AppError::Validation(_)) => {
            Ok(unprocessable(form_page(&viewer, actor.role, Some((&org.id, &org.name)), f, FormErrors::from_app(&e))))
        }
        Err(e) => Err(e.into()),
    }
}
