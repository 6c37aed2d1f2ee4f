//! Who is acting and what they may see. Every repository function takes an `Actor` and applies
//! its `Scope` in the query itself, so a record outside the scope is never read.

use domain::role::Role;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Condition, Expr};

use crate::{AppError, AppResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Everything (system administrator, system jobs).
    All,
    /// An area subtree (a statistical code prefix), plus the actor's own organization.
    Area { code: String, organization_id: Option<String> },
    /// One organization.
    Organization(String),
    /// Nothing but public records.
    Public,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<String>,
    pub username: String,
    pub role: Role,
    pub organization_id: Option<String>,
    pub area_code: Option<String>,
    /// Program scope: the one program this user works on, if any.
    pub program_id: Option<String>,
}

impl Actor {
    /// The system itself (migrations, demo loading, CLI admin commands).
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            username: "system".into(),
            role: Role::SysAdmin,
            organization_id: None,
            area_code: None,
            program_id: None,
        }
    }

    pub fn scope(&self) -> Scope {
        match self.role {
            Role::SysAdmin => Scope::All,
            Role::FunderAdmin | Role::AreaOfficer | Role::Operator => match &self.area_code {
                Some(code) => Scope::Area { code: code.clone(), organization_id: self.organization_id.clone() },
                None => self.org_scope(),
            },
            _ => self.org_scope(),
        }
    }

    fn org_scope(&self) -> Scope {
        match &self.organization_id {
            Some(id) => Scope::Organization(id.clone()),
            None => Scope::Public,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::SysAdmin
    }

    /// Refuse unless the role is one of `roles` (system administrators always pass).
    pub fn require(&self, roles: &[Role]) -> AppResult<()> {
        if self.role == Role::SysAdmin || roles.contains(&self.role) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    /// Whether an area code lies in this actor's area scope.
    pub fn covers_area(&self, code: Option<&str>) -> bool {
        match self.scope() {
            Scope::All => true,
            Scope::Area { code: scope, .. } => code.is_some_and(|c| c.starts_with(scope.as_str())),
            _ => false,
        }
    }
}

/// The condition "row is within scope" for a table with an area column and an organization id
/// column (the organization's own id for the organizations table).
pub fn area_or_org_condition<A, O>(scope: &Scope, area_col: A, org_col: O) -> Condition
where
    A: ColumnTrait,
    O: ColumnTrait,
{
    match scope {
        Scope::All => Condition::all(),
        Scope::Area { code, organization_id } => {
            let mut c = Condition::any().add(area_col.starts_with(code.as_str()));
            if let Some(org) = organization_id {
                c = c.add(org_col.eq(org.as_str()));
            }
            c
        }
        Scope::Organization(org) => Condition::all().add(org_col.eq(org.as_str())),
        Scope::Public => Condition::all().add(Expr::cust("1 = 0")),
    }
}
