//! Projects (项目): what an organization delivers for a program — from a final award
//! (`award.rs`) or created directly by a funder (street plans, tendered lots). A project has its
//! team (`team.rs`) and the beneficiaries enrolled with their visit rules (`people.rs`).
//!
//! Scope: the organization's admins and staff see their organization's projects; a field worker
//! sees only projects where they are a member; funders, operators and area officers see the
//! projects of programs they manage or cover and the projects in their area subtree; a
//! program-scoped user sees that program's. Anything else is "not found".

mod award;
mod create;
mod people;
mod team;

use chrono::NaiveDate;
use domain::program::OutputTarget;
use domain::role::Role;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

pub use award::{create_from_award, merge_outputs};
pub use create::{FormChoices, ProjectInput, create, form_choices, set_status};
pub(crate) use people::person_ids_of;
pub use people::{
    EnrolInput, EnrolmentView, enrol, enrolment, leave, link_by_resident_id, people, rule_code, rule_from_code,
};
pub use team::{MEMBER_ROLES, MemberInput, MemberView, add_member, candidate_users, members, remove_member};

use crate::entity::{organization, program, project, project_member};
use crate::{Actor, AppError, AppResult, Page, PageRequest, Scope, db_err};

/// The program a project belongs to, as far as scope decisions need it.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramRef {
    pub id: String,
    pub code: String,
    pub name: String,
    pub funder_id: String,
    pub operator_id: Option<String>,
    pub area_code: String,
}

/// A project as pages and the API see it.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectView {
    pub id: String,
    pub program_id: Option<String>,
    pub call_item_id: Option<String>,
    pub award_id: Option<String>,
    pub organization_id: String,
    pub organization_name: String,
    pub title: String,
    pub area_code: String,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    pub targets: Vec<OutputTarget>,
    /// active / closed
    pub status: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub program: Option<ProgramRef>,
    pub members: Vec<MemberView>,
}

impl ProjectView {
    /// The project period as the delivery rules use it.
    pub fn span(&self) -> Option<domain::delivery::DateSpan> {
        domain::delivery::DateSpan::new(self.start_on, self.end_on)
    }

    fn member_of(&self, actor: &Actor) -> Option<&MemberView> {
        let uid = actor.user_id.as_deref()?;
        self.members.iter().find(|m| m.user_id.as_deref() == Some(uid))
    }
}

fn program_ref(p: &program::Model) -> ProgramRef {
    ProgramRef {
        id: p.id.clone(),
        code: p.code.clone(),
        name: p.name.clone(),
        funder_id: p.funder_id.clone(),
        operator_id: p.operator_id.clone(),
        area_code: p.area_code.clone(),
    }
}

