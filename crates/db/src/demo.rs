//! Demo data: the five programs exactly as their documents state them, the areas of the seed
//! counties, clearly fictitious organizations and one user per role. Loaded in one transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::ids::Uscc;
use domain::program::ProgramSpec;
use domain::role::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, PaginatorTrait, TransactionTrait};
use serde::Deserialize;

use crate::entity::{annual_inspection, organization, staff_member, user};
use crate::organizations::{OrganizationInput, StaffInput};
use crate::users::UserInput;
use crate::{Actor, AppError, AppResult, areas, calendar, db_err, new_id, programs};

/// The five programs of ../shared/seeds, as data.
pub const PROGRAM_FILES: [(&str, &str); 5] = [
    ("hangzhou_2021", include_str!("../demo/programs/hangzhou_2021.toml")),
    ("fangshan_2020", include_str!("../demo/programs/fangshan_2020.toml")),
    ("chongchuan_9", include_str!("../demo/programs/chongchuan_9.toml")),
    ("qingtongxia_2023", include_str!("../demo/programs/qingtongxia_2023.toml")),
    ("chengguan", include_str!("../demo/programs/chengguan.toml")),
];

const ORGANIZATIONS: &str = include_str!("../demo/organizations.toml");
const USERS: &str = include_str!("../demo/users.toml");

#[derive(Debug, Deserialize)]
struct OrgFile {
    organization: Vec<DemoOrg>,
}

#[derive(Debug, Deserialize)]
struct DemoOrg {
    key: String,
    #[serde(flatten)]
    input: OrganizationInput,
    #[serde(default)]
    inspections: Vec<(i32, bool)>,
    #[serde(default)]
    staff: Vec<StaffInput>,
}

#[derive(Debug, Deserialize)]
struct UserFile {
    user: Vec<DemoUser>,
}

#[derive(Debug, Deserialize)]
struct DemoUser {
    username: String,
    display_name: String,
    role: String,
    #[serde(default)]
    organization: Option<String>,
    #[serde(default)]
    area_code: Option<String>,
    /// Code of the program the user is scoped to.
    #[serde(default)]
    program: Option<String>,
}

/// The demo users (user name, role) as the README lists them.
pub fn demo_usernames() -> Vec<(String, String)> {
    toml::from_str::<UserFile>(USERS)
        .map(|f| f.user.into_iter().map(|u| (u.username, u.role)).collect())
        .unwrap_or_default()
}

/// Parse the five program files.
pub fn program_specs() -> AppResult<Vec<ProgramSpec>> {
    PROGRAM_FILES
        .iter()
        .map(|(name, text)| {
            ProgramSpec::from_toml(text).map_err(|e| AppError::Internal(format!("demo/programs/{name}.toml: {e}")))
        })
        .collect()
}

/// Whether the database has no users yet (a fresh installation).
pub async fn is_empty(db: &DatabaseConnection) -> AppResult<bool> {
    Ok(user::Entity::find().count(db).await.map_err(db_err)? == 0)
}

#[derive(Debug, Default, Clone)]
pub struct DemoReport {
    pub areas: usize,
    pub organizations: usize,
    pub programs: usize,
    pub call_items: usize,
    pub users: usize,
}

