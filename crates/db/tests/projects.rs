#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Projects on every backend: demo projects for all five programs, scope boundaries, a project
//! from a final award, and output progress computed from enrolments and visits.

use chrono::NaiveDate;
use db::applications::{ApplicationInput, ProposedOutput};
use db::projects::{EnrolInput, MemberInput, ProjectInput};
use db::{Actor, AppError, PageRequest};
use domain::delivery::VisitRule;
use domain::program::{Metric, OutputTarget, Period};
use domain::role::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// 2026-11-14 (Shanghai) in ms.
const NOW: i64 = 1_795_100_000_000;
const KEY: &str = "7465737420646174612b6b6579206f6620676f6e677969207465737473212121";

fn keys() -> db::crypto::Keys {
    db::crypto::Keys::from_hex(KEY).unwrap()
}

async fn each_demo_db(test: impl AsyncFn(&db::DatabaseConnection, &str)) {
    for t in db::testing::all_backends().await {
        let hash = db::passwords::hash_password("Demo-Pass-2026").unwrap();
        db::demo::load(&t.db, &hash, NOW, |_| {}).await.unwrap();
        db::demo_projects::load_people(&t.db, &keys(), NOW).await.unwrap();
        test(&t.db, t.backend).await;
        t.drop_database().await;
    }
}

async fn user_actor(db: &db::DatabaseConnection, username: &str) -> Actor {
    let u = db::entity::user::Entity::find()
        .filter(db::entity::user::Column::Username.eq(username))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    Actor {
        user_id: Some(u.id),
        username: u.username,
        role: Role::parse(&u.role).unwrap(),
        organization_id: u.organization_id,
        area_code: u.area_code,
        program_id: u.program_id,
    }
}

async fn org_actor(db: &db::DatabaseConnection, name: &str, role: Role) -> Actor {
    let org = db::organizations::find_by_name(db, name).await.unwrap().unwrap();
    Actor {
        // a stand-in user id of the id column's length (the organization's own id)
        user_id: Some(org.id.clone()),
        username: "x".into(),
        role,
        organization_id: Some(org.id),
        area_code: org.area_code,
        program_id: None,
    }
}

async fn program_id(db: &db::DatabaseConnection, code: &str) -> String {
    db::programs::get(db, None, code).await.unwrap().id
}

#[tokio::test]
async fn demo_has_projects_with_people_for_every_program() {
    each_demo_db(async |db, backend| {
        let admin = Actor::system();
        for code in ["hangzhou-2021", "fangshan-2020", "chongchuan-9", "qingtongxia-2023", "chengguan-2023"] {
            let projects = db::projects::of_program(db, &admin, &program_id(db, code).await).await.unwrap();
            assert!(!projects.is_empty(), "{backend}: {code} has no project");
            for p in &projects {
                assert!(!p.targets.is_empty(), "{backend}: {} has no targets", p.title);
                let people = db::projects::people(db, &admin, &p.id).await.unwrap();
                assert_eq!(people.len(), 20, "{backend}: {}", p.title);
            }
        }
        // the demo field worker works in the Hangzhou elder-visit project and in Qingtongxia
        let worker = user_actor(db, "worker").await;
        let mine = db::projects::list(db, &worker, &Default::default(), &PageRequest::default()).await.unwrap();
        let titles: Vec<&str> = mine.items.iter().map(|p| p.title.as_str()).collect();
        assert!(titles.iter().any(|t| t.contains("散居特困人员探访")), "{backend}: {titles:?}");
        assert!(titles.iter().any(|t| t.contains("怡园社区")), "{backend}: {titles:?}");
        assert!(!titles.iter().any(|t| t.contains("失能")), "{backend}: not a member of Fangshan");
    })
    .await;
}

#[tokio::test]
async fn out_of_scope_projects_are_not_found() {
    each_demo_db(async |db, backend| {
        let fangshan = db::projects::of_program(db, &Actor::system(), &program_id(db, "fangshan-2020").await)
            .await
            .unwrap()
            .remove(0);
        let other_org = org_actor(db, "示例·崇川区和美社会工作服务中心", Role::OrgAdmin).await;
        let worker = user_actor(db, "worker").await;
        let funder = user_actor(db, "funder").await; // Chongchuan funder
        for a in [&other_org, &worker, &funder] {
            let got = db::projects::get(db, a, &fangshan.id).await;
            assert!(matches!(got, Err(AppError::NotFound(_))), "{backend}: {} sees Fangshan", a.username);
            let people = db::projects::people(db, a, &fangshan.id).await;
            assert!(matches!(people, Err(AppError::NotFound(_))), "{backend}");
        }
        let owner = org_actor(db, "示例·房山区阳光社会工作事务所", Role::OrgStaff).await;
        let p = db::projects::get(db, &owner, &fangshan.id).await.unwrap();
        assert!(db::projects::may_record(&owner, &p));
        // the Chongchuan funder sees the Chongchuan project
        let cc = db::projects::of_program(db, &funder, &program_id(db, "chongchuan-9").await).await.unwrap();
        assert_eq!(cc.len(), 1, "{backend}");
        let e = db::projects::people(db, &Actor::system(), &fangshan.id).await.unwrap().remove(0);
        assert!(matches!(db::projects::enrolment(db, &worker, &e.id).await, Err(AppError::NotFound(_))));
    })
    .await;
}

