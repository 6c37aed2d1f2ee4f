#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Services and professional work on every backend: each kind creates and lists, the facts for
//! output progress (group minimums, pass rate, supervision minutes, cases open six months),
//! the public activity sign-in, and scope through the project.

use chrono::NaiveDate;
use db::crypto::Keys;
use db::services::{activities, cases, groups, records, supervision, trainings, volunteers};
use db::{Actor, AppError, PageRequest};
use domain::delivery::DeliveryFacts;
use domain::role::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

/// 2026-11-22 10:00 Asia/Shanghai.
const NOW: i64 = 1_795_312_800_000;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn keys() -> Keys {
    Keys::from_bytes(&[9u8; 32])
}

struct Fixture {
    project: String,
    people: Vec<String>,
    staff: Actor,
    outsider: Actor,
}

fn actor(role: Role, org: &str) -> Actor {
    Actor {
        // a stand-in user id of the id column's length (the organization's own id)
        user_id: Some(org.to_string()),
        username: "tester".into(),
        role,
        organization_id: Some(org.into()),
        area_code: None,
        program_id: None,
    }
}

async fn fixture(db: &db::DatabaseConnection) -> Fixture {
    let hash = db::passwords::hash_password("Demo-Pass-2026").unwrap();
    db::demo::load(db, &hash, NOW, |_| {}).await.unwrap();
    let hemei = db::organizations::find_by_name(db, "示例·崇川区和美社会工作服务中心").await.unwrap().unwrap().id;
    let other = db::organizations::find_by_name(db, "示例·崇川区邻里互助服务社").await.unwrap().unwrap().id;
    let project = db::new_id();
    db::entity::project::ActiveModel {
        id: Set(project.clone()),
        program_id: Set(None),
        call_item_id: Set(None),
        award_id: Set(None),
        organization_id: Set(hemei.clone()),
        title: Set("和平桥街道居家老人关爱服务".into()),
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
    let k = keys();
    let mut people = Vec::new();
    for i in 0..10 {
        let id = db::new_id();
        db::entity::person::ActiveModel {
            id: Set(id.clone()),
            organization_id: Set(hemei.clone()),
            household_id: Set(None),
            name: Set(format!("老人{i}")),
            gender: Set("female".into()),
            birth_date: Set(d(1940, 1, 1)),
            resident_id_enc: Set(k.encrypt("x")),
            resident_id_hash: Set(format!("hash-{i}-{id}")),
            phone_enc: Set(None),
            address: Set(String::new()),
            area_code: Set(Some("320613002".into())),
            categories_json: Set("[]".into()),
            care_level: Set(String::new()),
            consent_on: Set(None),
            created_ms: Set(NOW),
            updated_ms: Set(NOW),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        db::entity::project_person::ActiveModel {
            id: Set(db::new_id()),
            project_id: Set(project.clone()),
            person_id: Set(id.clone()),
            worker_member_id: Set(None),
            visit_rule_json: Set("\"monthly\"".into()),
            remote: Set(false),
            enrolled_on: Set(d(2026, 1, 1)),
            left_on: Set(None),
            file_built_on: Set(None),
            created_ms: Set(NOW),
        }
        .insert(db)
        .await
        .unwrap();
        people.push(id);
    }
    Fixture { project, people, staff: actor(Role::OrgStaff, &hemei), outsider: actor(Role::OrgStaff, &other) }
}

async fn each(test: impl AsyncFn(&db::DatabaseConnection, Fixture, &str)) {
    for t in db::testing::all_backends().await {
        let f = fixture(&t.db).await;
        test(&t.db, f, t.backend).await;
        t.drop_database().await;
    }
}

fn page() -> PageRequest {
    PageRequest::default()
}

/// An output target from its metric and numbers (quantity, min_months …).
fn target(metric: &str, numbers: &[(&str, u32)]) -> domain::program::OutputTarget {
    let mut v = serde_json::json!({ "metric": metric, "description": "" });
    for (k, n) in numbers {
        v[*k] = serde_json::json!(n);
    }
    serde_json::from_value(v).unwrap()
}

async fn facts(db: &db::DatabaseConnection, project: &str) -> DeliveryFacts {
    let mut f = DeliveryFacts::default();
    db::services::add_facts(db, project, &mut f, d(2026, 11, 22)).await.unwrap();
    f
}

#[tokio::test]
async fn service_records_create_list_and_refuse_people_outside_the_project() {
    each(async |db, f, backend| {
        let input = records::ServiceRecordInput {
            service_type: "bathing".into(),
            served_on: Some(d(2026, 11, 20)),
            person_ids: vec![f.people[0].clone(), f.people[1].clone()],
            minutes: 90,
            notes: "协助洗浴，检查皮肤".into(),
            ..Default::default()
        };
        let r = records::create(db, &f.staff, &f.project, &input, NOW).await.unwrap();
        assert_eq!(r.service_type_name, "助浴", "{backend}");
        assert_eq!(r.people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["老人0", "老人1"]);
        let list = records::list(db, &f.staff, &f.project, &Default::default(), &page()).await.unwrap();
        assert_eq!(list.items.len(), 1, "{backend}");
        let only_p1 = records::RecordFilter { person_id: Some(f.people[1].clone()), service_type: None };
        assert_eq!(records::list(db, &f.staff, &f.project, &only_p1, &page()).await.unwrap().items.len(), 1);
        let only_p5 = records::RecordFilter { person_id: Some(f.people[5].clone()), service_type: None };
        assert!(records::list(db, &f.staff, &f.project, &only_p5, &page()).await.unwrap().items.is_empty());

        // an unknown type, a future date and a stranger are each named
        let bad = records::ServiceRecordInput {
            service_type: "massage".into(),
            served_on: Some(d(2026, 12, 1)),
            person_ids: vec!["not-enrolled".into()],
            ..Default::default()
        };
        let err = records::create(db, &f.staff, &f.project, &bad, NOW).await.unwrap_err();
        let fields: Vec<_> = err.field_errors().iter().map(|e| e.field.clone()).collect();
        assert_eq!(fields, ["service_type", "served_on", "person_ids"], "{backend}");

        // another organization sees neither the project nor the record
        let err = records::list(db, &f.outsider, &f.project, &Default::default(), &page()).await.unwrap_err();
        assert!(matches!(err, AppError::NotFound(_)), "{backend}");
        let err = records::get(db, &f.outsider, &f.project, &r.id).await.unwrap_err();
        assert!(matches!(err, AppError::NotFound(_)), "{backend}");
        let err = records::create(db, &f.outsider, &f.project, &input, NOW).await.unwrap_err();
        assert!(matches!(err, AppError::NotFound(_)), "{backend}");
        assert_eq!(facts(db, &f.project).await.service_records, vec![d(2026, 11, 20)], "{backend}");
    })
    .await;
}

#[tokio::test]
async fn a_case_goes_through_its_stages_and_counts_six_months() {
    each(async |db, f, backend| {
        let input = cases::CaseInput {
            person_id: f.people[2].clone(),
            title: "独居老人情绪低落".into(),
            opened_on: Some(d(2026, 3, 10)),
            summary: "社区转介".into(),
            ..Default::default()
        };
        let c = cases::create(db, &f.staff, &f.project, &input, NOW).await.unwrap();
        assert_eq!((c.stage.as_str(), c.months, c.six_months), ("intake", 8, true), "{backend}");
        let plan = cases::EntryInput {
            stage: "plan".into(),
            entry_on: Some(d(2026, 3, 20)),
            summary: "计划".into(),
            goals: vec![],
        };
        let err = cases::add_entry(db, &f.staff, &f.project, &c.id, &plan, NOW).await.unwrap_err();
        assert_eq!(err.field_errors()[0].field, "goals", "{backend}: a plan needs a goal");
        let plan = cases::EntryInput { goals: vec!["每周外出一次".into()], ..plan };
        cases::add_entry(db, &f.staff, &f.project, &c.id, &plan, NOW).await.unwrap();
        let close = cases::EntryInput {
            stage: "closure".into(),
            entry_on: Some(d(2026, 8, 1)),
            summary: "目标达成".into(),
            goals: vec![],
        };
        cases::add_entry(db, &f.staff, &f.project, &c.id, &close, NOW).await.unwrap();
        let (view, entries) = cases::get(db, &f.staff, &f.project, &c.id, NOW).await.unwrap();
        assert_eq!(view.closed_on, Some(d(2026, 8, 1)), "{backend}");
        assert_eq!((view.months, view.six_months), (4, false), "{backend}: closed after four months");
        assert_eq!(entries.iter().map(|e| e.stage.as_str()).collect::<Vec<_>>(), ["intake", "plan", "closure"]);
        assert_eq!(entries[1].goals, ["每周外出一次"]);
        let err = cases::add_entry(db, &f.staff, &f.project, &c.id, &plan, NOW).await.unwrap_err();
        assert!(err.to_string().contains("已结案") || err.field_errors()[0].message.contains("已结案"), "{backend}");

        // a second case, still open since January: more than six months
        let open = cases::CaseInput { opened_on: Some(d(2026, 1, 15)), person_id: f.people[3].clone(), ..input };
        cases::create(db, &f.staff, &f.project, &open, NOW).await.unwrap();
        assert_eq!(cases::list(db, &f.staff, &f.project, None, &page(), NOW).await.unwrap().items.len(), 2);
        let facts = facts(db, &f.project).await;
        let mut got: Vec<_> = facts.cases.iter().map(|c| (c.opened_on, c.closed_on)).collect();
        got.sort();
        assert_eq!(got, [(d(2026, 1, 15), None), (d(2026, 3, 10), Some(d(2026, 8, 1)))], "{backend}");
        let target = target("cases", &[("quantity", 1), ("min_months", 6)]);
        let span = domain::delivery::DateSpan::new(d(2026, 1, 1), d(2026, 12, 31)).unwrap();
        let p = domain::delivery::progress(&target, span, d(2026, 11, 22), &facts);
        assert_eq!((p.value, p.met), (1, true), "{backend}: only the open case has run six months");
    })
    .await;
}

#[tokio::test]
async fn a_group_of_eight_with_four_sessions_counts() {
    each(async |db, f, backend| {
        let input = groups::GroupInput {
            title: "长者健康互助小组".into(),
            person_ids: f.people[..6].to_vec(),
            names: vec!["王阿姨".into(), "李大伯".into()],
            ..Default::default()
        };
        let g = groups::create(db, &f.staff, &f.project, &input, NOW).await.unwrap();
        assert_eq!(g.members, 8, "{backend}");
        let (_, members, _) = groups::get(db, &f.staff, &f.project, &g.id).await.unwrap();
        for i in 0..4 {
            let s = groups::SessionInput {
                held_on: Some(d(2026, 9, 1 + i * 7)),
                topic: format!("第{}次活动", i + 1),
                present: members.iter().take(5 + i as usize).map(|m| m.id.clone()).collect(),
                notes: String::new(),
            };
            let v = groups::add_session(db, &f.staff, &f.project, &g.id, &s, NOW).await.unwrap();
            assert_eq!(v.attendance, 5 + i, "{backend}");
        }
        let listed = groups::list(db, &f.staff, &f.project, &page()).await.unwrap();
        assert!(listed.items[0].meets_minimum, "{backend}");
        let facts = facts(db, &f.project).await;
        assert_eq!(facts.groups.len(), 1);
        assert_eq!((facts.groups[0].members, facts.groups[0].sessions.len()), (8, 4), "{backend}");
        let target = target("groups", &[("quantity", 1), ("min_members", 8), ("min_sessions", 4)]);
        let span = domain::delivery::DateSpan::new(d(2026, 1, 1), d(2026, 12, 31)).unwrap();
        assert!(domain::delivery::progress(&target, span, d(2026, 11, 22), &facts).met, "{backend}");
        let err = groups::get(db, &f.outsider, &f.project, &g.id).await.unwrap_err();
        assert!(matches!(err, AppError::NotFound(_)), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn trainings_supervision_and_volunteers_give_their_facts() {
    each(async |db, f, backend| {
        let t = trainings::TrainingInput {
            title: "养老护理员培训".into(),
            held_on: Some(d(2026, 10, 10)),
            minutes: 240,
            trainees: 50,
            examined: 50,
            passed: 41,
            ..Default::default()
        };
        let v = trainings::create(db, &f.staff, &f.project, &t, NOW).await.unwrap();
        assert_eq!(v.pass_rate, Some(82), "{backend}");
        let bad = trainings::TrainingInput { passed: 60, ..t.clone() };
        let err = trainings::create(db, &f.staff, &f.project, &bad, NOW).await.unwrap_err();
        assert_eq!(err.field_errors()[0].field, "passed", "{backend}");
        let s = supervision::SupervisionInput {
            topic: "个案督导".into(),
            held_on: Some(d(2026, 10, 12)),
            minutes: 150,
            supervisees: 6,
            ..Default::default()
        };
        supervision::create(db, &f.staff, &f.project, &s, NOW).await.unwrap();
        let k = keys();
        let team = volunteers::create_team(db, &f.staff, &f.project, "和平桥志愿服务队", NOW).await.unwrap();
        let vin = volunteers::VolunteerInput {
            name: "赵志愿".into(),
            phone: "13812345678".into(),
            team_id: Some(team.id.clone()),
            person_ids: vec![f.people[0].clone()],
        };
        let vol = volunteers::create(db, &f.staff, &k, &f.project, &vin, NOW).await.unwrap();
        assert_eq!(vol.phone_masked.as_deref(), Some("138****5678"), "{backend}");
        assert_eq!(vol.team_name.as_deref(), Some("和平桥志愿服务队"));
        let h = volunteers::HoursInput { served_on: Some(d(2026, 11, 1)), minutes: 120, notes: String::new() };
        volunteers::add_hours(db, &f.staff, &f.project, &vol.id, &h, NOW).await.unwrap();
        let listed = volunteers::list(db, &f.staff, &k, &f.project, None, &page()).await.unwrap();
        assert_eq!(listed.items[0].minutes, 120, "{backend}");
        assert_eq!(trainings::list(db, &f.staff, &f.project, &page()).await.unwrap().items.len(), 1);
        assert_eq!(supervision::list(db, &f.staff, &f.project, &page()).await.unwrap().items.len(), 1);

        let facts = facts(db, &f.project).await;
        assert_eq!(facts.trainings.len(), 1);
        assert_eq!((facts.trainings[0].examined, facts.trainings[0].passed, facts.trainings[0].minutes), (50, 41, 240));
        assert_eq!((facts.supervisions[0].minutes, facts.supervisions[0].supervisees), (150, 6), "{backend}");
        assert_eq!((facts.volunteers, facts.volunteer_teams), (1, 1));
        assert_eq!(facts.volunteer_service[0].minutes, 120);
        let span = domain::delivery::DateSpan::new(d(2026, 1, 1), d(2026, 12, 31)).unwrap();
        let rate = target("pass_rate", &[("quantity", 80)]);
        let p = domain::delivery::progress(&rate, span, d(2026, 11, 22), &facts);
        assert_eq!((p.value, p.met), (82, true), "{backend}");
        let hours = target("supervision_hours", &[("quantity", 120)]);
        assert!(domain::delivery::progress(&hours, span, d(2026, 11, 22), &facts).explanation.contains("2.5"));
    })
    .await;
}

#[tokio::test]
async fn public_sign_in_counts_participants_once_per_person() {
    each(async |db, f, backend| {
        let k = keys();
        let input = activities::ActivityInput {
            title: "重阳节敬老活动".into(),
            held_on: Some(d(2026, 11, 22)),
            place: "和平桥社区活动室".into(),
            ..Default::default()
        };
        let a = activities::create(db, &f.staff, &f.project, &input, NOW).await.unwrap();
        assert_eq!(a.signin_token.len(), 32);
        let public = activities::public(db, &a.signin_token, NOW).await.unwrap();
        assert!(public.open, "{backend}");
        activities::sign_in(db, &k, &a.signin_token, "钱女士", "13900001111", NOW).await.unwrap();
        activities::sign_in(db, &k, &a.signin_token, "钱女士", "13900001111", NOW).await.unwrap();
        activities::sign_in(db, &k, &a.signin_token, "孙先生", "13900002222", NOW).await.unwrap();
        let err = activities::sign_in(db, &k, &a.signin_token, "", "123", NOW).await.unwrap_err();
        assert_eq!(err.field_errors().len(), 2, "{backend}: name and phone named");
        let (view, signins) = activities::get(db, &f.staff, &k, &f.project, &a.id).await.unwrap();
        assert_eq!((view.signins, view.participants), (2, 2), "{backend}");
        assert_eq!(signins[0].phone_masked.as_deref(), Some("139****1111"));
        assert_eq!(facts(db, &f.project).await.activities[0].participants, 2, "{backend}");
        // a head count larger than the sign-ins is what counts
        let more = activities::ActivityInput { head_count: 35, ..input };
        activities::update(db, &f.staff, &f.project, &a.id, &more, NOW).await.unwrap();
        assert_eq!(facts(db, &f.project).await.activities[0].participants, 35, "{backend}");
        assert!(matches!(
            activities::public(db, "0123456789abcdef0123456789abcdef", NOW).await,
            Err(AppError::NotFound(_))
        ));
        let err = activities::get(db, &f.outsider, &k, &f.project, &a.id).await.unwrap_err();
        assert!(matches!(err, AppError::NotFound(_)), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn demo_projects_get_records_that_move_their_outputs() {
    for t in db::testing::all_backends().await {
        let db = &t.db;
        let hash = db::passwords::hash_password("Demo-Pass-2026").unwrap();
        db::demo::load(db, &hash, NOW, |_| {}).await.unwrap();
        db::demo_projects::load_people(db, &keys(), NOW).await.unwrap();
        let filled = db::services::demo::load(db, &keys(), NOW).await.unwrap();
        assert!(filled >= 5, "{}: {filled} projects filled", t.backend);
        assert_eq!(db::services::demo::load(db, &keys(), NOW).await.unwrap(), 0, "loading twice adds nothing");
        let projects = db::projects::list(db, &Actor::system(), &Default::default(), &page()).await.unwrap();
        let p = projects.items.iter().find(|p| p.title.starts_with("示例·")).unwrap();
        let mut f = DeliveryFacts::default();
        db::services::add_facts(db, &p.id, &mut f, d(2026, 11, 22)).await.unwrap();
        assert_eq!(f.service_records.len(), 6, "{}", t.backend);
        assert_eq!((f.groups[0].members, f.groups[0].sessions.len()), (8, 4), "{}", t.backend);
        assert_eq!(f.activities[0].participants, 25);
        assert_eq!((f.volunteers, f.volunteer_teams), (3, 1));
        t.drop_database().await;
    }
}
