//! Roles (角色) of PRODUCT.md.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// System administrator: manages users, areas and everything.
    SysAdmin,
    FunderAdmin,
    CoFunder,
    Operator,
    AreaOfficer,
    OrgAdmin,
    OrgStaff,
    FieldWorker,
    Reviewer,
    Evaluator,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::SysAdmin,
        Role::FunderAdmin,
        Role::CoFunder,
        Role::Operator,
        Role::AreaOfficer,
        Role::OrgAdmin,
        Role::OrgStaff,
        Role::FieldWorker,
        Role::Reviewer,
        Role::Evaluator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::SysAdmin => "sys_admin",
            Role::FunderAdmin => "funder_admin",
            Role::CoFunder => "co_funder",
            Role::Operator => "operator",
            Role::AreaOfficer => "area_officer",
            Role::OrgAdmin => "org_admin",
            Role::OrgStaff => "org_staff",
            Role::FieldWorker => "field_worker",
            Role::Reviewer => "reviewer",
            Role::Evaluator => "evaluator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// May manage programs and call items of the funder's jurisdiction.
    pub fn manages_programs(self) -> bool {
        matches!(self, Role::SysAdmin | Role::FunderAdmin)
    }

    /// May manage users, areas and all organizations.
    pub fn is_admin(self) -> bool {
        matches!(self, Role::SysAdmin)
    }

    /// Bound to one organization: sees only that organization's records.
    pub fn is_org_bound(self) -> bool {
        matches!(
            self,
            Role::OrgAdmin | Role::OrgStaff | Role::FieldWorker | Role::Evaluator | Role::CoFunder | Role::Operator
        )
    }
}
