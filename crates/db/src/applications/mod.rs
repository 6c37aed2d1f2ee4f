//! Applications (申报书): a social organization's draft, its sections, submit and withdraw
//! (`submit.rs`), the eligibility facts and screening (`screening.rs`).
//!
//! Scope: an organization's people see only their organization's applications; funders,
//! operators and area officers see the submitted (non-draft) applications of programs they
//! manage or whose area they cover; a program-scoped user sees that program's. Anything else is
//! "not found".

mod attachments;
mod diff;
mod input;
mod joint;
mod screening;
mod submit;

use domain::money::Fen;
use domain::role::Role;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

pub use attachments::{
    ALLOWED_EXTENSIONS, ATTACHMENT_KINDS, AttachmentView, MAX_ATTACHMENT_BYTES, attachment, attachments,
    delete_attachment, upload_attachment,
};
pub use diff::{Change, diff, version_diff};
pub use input::{ApplicationInput, CoFunding, PlanMonth, ProposedOutput, TeamEntry};
pub use joint::{JointView, answer_joint, joint_applicant_ids, joint_applicants, joint_requests, set_joint_applicants};
pub(crate) use screening::evaluate_model;
pub use screening::{ScreeningInput, ScreeningView, eligibility, latest_screenings, record_screening, screenings};
pub use submit::{Deadline, application_deadline, submit, versions, withdraw};

use crate::audit::Event;
use crate::entity::{application, call_item, program};
use crate::{Actor, AppError, AppResult, FieldError, Page, PageRequest, Scope, db_err, new_id};

pub const STATUSES: [&str; 6] = ["draft", "submitted", "returned", "withdrawn", "screened_pass", "screened_fail"];

/// An application as pages and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationView {
    pub id: String,
    pub program_id: String,
    pub track_code: String,
    pub call_item_id: Option<String>,
    pub organization_id: String,
    pub status: String,
    pub submitted_ms: Option<i64>,
    pub updated_ms: i64,
    pub version: i32,
    pub requested: Fen,
    #[serde(flatten)]
    pub input: ApplicationInput,
}

fn j<T: serde::de::DeserializeOwned + Default>(s: &str) -> T {
    serde_json::from_str(s).unwrap_or_default()
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

pub fn view(m: &application::Model) -> ApplicationView {
    ApplicationView {
        id: m.id.clone(),
        program_id: m.program_id.clone(),
        track_code: m.track_code.clone(),
        call_item_id: m.call_item_id.clone(),
        organization_id: m.organization_id.clone(),
        status: m.status.clone(),
        submitted_ms: m.submitted_ms,
        updated_ms: m.updated_ms,
        version: m.version,
        requested: Fen(m.requested_fen),
        input: ApplicationInput {
            title: m.title.clone(),
            summary: m.summary.clone(),
            needs_analysis: m.needs_analysis.clone(),
            objectives: m.objectives.clone(),
            plan: j(&m.plan_json),
            outputs: j(&m.outputs_json),
            team: j(&m.team_json),
            budget: j(&m.budget_json),
            cofunding: m.cofunding_json.as_deref().map(j).unwrap_or_default(),
        },
    }
}

fn is_org_role(role: Role) -> bool {
    matches!(role, Role::OrgAdmin | Role::OrgStaff | Role::FieldWorker)
}

/// Whether the actor manages or covers the program (funder, operator, area roles).
pub fn covers_program(actor: &Actor, p: &program::Model) -> bool {
    if actor.is_admin() || actor.program_id.as_deref() == Some(p.id.as_str()) {
        return true;
    }
    match actor.role {
        Role::FunderAdmin | Role::Operator | Role::AreaOfficer => {
            let own = actor.organization_id.as_deref();
            own.is_some() && (own == Some(p.funder_id.as_str()) || own == p.operator_id.as_deref())
                || actor.covers_area(Some(&p.area_code))
        }
        _ => false,
    }
}

/// The condition "application is within the actor's scope".
async fn scope<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<Condition> {
    if is_org_role(actor.role) {
        return Ok(match &actor.organization_id {
            // its own applications, and those it is asked to join (to read before confirming)
            Some(org) => Condition::any().add(application::Column::OrganizationId.eq(org.as_str())).add(
                application::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(crate::entity::application_joint::Column::ApplicationId)
                        .from(crate::entity::application_joint::Entity)
                        .and_where(crate::entity::application_joint::Column::OrganizationId.eq(org.as_str()))
                        .to_owned(),
                ),
            ),
            None => Condition::all().add(sea_orm::sea_query::Expr::cust("1 = 0")),
        });
    }
    if actor.role == Role::Reviewer {
        // reviewers read only their assigned applications, through `crate::review` (which applies
        // conflicts of interest and blind mode)
        return Ok(Condition::all().add(sea_orm::sea_query::Expr::cust("1 = 0")));
    }
    if actor.scope() == Scope::All {
        return Ok(Condition::all().add(application::Column::Status.ne("draft")));
    }
    // the programs this actor manages or covers (few rows: programs, not applications)
    let programs = program::Entity::find().all(db).await.map_err(db_err)?;
    let ids: Vec<String> = programs.iter().filter(|p| covers_program(actor, p)).map(|p| p.id.clone()).collect();
    Ok(Condition::all().add(application::Column::ProgramId.is_in(ids)).add(application::Column::Status.ne("draft")))
}