#[tokio::test]
async fn a_final_award_becomes_a_project_with_the_proposed_outputs() {
    each_demo_db(async |db, backend| {
        let hemei = org_actor(db, "示例·崇川区和美社会工作服务中心", Role::OrgAdmin).await;
        let pid = program_id(db, "qingtongxia-2023").await;
        let items = db::programs::items(db, None, &pid).await.unwrap();
        let item = &items[0];
        let beneficiaries = item.item.outputs.iter().position(|o| o.metric == Metric::Beneficiaries).unwrap();
        let input = ApplicationInput {
            title: "示例·怡园社区老年关爱".into(),
            outputs: vec![ProposedOutput { index: beneficiaries as u32, quantity: 30 }],
            ..Default::default()
        };
        let app_id = db::applications::create(db, &hemei, &item.id, &input, NOW).await.unwrap();
        let award_id = db::new_id();
        db::entity::award::ActiveModel {
            id: Set(award_id.clone()),
            program_id: Set(pid.clone()),
            application_id: Set(app_id),
            organization_id: Set(hemei.organization_id.clone().unwrap()),
            call_item_id: Set(Some(item.id.clone())),
            track_code: Set(item.item.track.clone()),
            amount_fen: Set(10_000_000),
            status: Set("final".into()),
            notice_id: Set(String::new()),
            awarded_ms: Set(NOW),
        }
        .insert(db)
        .await
        .unwrap();
        // another organization's admin cannot
        let other = org_actor(db, "示例·房山区阳光社会工作事务所", Role::OrgAdmin).await;
        assert!(db::projects::create_from_award(db, &other, &award_id, NOW).await.is_err(), "{backend}");
        let id = db::projects::create_from_award(db, &hemei, &award_id, NOW).await.unwrap();
        let p = db::projects::get(db, &hemei, &id).await.unwrap();
        assert_eq!(p.title, "示例·怡园社区老年关爱");
        assert_eq!(p.targets.len(), item.item.outputs.len());
        assert_eq!(p.targets[beneficiaries].quantity, Some(30), "{backend}: the proposed quantity");
        assert_eq!(p.start_on, NaiveDate::from_ymd_opt(2023, 6, 1).unwrap());
        // once per award
        assert!(matches!(
            db::projects::create_from_award(db, &hemei, &award_id, NOW).await,
            Err(AppError::Conflict(_))
        ));
    })
    .await;
}

fn target(metric: Metric, quantity: u32, per_beneficiary: bool, period: Option<Period>) -> OutputTarget {
    OutputTarget {
        metric,
        description: String::new(),
        quantity: Some(quantity),
        quantity_max: None,
        unit: String::new(),
        per_beneficiary,
        period,
        min_per_year: None,
        within_days_of_start: None,
        min_members: None,
        min_sessions: None,
        min_months: None,
    }
}

