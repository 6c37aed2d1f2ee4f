//! Demo projects: one or two projects per demo program, run by the fictitious 示例 organizations,
//! with output targets from their call items, a team (the demo `worker` is a member of the
//! Hangzhou elder-visit project and a Qingtongxia project) and ~20 fictitious beneficiaries each.
//! Periods are set around the load day so the demo's outputs move when visits are recorded.
//!
//! Projects and teams are loaded with the rest of the demo (`load`); the beneficiaries need the
//! data key to encrypt their resident IDs, so they come in a second step (`load_people`).

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use domain::delivery::VisitRule;
use domain::ids::ResidentId;
use domain::program::{Metric, OutputTarget, Period};
use domain::role::Role;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

use crate::crypto::Keys;
use crate::entity::{call_item, project, project_member, project_person, user};
use crate::persons::PersonInput;
use crate::projects::rule_from_code;
use crate::{Actor, AppError, AppResult, db_err, new_id};

/// (program code, organization key, call item code, rule, worker is a member, elders or children)
const PLAN: [(&str, &str, &str, &str, bool, bool); 7] = [
    ("hangzhou-2021", "nuanyang", "2021C1001E", "weekly", true, true),
    ("hangzhou-2021", "nuanyang", "2021B1001D", "monthly", false, true),
    ("fangshan-2020", "yangguang", "2-2", "monthly", false, true),
    ("chongchuan-9", "hemei", "D07", "monthly", true, true),
    ("qingtongxia-2023", "tongxin", "1", "monthly", true, true),
    ("qingtongxia-2023", "tongxin", "2", "by_risk", false, false),
    ("chengguan-2023", "shanxing", "包1", "monthly", false, true),
];

const PEOPLE_PER_PROJECT: u32 = 20;
const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: [&str; 10] = ["秀英", "桂兰", "建国", "玉珍", "德福", "淑芬", "志强", "凤英", "长生", "小雨"];

/// Targets for an item that lists none (Fangshan guides, Chengguan lots): people served and a
/// monthly visit each.
fn fallback_targets() -> Vec<OutputTarget> {
    let t = |metric, quantity, per_beneficiary, period, unit: &str, description: &str| OutputTarget {
        metric,
        description: description.into(),
        quantity: Some(quantity),
        quantity_max: None,
        unit: unit.into(),
        per_beneficiary,
        period,
        min_per_year: None,
        within_days_of_start: None,
        min_members: None,
        min_sessions: None,
        min_months: None,
    };
    vec![
        t(Metric::Beneficiaries, 20, false, Some(Period::Project), "人", "示例：服务对象不少于20人"),
        t(Metric::Visits, 1, true, Some(Period::Month), "次", "示例：每月上门探访每位服务对象至少1次"),
    ]
}

/// The project period: from the first day of the month before `today`, one year.
fn period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = today.with_day(1).unwrap_or(today);
    let start = (first - Duration::days(1)).with_day(1).unwrap_or(first);
    let end = start.with_year(start.year() + 1).and_then(|d| d.pred_opt()).unwrap_or(start);
    (start, end)
}