/// Whether a funder, operator or area officer covers this project (its program or its area).
fn covers(actor: &Actor, v: &ProjectView) -> bool {
    if actor.is_admin() {
        return true;
    }
    if matches!(actor.role, Role::FunderAdmin | Role::Operator | Role::AreaOfficer)
        && actor.covers_area(Some(&v.area_code))
    {
        return true;
    }
    let Some(p) = &v.program else { return false };
    if actor.program_id.as_deref() == Some(p.id.as_str()) {
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

fn own_org(actor: &Actor, v: &ProjectView) -> bool {
    matches!(actor.role, Role::OrgAdmin | Role::OrgStaff)
        && actor.organization_id.as_deref() == Some(v.organization_id.as_str())
}

/// Whether the actor may record visits and services in this project: the organization's admins
/// and staff, or a field worker who is a member of the team.
pub fn may_record(actor: &Actor, v: &ProjectView) -> bool {
    actor.is_admin()
        || own_org(actor, v)
        || (actor.role == Role::FieldWorker && v.member_of(actor).is_some() && v.status == "active")
}

/// Whether the actor may review flagged records: the organization's admin, the project lead or
/// supervisor, a funder or operator covering the project.
pub fn may_supervise(actor: &Actor, v: &ProjectView) -> bool {
    if actor.is_admin() {
        return true;
    }
    if actor.role == Role::OrgAdmin && actor.organization_id.as_deref() == Some(v.organization_id.as_str()) {
        return true;
    }
    if v.member_of(actor).is_some_and(|m| m.role == "lead" || m.role == "supervisor") {
        return true;
    }
    matches!(actor.role, Role::FunderAdmin | Role::Operator) && covers(actor, v)
}

/// Whether the actor may change the project itself, its team and its people.
pub fn may_manage(actor: &Actor, v: &ProjectView) -> bool {
    actor.is_admin()
        || own_org(actor, v)
        || (actor.role == Role::FunderAdmin && covers(actor, v))
        || v.member_of(actor).is_some_and(|m| m.role == "lead")
}

/// The condition "project is within the actor's scope" (read in the query).
pub(crate) async fn scope<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<Condition> {
    let none = || Condition::all().add(Expr::cust("1 = 0"));
    match actor.role {
        Role::SysAdmin => Ok(Condition::all()),
        Role::OrgAdmin | Role::OrgStaff => Ok(match &actor.organization_id {
            Some(org) => Condition::all().add(project::Column::OrganizationId.eq(org.as_str())),
            None => none(),
        }),
        Role::FieldWorker => {
            let Some(uid) = actor.user_id.as_deref() else { return Ok(none()) };
            let ids: Vec<String> = project_member::Entity::find()
                .filter(project_member::Column::UserId.eq(uid))
                .all(db)
                .await
                .map_err(db_err)?
                .into_iter()
                .map(|m| m.project_id)
                .collect();
            Ok(Condition::all().add(project::Column::Id.is_in(ids)))
        }
        _ => {
            let programs = program::Entity::find().all(db).await.map_err(db_err)?;
            let ids: Vec<String> = programs
                .iter()
                .filter(|p| crate::applications::covers_program(actor, p))
                .map(|p| p.id.clone())
                .collect();
            let mut c = Condition::any().add(project::Column::ProgramId.is_in(ids));
            if matches!(actor.role, Role::FunderAdmin | Role::Operator | Role::AreaOfficer)
                && let Scope::Area { code, .. } = actor.scope()
            {
                c = c.add(project::Column::AreaCode.starts_with(code.as_str()));
            }
            Ok(c)
        }
    }
}

pub(crate) fn parse_targets(json: &str) -> Vec<OutputTarget> {
    serde_json::from_str(json).unwrap_or_default()
}

pub(crate) fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// Views of rows: organization and program names fetched in one query each.
async fn views<C: ConnectionTrait>(
    db: &C,
    rows: Vec<project::Model>,
    with_members: bool,
) -> AppResult<Vec<ProjectView>> {
    let org_ids: Vec<String> = rows.iter().map(|r| r.organization_id.clone()).collect();
    let orgs =
        organization::Entity::find().filter(organization::Column::Id.is_in(org_ids)).all(db).await.map_err(db_err)?;
    let prog_ids: Vec<String> = rows.iter().filter_map(|r| r.program_id.clone()).collect();
    let progs = program::Entity::find().filter(program::Column::Id.is_in(prog_ids)).all(db).await.map_err(db_err)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let members = if with_members { team::members_of(db, &r.id).await? } else { Vec::new() };
        out.push(ProjectView {
            organization_name: orgs
                .iter()
                .find(|o| o.id == r.organization_id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            program: r.program_id.as_ref().and_then(|p| progs.iter().find(|x| &x.id == p)).map(program_ref),
            targets: parse_targets(&r.targets_json),
            id: r.id,
            program_id: r.program_id,
            call_item_id: r.call_item_id,
            award_id: r.award_id,
            organization_id: r.organization_id,
            title: r.title,
            area_code: r.area_code,
            start_on: r.start_on,
            end_on: r.end_on,
            status: r.status,
            created_ms: r.created_ms,
            updated_ms: r.updated_ms,
            members,
        });
    }
    Ok(out)
}

pub(crate) async fn get_model<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<project::Model> {
    project::Entity::find_by_id(id)
        .filter(scope(db, actor).await?)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("项目".into()))
}

/// One project in scope, with its program and team.
pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<ProjectView> {
    let m = get_model(db, actor, id).await?;
    views(db, vec![m], true).await?.pop().ok_or_else(|| AppError::NotFound("项目".into()))
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProjectFilter {
    pub program_id: Option<String>,
    pub status: Option<String>,
}

/// Projects in scope, oldest first, a page at a time (without members).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ProjectFilter,
    page: &PageRequest,
) -> AppResult<Page<ProjectView>> {
    let mut q = project::Entity::find().filter(scope(db, actor).await?);
    if let Some(p) = filter.program_id.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(project::Column::ProgramId.eq(p));
    }
    if let Some(s) = filter.status.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(project::Column::Status.eq(s));
    }
    if let Some(after) = &page.after {
        q = q.filter(project::Column::Id.gt(after.as_str()));
    }
    let limit = page.limit();
    let rows = q.order_by_asc(project::Column::Id).limit(limit + 1).all(db).await.map_err(db_err)?;
    let page = Page::from_rows(rows, limit, |r| r.id.clone());
    Ok(Page { items: views(db, page.items, false).await?, next_cursor: page.next_cursor })
}

/// Every project of a program the actor can see (for the program progress view).
pub async fn of_program<C: ConnectionTrait>(db: &C, actor: &Actor, program_id: &str) -> AppResult<Vec<ProjectView>> {
    let rows = project::Entity::find()
        .filter(scope(db, actor).await?)
        .filter(project::Column::ProgramId.eq(program_id))
        .order_by_asc(project::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    views(db, rows, false).await
}