/// Load everything in one transaction. `password_hash` is the argon2id hash every demo user
/// gets (hashed once by the caller). `progress` hears each step's name.
pub async fn load(
    db: &DatabaseConnection,
    password_hash: &str,
    now_ms: i64,
    mut progress: impl FnMut(&str),
) -> AppResult<DemoReport> {
    let actor = Actor::system();
    let specs = program_specs()?;
    let orgs: OrgFile =
        toml::from_str(ORGANIZATIONS).map_err(|e| AppError::Internal(format!("demo/organizations.toml: {e}")))?;
    let users: UserFile = toml::from_str(USERS).map_err(|e| AppError::Internal(format!("demo/users.toml: {e}")))?;
    let txn = db.begin().await.map_err(db_err)?;
    let mut report = DemoReport::default();

    progress("区划 areas");
    calendar::seed_official(&txn, now_ms).await?;
    report.areas = areas::load(&txn, &areas::seed_county_rows(), |_, _| {}).await?;

    progress("组织 organizations");
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut by_name: HashMap<String, String> = HashMap::new();
    for o in &orgs.organization {
        let mut input = o.input.clone();
        if input.uscc.len() == 17 {
            let check =
                Uscc::check_char(&input.uscc).ok_or_else(|| AppError::Internal(format!("demo uscc {}", input.uscc)))?;
            input.uscc.push(check);
        }
        let org = crate::organizations::create(&txn, &actor, &input, now_ms).await?;
        for (year, passed) in &o.inspections {
            annual_inspection::ActiveModel {
                id: Set(new_id()),
                organization_id: Set(org.id.clone()),
                year: Set(*year),
                passed: Set(*passed),
                note: Set(String::new()),
            }
            .insert(&txn)
            .await
            .map_err(db_err)?;
        }
        for s in &o.staff {
            staff_member::ActiveModel {
                id: Set(new_id()),
                organization_id: Set(org.id.clone()),
                name: Set(s.name.clone()),
                position: Set(s.position.clone()),
                certificate_level: Set(s.certificate_level.clone()),
                certificate_no: Set(s.certificate_no.clone()),
                full_time: Set(s.full_time),
                created_ms: Set(now_ms),
            }
            .insert(&txn)
            .await
            .map_err(db_err)?;
        }
        by_name.insert(org.name.clone(), org.id.clone());
        ids.insert(o.key.clone(), org.id);
        report.organizations += 1;
    }

    progress("计划 programs");
    let mut program_ids: HashMap<String, String> = HashMap::new();
    for spec in &specs {
        let funder_id = match by_name.get(&spec.funder) {
            Some(id) => id.clone(),
            None => {
                let input = OrganizationInput {
                    kind: "funder".into(),
                    name: spec.funder.clone(),
                    area_code: Some(spec.area_code.clone()),
                    ..Default::default()
                };
                let org = crate::organizations::create(&txn, &actor, &input, now_ms).await?;
                by_name.insert(org.name.clone(), org.id.clone());
                report.organizations += 1;
                org.id
            }
        };
        let operator = spec.operator.as_ref().and_then(|name| by_name.get(name).cloned());
        let pid = programs::insert_spec(&txn, &actor, spec, &funder_id, operator, now_ms).await?;
        program_ids.insert(spec.code.clone(), pid);
        report.programs += 1;
        report.call_items += spec.items.len();
    }

    progress("用户 users");
    for u in &users.user {
        let role = Role::parse(&u.role).ok_or_else(|| AppError::Internal(format!("demo role {}", u.role)))?;
        let input = UserInput {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.clone(),
            organization_id: u.organization.as_ref().and_then(|k| ids.get(k).cloned()),
            area_code: u.area_code.clone(),
            program_id: u.program.as_ref().and_then(|c| program_ids.get(c).cloned()),
            password: None,
            active: Some(true),
        };
        crate::users::insert_with_hash(&txn, &actor, &input, role, password_hash.to_string(), now_ms).await?;
        report.users += 1;
    }
    report.users += crate::review::load_demo_experts(&txn, &ids, password_hash, now_ms).await?;
    progress("申报书 applications");
    crate::demo_applications::load(&txn).await?;
    crate::demo_projects::load(&txn, &ids, &program_ids, now_ms).await?;
    txn.commit().await.map_err(db_err)?;
    Ok(report)
}

/// Unused-date guard for the TOML files (a date before 1990 is a typo).
pub fn plausible(date: NaiveDate) -> bool {
    date.format("%Y").to_string().as_str() >= "1990"
}

/// The organization row of a demo key, for tests.
pub async fn organization_by_name(db: &DatabaseConnection, name: &str) -> AppResult<Option<organization::Model>> {
    crate::organizations::find_by_name(db, name).await
}