pub(crate) async fn get_model<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<application::Model> {
    application::Entity::find_by_id(id)
        .filter(scope(db, actor).await?)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("申报书".into()))
}

pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<ApplicationView> {
    Ok(view(&get_model(db, actor, id).await?))
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApplicationFilter {
    pub program_id: Option<String>,
    pub status: Option<String>,
}

/// Applications in scope, oldest first, a page at a time.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ApplicationFilter,
    page: &PageRequest,
) -> AppResult<Page<ApplicationView>> {
    let mut q = application::Entity::find().filter(scope(db, actor).await?);
    if let Some(p) = filter.program_id.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(application::Column::ProgramId.eq(p));
    }
    if let Some(s) = filter.status.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(application::Column::Status.eq(s));
    }
    if let Some(after) = &page.after {
        q = q.filter(application::Column::Id.gt(after.as_str()));
    }
    let limit = page.limit();
    let rows = q.order_by_asc(application::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    Ok(Page::from_rows(rows, limit, |r| r.id.clone()).map(|m| view(&m)))
}

/// Check proposed outputs against the item's required ones: a quantity below the required one
/// is refused naming the output; `complete` also requires a quantity for every required output.
pub(crate) fn check_outputs(
    item: Option<&call_item::Model>,
    input: &ApplicationInput,
    complete: bool,
) -> AppResult<()> {
    let Some(item) = item else { return Ok(()) };
    let required: Vec<domain::program::OutputTarget> = serde_json::from_str(&item.outputs_json).unwrap_or_default();
    let mut e = Vec::new();
    for (i, o) in required.iter().enumerate() {
        let Some(min) = o.quantity else { continue };
        let proposed = input.outputs.iter().find(|p| p.index as usize == i).map(|p| p.quantity);
        match proposed {
            Some(q) if q < min => e.push(FieldError::new(
                format!("outputs.{i}"),
                format!("产出“{}”：拟定数量 {q}{} 低于要求的 {min}{}", o.description, o.unit, o.unit),
            )),
            None if complete => e.push(FieldError::new(
                format!("outputs.{i}"),
                format!("产出“{}”：请填写拟定数量（不少于 {min}{}）", o.description, o.unit),
            )),
            _ => {}
        }
    }
    if e.is_empty() { Ok(()) } else { Err(AppError::Validation(e)) }
}

