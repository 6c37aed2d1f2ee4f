#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]
//! A project of 示例·崇川区和美社会工作服务中心 with the demo worker (social worker, paired with
//! every person) and orgstaff (lead) on the team and people living in 和平桥街道, each with a
//! registered home location. Shared by the visit tests and the check-in benchmark.

use chrono::NaiveDate;
use db::crypto::Keys;
use db::entity::{person, project, project_member, project_person, user};
use db::{Actor, DatabaseConnection};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// 2026-11-22 10:00 Asia/Shanghai.
pub const NOW: i64 = 1_795_312_800_000;
pub const MIN: i64 = 60_000;
/// The home of person i is at (HOME_LAT + i/1000, HOME_LNG).
pub const HOME_LAT: f64 = 32.01;
pub const HOME_LNG: f64 = 120.86;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn keys() -> Keys {
    Keys::from_bytes(&[9u8; 32])
}

pub struct Fixture {
    pub project: String,
    /// (person id, project-person id)
    pub people: Vec<(String, String)>,
    pub worker: Actor,
    pub lead: Actor,
    pub orgadmin: Actor,
    /// A field worker of the same organization who is not on the team.
    pub outsider: Actor,
}

pub async fn user_actor(db: &DatabaseConnection, username: &str) -> Actor {
    let u = user::Entity::find().filter(user::Column::Username.eq(username)).one(db).await.unwrap().unwrap();
    db::auth::actor_of(&u)
}

pub async fn fixture(db: &DatabaseConnection, n: usize) -> Fixture {
    let hash = db::passwords::hash_password("Demo-Pass-2026").unwrap();
    db::demo::load(db, &hash, NOW, |_| {}).await.unwrap();
    let worker = user_actor(db, "worker").await;
    let lead = user_actor(db, "orgstaff").await;
    let orgadmin = user_actor(db, "orgadmin").await;
    let hemei = worker.organization_id.clone().unwrap();
    let mut outsider = worker.clone();
    outsider.user_id = Some("no-such-user".into());
    outsider.username = "outsider".into();
    let project = db::new_id();
    project::ActiveModel {
        id: Set(project.clone()),
        program_id: Set(None),
        call_item_id: Set(None),
        award_id: Set(None),
        organization_id: Set(hemei.clone()),
        title: Set("和平桥街道特困老人探访服务".into()),
        area_code: Set("320613002".into()),
        start_on: Set(d(2026, 1, 1)),
        end_on: Set(d(2026, 12, 31)),
        targets_json: Set("[]".into()),
        status: Set("active".into()),
        created_ms: Set(NOW),
        updated_ms: Set(NOW),
    }
    .insert(db)
    .await
    .unwrap();
    let mut worker_member = String::new();
    for (who, role, phone) in [(&worker, "social_worker", "13800000001"), (&lead, "lead", "13800000002")] {
        let id = db::new_id();
        project_member::ActiveModel {
            id: Set(id.clone()),
            project_id: Set(project.clone()),
            user_id: Set(who.user_id.clone()),
            name: Set(who.username.clone()),
            role: Set(role.into()),
            phone: Set(phone.into()),
            created_ms: Set(NOW),
        }
        .insert(db)
        .await
        .unwrap();
        if role == "social_worker" {
            worker_member = id;
        }
    }
    let k = keys();
    let mut people = Vec::new();
    for i in 0..n {
        let id = db::new_id();
        person::ActiveModel {
            id: Set(id.clone()),
            organization_id: Set(hemei.clone()),
            household_id: Set(None),
            name: Set(format!("张{i}英")),
            gender: Set("female".into()),
            birth_date: Set(d(1940, 1, 1)),
            resident_id_enc: Set(k.encrypt("x")),
            resident_id_hash: Set(format!("hash-{id}")),
            phone_enc: Set(None),
            address: Set("和平桥街道".into()),
            area_code: Set(Some("320613002".into())),
            categories_json: Set("[]".into()),
            care_level: Set(String::new()),
            consent_on: Set(None),
            created_ms: Set(NOW),
            updated_ms: Set(NOW),
            lat_e6: Set(Some(((HOME_LAT + i as f64 / 1000.0) * 1e6) as i64)),
            lng_e6: Set(Some((HOME_LNG * 1e6) as i64)),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        let pp = db::new_id();
        project_person::ActiveModel {
            id: Set(pp.clone()),
            project_id: Set(project.clone()),
            person_id: Set(id.clone()),
            worker_member_id: Set(Some(worker_member.clone())),
            visit_rule_json: Set("{\"kind\":\"monthly\"}".into()),
            remote: Set(false),
            enrolled_on: Set(d(2026, 1, 1)),
            left_on: Set(None),
            file_built_on: Set(None),
            created_ms: Set(NOW),
        }
        .insert(db)
        .await
        .unwrap();
        people.push((id, pp));
    }
    Fixture { project, people, worker, lead, orgadmin, outsider }
}

/// A clean home visit at person `i`'s home, 30 minutes, now.
pub fn at_home(i: usize) -> db::visits::CheckIn {
    db::visits::CheckIn {
        channel: domain::delivery::Channel::Home,
        occurred_ms: None,
        lat: Some(HOME_LAT + i as f64 / 1000.0),
        lng: Some(HOME_LNG),
        accuracy_m: Some(20.0),
        duration_min: 30,
        services: vec!["companionship".into()],
        notes: "精神状态良好".into(),
        photo_key: None,
    }
}