#[tokio::test]
async fn progress_is_computed_from_enrolments_and_visits() {
    each_demo_db(async |db, backend| {
        let funder = user_actor(db, "funder").await;
        let hemei = db::organizations::find_by_name(db, "示例·崇川区和美社会工作服务中心").await.unwrap().unwrap();
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let input = ProjectInput {
            title: "示例·街道计划".into(),
            organization_id: hemei.id.clone(),
            program_id: Some(program_id(db, "chongchuan-9").await),
            call_item_id: None,
            area_code: "320613002".into(),
            start_on: start,
            end_on: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            targets: vec![
                target(Metric::Beneficiaries, 4, false, Some(Period::Project)),
                target(Metric::Visits, 3, false, Some(Period::Project)),
            ],
        };
        let id = db::projects::create(db, &funder, &input, NOW).await.unwrap();
        let staff = org_actor(db, "示例·崇川区和美社会工作服务中心", Role::OrgStaff).await;
        let m = db::projects::add_member(
            db,
            &staff,
            &id,
            &MemberInput {
                user_id: None, name: "示例·志愿者".into(), role: "volunteer".into(), phone: String::new()
            },
            NOW,
        )
        .await
        .unwrap();
        let hemei_people = db::projects::people(
            db,
            &Actor::system(),
            &db::projects::of_program(db, &Actor::system(), &program_id(db, "chongchuan-9").await).await.unwrap()[0].id,
        )
        .await
        .unwrap();
        let mut enrolments = Vec::new();
        for e in hemei_people.iter().take(2) {
            let input = EnrolInput {
                person_id: e.person_id.clone(),
                rule: VisitRule::Monthly,
                remote: false,
                worker_member_id: Some(m.id.clone()),
                enrolled_on: None,
                file_built_on: Some(start),
            };
            enrolments.push(db::projects::enrol(db, &staff, &id, &input, NOW).await.unwrap());
        }
        // a person of another organization: linked by resident ID only
        let rid = db::demo_projects::resident_id("330122", NaiveDate::from_ymd_opt(1940, 3, 3).unwrap(), 7).unwrap();
        let nuanyang = org_actor(db, "示例·桐庐县暖阳社会工作服务社", Role::OrgStaff).await;
        let other = db::persons::PersonInput {
            name: "示例·外机构老人".into(),
            resident_id: rid.clone(),
            area_code: Some("330122003".into()),
            ..Default::default()
        };
        db::persons::create(db, &nuanyang, &keys(), &other, NOW).await.unwrap();
        let link = EnrolInput {
            person_id: String::new(),
            rule: VisitRule::Monthly,
            remote: false,
            worker_member_id: None,
            enrolled_on: None,
            file_built_on: None,
        };
        assert!(db::persons::find_by_resident_id(db, &staff, &keys(), &rid).await.unwrap().is_none(), "out of scope");
        db::projects::link_by_resident_id(db, &staff, &keys(), &id, &rid, &link, NOW).await.unwrap();
        let unknown =
            db::demo_projects::resident_id("330122", NaiveDate::from_ymd_opt(1941, 3, 3).unwrap(), 9).unwrap();
        assert!(matches!(
            db::projects::link_by_resident_id(db, &staff, &keys(), &id, &unknown, &link, NOW).await,
            Err(AppError::Validation(_))
        ));

        // two counted visits and one rejected
        for (i, review) in ["ok", "confirmed", "rejected"].iter().enumerate() {
            let e = db::projects::enrolment(db, &staff, &enrolments[i % 2]).await.unwrap();
            db::entity::visit::ActiveModel {
                id: Set(db::new_id()),
                project_id: Set(id.clone()),
                project_person_id: Set(e.id.clone()),
                person_id: Set(e.person_id.clone()),
                worker_user_id: Set("w".into()),
                card_id: Set(None),
                channel: Set("home".into()),
                recorded_ms: Set(NOW),
                occurred_ms: Set(NOW - 86_400_000 * (i as i64 + 1)),
                lat_e6: Set(None),
                lng_e6: Set(None),
                accuracy_m: Set(None),
                photo_key: Set(None),
                services_json: Set("[]".into()),
                notes: Set(String::new()),
                duration_min: Set(30),
                anomalies_json: Set("[]".into()),
                review: Set((*review).into()),
                reviewed_by: Set(None),
                reviewed_ms: Set(None),
                review_note: Set(String::new()),
            }
            .insert(db)
            .await
            .unwrap();
        }
        db::visits::tally::rebuild_project(db, &id, NOW).await.unwrap();
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let pr = db::progress::project_progress(db, &staff, &id, as_of).await.unwrap();
        assert_eq!(pr.people, 3, "{backend}");
        assert_eq!(pr.targets[0].progress.value, 3, "{backend}: 3 people of 4");
        assert!(!pr.targets[0].progress.met);
        assert_eq!(pr.targets[1].progress.value, 2, "{backend}: the rejected visit does not count");
        assert_eq!(pr.targets[1].link.as_deref(), Some(format!("/projects/{id}/visits").as_str()));
        // the funder sees it in the program view; the Fangshan owner does not
        let all =
            db::progress::program_progress(db, &funder, &program_id(db, "chongchuan-9").await, as_of).await.unwrap();
        assert!(all.iter().any(|p| p.project.id == id), "{backend}");
        let outsider = org_actor(db, "示例·房山区阳光社会工作事务所", Role::OrgAdmin).await;
        assert!(
            db::progress::program_progress(db, &outsider, &program_id(db, "chongchuan-9").await, as_of)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}