/// Create the demo projects and their teams (inside the demo transaction).
pub async fn load<C: ConnectionTrait>(
    db: &C,
    org_ids: &HashMap<String, String>,
    program_ids: &HashMap<String, String>,
    now_ms: i64,
) -> AppResult<usize> {
    let today = crate::visits::local_date(now_ms);
    let (start_on, end_on) = period(today);
    let worker = user::Entity::find().filter(user::Column::Username.eq("worker")).one(db).await.map_err(db_err)?;
    let mut n = 0;
    for (program, org_key, item_code, _, with_worker, _) in PLAN {
        let (Some(pid), Some(org)) = (program_ids.get(program), org_ids.get(org_key)) else { continue };
        let item = call_item::Entity::find()
            .filter(call_item::Column::ProgramId.eq(pid.as_str()))
            .filter(call_item::Column::Code.eq(item_code))
            .one(db)
            .await
            .map_err(db_err)?
            .ok_or_else(|| AppError::Internal(format!("demo item {program} {item_code}")))?;
        let mut targets: Vec<OutputTarget> = serde_json::from_str(&item.outputs_json).unwrap_or_default();
        if targets.is_empty() {
            targets = fallback_targets();
        }
        let places: Vec<String> = serde_json::from_str(&item.place_codes_json).unwrap_or_default();
        let area = places.into_iter().find(|c| c.len() >= 9).unwrap_or_else(|| item.place_codes_json.clone());
        let area = if area.len() >= 9 && area.chars().all(|c| c.is_ascii_digit()) { area } else { String::new() };
        let org_area = crate::entity::organization::Entity::find_by_id(org.as_str())
            .one(db)
            .await
            .map_err(db_err)?
            .and_then(|o| o.area_code)
            .unwrap_or_default();
        let id = new_id();
        project::ActiveModel {
            id: Set(id.clone()),
            program_id: Set(Some(pid.clone())),
            call_item_id: Set(Some(item.id.clone())),
            award_id: Set(None),
            organization_id: Set(org.clone()),
            title: Set(format!("示例·{}", item.name)),
            area_code: Set(if area.is_empty() { org_area } else { area }),
            start_on: Set(start_on),
            end_on: Set(end_on),
            targets_json: Set(crate::projects::to_json(&targets)),
            status: Set("active".into()),
            created_ms: Set(now_ms),
            updated_ms: Set(now_ms),
        }
        .insert(db)
        .await
        .map_err(db_err)?;
        let mut team: Vec<(Option<String>, String, &str, String)> = vec![
            (None, "示例·项目主管".into(), "lead", "13800000001".into()),
            (None, "示例·督导老师".into(), "supervisor", "13800000002".into()),
            (None, "示例·志愿者小林".into(), "volunteer", String::new()),
        ];
        if with_worker && let Some(w) = &worker {
            team.insert(1, (Some(w.id.clone()), w.display_name.clone(), "social_worker", "13800000003".into()));
        }
        for (user_id, name, role, phone) in team {
            project_member::ActiveModel {
                id: Set(new_id()),
                project_id: Set(id.clone()),
                user_id: Set(user_id),
                name: Set(name),
                role: Set(role.into()),
                phone: Set(phone),
                created_ms: Set(now_ms),
            }
            .insert(db)
            .await
            .map_err(db_err)?;
        }
        n += 1;
    }
    Ok(n)
}

/// The staff actor the demo writes an organization's records as (audited as "demo").
pub fn demo_actor(organization_id: &str) -> Actor {
    Actor {
        user_id: None,
        username: "demo".into(),
        role: Role::OrgStaff,
        organization_id: Some(organization_id.to_string()),
        area_code: None,
        program_id: None,
    }
}

/// A valid resident ID: area, birth date, sequence (odd = male), check digit.
pub fn resident_id(area6: &str, birth: NaiveDate, seq: u32) -> Option<String> {
    let first17 = format!("{area6}{}{:03}", birth.format("%Y%m%d"), seq % 1000);
    "0123456789X".chars().map(|c| format!("{first17}{c}")).find(|s| ResidentId::parse(s).is_ok())
}

