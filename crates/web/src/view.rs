//! What every page shares: the translator, the logged-in user, navigation by role,
//! breadcrumbs and the CSRF token for forms.

use domain::role::Role;

use crate::auth::Viewer;
use crate::i18n::Tr;

#[derive(Debug, Clone)]
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct Crumb {
    pub href: String,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct UserBadge {
    pub username: String,
    pub display_name: String,
    pub role_label: &'static str,
}

/// The layout's data.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub t: Tr,
    pub user: Option<UserBadge>,
    pub csrf: String,
    pub nav: Vec<NavLink>,
    pub crumbs: Vec<Crumb>,
    pub title: String,
    /// A one-line notice after a redirect ("已保存").
    pub flash: String,
    /// Unread notifications of the logged-in user.
    pub unread: u64,
}

impl Ctx {
    /// Build the layout for `viewer`; `section` marks the active navigation entry.
    pub fn new(viewer: &Viewer, section: &str, title: impl Into<String>) -> Ctx {
        let t = viewer.tr;
        let role = viewer.actor().map(|a| a.role);
        let nav = nav_for(role)
            .into_iter()
            .map(|(key, href, label_key)| NavLink { href, label: t.get(label_key), active: key == section })
            .collect();
        Ctx {
            t,
            user: viewer.session.as_ref().map(|s| UserBadge {
                username: s.user.username.clone(),
                display_name: s.user.display_name.clone(),
                role_label: t.get(role_key(Role::parse(&s.user.role).unwrap_or(Role::OrgStaff))),
            }),
            csrf: viewer.csrf().to_string(),
            nav,
            crumbs: Vec::new(),
            title: title.into(),
            flash: String::new(),
            unread: viewer.unread,
        }
    }

    pub fn crumb(mut self, href: impl Into<String>, label: impl Into<String>) -> Ctx {
        self.crumbs.push(Crumb { href: href.into(), label: label.into() });
        self
    }

    /// Show the notice named by `?ok=key` (catalog key under "flash.").
    pub fn flash_from(mut self, ok: Option<&str>) -> Ctx {
        if let Some(key) = ok.filter(|k| k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) {
            let full = format!("flash.{key}");
            let text = self.t.get(&full);
            self.flash = if text == full { String::new() } else { text.to_string() };
        }
        self
    }
}

pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::SysAdmin => "role.sys_admin",
        Role::FunderAdmin => "role.funder_admin",
        Role::CoFunder => "role.co_funder",
        Role::Operator => "role.operator",
        Role::AreaOfficer => "role.area_officer",
        Role::OrgAdmin => "role.org_admin",
        Role::OrgStaff => "role.org_staff",
        Role::FieldWorker => "role.field_worker",
        Role::Reviewer => "role.reviewer",
        Role::Evaluator => "role.evaluator",
    }
}

/// Navigation entries (section key, href, label key) a role sees.
fn nav_for(role: Option<Role>) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut v = vec![("calls", "/calls", "nav.calls"), ("notices", "/notices", "notices.nav")];
    let Some(role) = role else {
        return v;
    };
    v.insert(0, ("home", "/", "nav.home"));
    v.push(("programs", "/admin/programs", "nav.programs"));
    match role {
        Role::SysAdmin => {
            v.push(("organizations", "/admin/organizations", "nav.organizations"));
            v.push(("users", "/admin/users", "nav.users"));
            v.push(("areas", "/admin/areas", "nav.areas"));
            v.push(("calendar", "/admin/calendar", "nav.calendar"));
            v.push(("audit", "/admin/audit", "nav.audit"));
        }
        Role::FunderAdmin => {
            v.push(("organizations", "/admin/organizations", "nav.organizations"));
            v.push(("users", "/admin/users", "nav.users"));
            v.push(("areas", "/admin/areas", "nav.areas"));
        }
        Role::Operator | Role::AreaOfficer => {
            v.push(("organizations", "/admin/organizations", "nav.organizations"));
        }
        Role::OrgAdmin | Role::OrgStaff | Role::FieldWorker | Role::CoFunder | Role::Evaluator => {
            v.push(("organizations", "/admin/organizations", "nav.my_organization"));
        }
        Role::Reviewer => v.push(("review", "/review", "review.nav.queue")),
    }
    if matches!(
        role,
        Role::SysAdmin
            | Role::FunderAdmin
            | Role::CoFunder
            | Role::Operator
            | Role::AreaOfficer
            | Role::OrgAdmin
            | Role::OrgStaff
            | Role::FieldWorker
    ) {
        v.push(("persons", "/persons", "persons.nav"));
    }
    if role != Role::Reviewer {
        v.push(("projects", "/projects", "projects.nav"));
    }
    if matches!(role, Role::FieldWorker | Role::OrgStaff | Role::OrgAdmin) {
        v.insert(1, ("today", "/today", "visits.nav_today"));
    }
    match role {
        Role::OrgAdmin | Role::OrgStaff => v.push(("applications", "/applications", "nav.applications")),
        Role::SysAdmin | Role::FunderAdmin | Role::Operator => {
            v.push(("applications", "/applications", "nav.applications"));
            v.push(("screening", "/admin/screening", "nav.screening"));
            v.push(("review_admin", "/admin/review", "review.nav.panels"));
            v.push(("decision", "/decision", "decision.nav"));
        }
        _ => {}
    }
    v
}