async fn item_of<C: ConnectionTrait>(db: &C, id: Option<&str>) -> AppResult<Option<call_item::Model>> {
    match id {
        Some(id) => call_item::Entity::find_by_id(id).one(db).await.map_err(db_err),
        None => Ok(None),
    }
}

/// Start a draft for a call item of a published program. Organization people only.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    item_id: &str,
    input: &ApplicationInput,
    now_ms: i64,
) -> AppResult<String> {
    actor.require(&[Role::OrgAdmin, Role::OrgStaff])?;
    let org = actor.organization_id.clone().ok_or(AppError::Forbidden)?;
    let item = item_of(db, Some(item_id)).await?.ok_or_else(|| AppError::NotFound("项目清单条目".into()))?;
    let p = program::Entity::find_by_id(item.program_id.as_str())
        .one(db)
        .await
        .map_err(db_err)?
        .filter(|p| p.status == "published")
        .ok_or_else(|| AppError::NotFound("项目清单条目".into()))?;
    input.validate()?;
    check_outputs(Some(&item), input, false)?;
    let id = new_id();
    application::ActiveModel {
        id: Set(id.clone()),
        program_id: Set(p.id.clone()),
        track_code: Set(item.track_code.clone()),
        call_item_id: Set(Some(item.id.clone())),
        organization_id: Set(org),
        status: Set("draft".into()),
        submitted_ms: Set(None),
        created_ms: Set(now_ms),
        version: Set(0),
        ..fields(input, now_ms)
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Event::new(actor, now_ms, "application.create", "application", &id).after(input).write(db).await?;
    Ok(id)
}

fn fields(input: &ApplicationInput, now_ms: i64) -> application::ActiveModel {
    application::ActiveModel {
        title: Set(input.title.trim().to_string()),
        summary: Set(input.summary.trim().to_string()),
        needs_analysis: Set(input.needs_analysis.trim().to_string()),
        objectives: Set(input.objectives.trim().to_string()),
        plan_json: Set(to_json(&input.plan)),
        outputs_json: Set(to_json(&input.outputs)),
        team_json: Set(to_json(&input.team)),
        budget_json: Set(to_json(&input.budget)),
        cofunding_json: Set(Some(to_json(&input.cofunding))),
        requested_fen: Set(input.total().0),
        updated_ms: Set(now_ms),
        ..Default::default()
    }
}

/// Whether the actor may edit, submit or withdraw this application (its organization's people).
pub fn may_edit(actor: &Actor, m: &application::Model) -> bool {
    matches!(actor.role, Role::OrgAdmin | Role::OrgStaff)
        && actor.organization_id.as_deref() == Some(m.organization_id.as_str())
}

/// Save the sections while the application is a draft or returned for more information.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    input: &ApplicationInput,
    now_ms: i64,
) -> AppResult<()> {
    let current = get_model(db, actor, id).await?;
    if !may_edit(actor, &current) {
        return Err(AppError::Forbidden);
    }
    if current.status != "draft" && current.status != "returned" {
        return Err(AppError::Conflict("申报书已提交，不能修改；如需补充材料请等待退回".into()));
    }
    input.validate()?;
    check_outputs(item_of(db, current.call_item_id.as_deref()).await?.as_ref(), input, false)?;
    let before = view(&current).input;
    let mut a = fields(input, now_ms);
    a.id = Set(current.id.clone());
    a.update(db).await.map_err(db_err)?;
    Event::new(actor, now_ms, "application.update", "application", id).before(&before).after(input).write(db).await
}

/// Set the status (and more) of a stored application.
pub(crate) async fn set_status<C: ConnectionTrait>(
    db: &C,
    m: application::Model,
    status: &str,
    now_ms: i64,
    change: impl FnOnce(&mut application::ActiveModel),
) -> AppResult<()> {
    let mut a = m.into_active_model();
    a.status = Set(status.to_string());
    a.updated_ms = Set(now_ms);
    change(&mut a);
    a.update(db).await.map_err(db_err)?;
    Ok(())
}