/// Register ~20 fictitious beneficiaries per demo project and enrol them (once: projects that
/// already have people are skipped). Needs the data key.
pub async fn load_people(db: &sea_orm::DatabaseConnection, keys: &Keys, now_ms: i64) -> AppResult<usize> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await.map_err(db_err)?;
    let projects =
        project::Entity::find().filter(project::Column::Title.starts_with("示例·")).all(&txn).await.map_err(db_err)?;
    let mut created = 0;
    for (pi, p) in projects.iter().enumerate() {
        let have = project_person::Entity::find()
            .filter(project_person::Column::ProjectId.eq(p.id.as_str()))
            .count(&txn)
            .await
            .map_err(db_err)?;
        if have > 0 {
            continue;
        }
        let item = match &p.call_item_id {
            Some(i) => call_item::Entity::find_by_id(i.as_str()).one(&txn).await.map_err(db_err)?,
            None => None,
        };
        let Some(plan) = item.and_then(|i| PLAN.iter().find(|x| x.2 == i.code)) else { continue };
        let elders = plan.5;
        let rule = rule_from_code(plan.3).unwrap_or(VisitRule::Monthly);
        let members = project_member::Entity::find()
            .filter(project_member::Column::ProjectId.eq(p.id.as_str()))
            .all(&txn)
            .await
            .map_err(db_err)?;
        let worker = members.iter().find(|m| m.role == "social_worker").or_else(|| members.first());
        let actor = crate::demo_projects::demo_actor(&p.organization_id);
        let area6: String = p.area_code.chars().take(6).collect();
        for i in 0..PEOPLE_PER_PROJECT {
            let year = if elders { 1938 + (i % 17) as i32 } else { 2011 + (i % 8) as i32 };
            let birth = NaiveDate::from_ymd_opt(year, 1 + i % 12, 1 + (i * 7) % 28).unwrap_or_default();
            let seq = 100 + (pi as u32) * PEOPLE_PER_PROJECT + i;
            let Some(rid) = resident_id(&area6, birth, seq) else { continue };
            let name = format!(
                "示例·{}{}",
                SURNAMES[(i as usize + pi) % SURNAMES.len()],
                GIVEN[(i as usize * 3 + pi) % GIVEN.len()]
            );
            let categories = if elders {
                vec![if i % 3 == 0 { "extreme_poverty" } else { "living_alone" }.to_string()]
            } else {
                vec!["child_in_difficulty".to_string()]
            };
            let input = PersonInput {
                name,
                resident_id: rid,
                phone: Some(format!("139{:08}", 10_000 + seq)),
                address: "示例地址（虚构）".into(),
                area_code: Some(p.area_code.clone()),
                categories,
                care_level: if elders { "intact".into() } else { String::new() },
                consent_on: Some(p.start_on),
                household_id: None,
            };
            let person = crate::persons::create(&txn, &actor, keys, &input, now_ms).await?;
            project_person::ActiveModel {
                id: Set(new_id()),
                project_id: Set(p.id.clone()),
                person_id: Set(person.id),
                worker_member_id: Set(worker.map(|w| w.id.clone())),
                visit_rule_json: Set(crate::projects::to_json(&rule)),
                // two people of the weekly Hangzhou project live away: weekly phone contact
                remote: Set(matches!(rule, VisitRule::Weekly) && i >= PEOPLE_PER_PROJECT - 2),
                enrolled_on: Set(p.start_on),
                left_on: Set(None),
                file_built_on: Set(if i < 15 {
                    p.start_on.checked_add_signed(Duration::days(i64::from(i)))
                } else {
                    None
                }),
                created_ms: Set(now_ms),
            }
            .insert(&txn)
            .await
            .map_err(db_err)?;
            created += 1;
        }
    }
    txn.commit().await.map_err(db_err)?;
    Ok(created)
}

/// Everything of the demo that needs the data key, after `demo::load`: the beneficiaries and
/// their files (households, assessments, risk grades), then their records (services, cases,
/// groups, activities …) and a few weeks of visits.
pub async fn load_records(db: &sea_orm::DatabaseConnection, keys: &Keys, now_ms: i64) -> AppResult<usize> {
    let people = load_people(db, keys, now_ms).await? + crate::demo_registry::load(db, now_ms).await?;
    let records = crate::services::demo::load(db, keys, now_ms).await?;
    let visits = crate::visits::demo::load(db, now_ms).await?;
    Ok(people + records + visits)
}
