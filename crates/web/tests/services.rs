#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Services and professional work through the pages and the API: each kind is recorded from its
//! form and listed, the Excel export, the activity sign-in through the public token page, and
//! scope (another organization gets 404 by page and by API).

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{TestApp, with_demo};
use db::Actor;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

const HEMEI: &str = "示例·崇川区和美社会工作服务中心";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A project of 和美 in 和平桥 street with three enrolled persons: (project id, person ids).
async fn project(app: &TestApp) -> (String, Vec<String>) {
    let db = &app.state.db;
    let org = db::organizations::find_by_name(db, HEMEI).await.unwrap().unwrap().id;
    let now = app.state.now_ms();
    let id = db::new_id();
    db::entity::project::ActiveModel {
        id: Set(id.clone()),
        program_id: Set(None),
        call_item_id: Set(None),
        award_id: Set(None),
        organization_id: Set(org.clone()),
        title: Set("和平桥街道居家老人关爱服务".into()),
        area_code: Set("320613002".into()),
        start_on: Set(d(2026, 1, 1)),
        end_on: Set(d(2026, 12, 31)),
        targets_json: Set("[]".into()),
        status: Set("active".into()),
        created_ms: Set(now),
        updated_ms: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
    let mut people = Vec::new();
    for (i, name) in ["周奶奶", "吴爷爷", "郑奶奶"].iter().enumerate() {
        let pid = db::new_id();
        db::entity::person::ActiveModel {
            id: Set(pid.clone()),
            organization_id: Set(org.clone()),
            household_id: Set(None),
            name: Set(name.to_string()),
            gender: Set("female".into()),
            birth_date: Set(d(1942, 1, 1)),
            resident_id_enc: Set(app.state.keys.encrypt("x")),
            resident_id_hash: Set(format!("svc-test-{i}-{pid}")),
            phone_enc: Set(None),
            address: Set(String::new()),
            area_code: Set(Some("320613002".into())),
            categories_json: Set("[]".into()),
            care_level: Set(String::new()),
            consent_on: Set(None),
            created_ms: Set(now),
            updated_ms: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        db::entity::project_person::ActiveModel {
            id: Set(db::new_id()),
            project_id: Set(id.clone()),
            person_id: Set(pid.clone()),
            worker_member_id: Set(None),
            visit_rule_json: Set("\"monthly\"".into()),
            remote: Set(false),
            enrolled_on: Set(d(2026, 1, 1)),
            left_on: Set(None),
            file_built_on: Set(None),
            created_ms: Set(now),
        }
        .insert(db)
        .await
        .unwrap();
        people.push(pid);
    }
    (id, people)
}

#[tokio::test]
async fn each_kind_is_recorded_from_its_form_and_listed() {
    with_demo(|app| async move {
        let (p, people) = project(&app).await;
        let b = app.login("orgstaff").await;
        let base = format!("/projects/{p}/records");

        // a service record for two people
        let form = app.get(&format!("{base}/services/new"), Some(&b)).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("助浴") && form.body.contains("周奶奶"), "types and people offered");
        let res = app
            .post_form(
                &format!("{base}/services/new"),
                Some(&b),
                &[
                    ("service_type", "bathing"),
                    ("served_on", "2026-11-20"),
                    ("person_ids", &people[0]),
                    ("person_ids", &people[1]),
                    ("minutes", "90"),
                    ("notes", "协助洗浴"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let list = app.get(&format!("{base}/services"), Some(&b)).await;
        assert!(list.body.contains("助浴") && list.body.contains("周奶奶、吴爷爷"), "{}", list.body);
        // a future date is refused naming the field
        let bad = app
            .post_form(
                &format!("{base}/services/new"),
                Some(&b),
                &[("service_type", "bathing"), ("served_on", "2026-12-01"), ("person_ids", &people[0])],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("服务日期：不能晚于今天"));

        // a case: intake, then a plan with a goal
        let res = app
            .post_form(
                &format!("{base}/cases/new"),
                Some(&b),
                &[("person_id", &people[2]), ("title", "独居情绪低落"), ("opened_on", "2026-03-01")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let case = res.location().split('?').next().unwrap().to_string();
        let res = app
            .post_form(
                &format!("{case}/entries"),
                Some(&b),
                &[
                    ("stage", "plan"),
                    ("entry_on", "2026-03-15"),
                    ("summary", "制定计划"),
                    ("goals", "每周外出一次\n结识两位邻居"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = app.get(&case, Some(&b)).await;
        assert!(page.body.contains("服务计划") && page.body.contains("结识两位邻居"), "{}", page.body);
        assert!(page.body.contains("8 （已满6个月）"), "open since March: eight months shown");

        // a group with a session and attendance
        let res = app
            .post_form(
                &format!("{base}/groups/new"),
                Some(&b),
                &[("title", "长者互助小组"), ("person_ids", &people[0]), ("names", "王阿姨\n李大伯")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let group = res.location().split('?').next().unwrap().to_string();
        let page = app.get(&group, Some(&b)).await;
        let member =
            page.body.split("name=\"present\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let res = app
            .post_form(
                &format!("{group}/sessions"),
                Some(&b),
                &[("held_on", "2026-11-01"), ("topic", "相识"), ("present", &member)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let list = app.get(&format!("{base}/groups"), Some(&b)).await;
        assert!(list.body.contains("长者互助小组") && list.body.contains("未达标"), "3 members, 1 session");

        // a training, a supervision session, a volunteer with hours
        let res = app
            .post_form(
                &format!("{base}/trainings/new"),
                Some(&b),
                &[
                    ("title", "护理员培训"),
                    ("held_on", "2026-10-10"),
                    ("minutes", "240"),
                    ("trainees", "40"),
                    ("examined", "40"),
                    ("passed", "33"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(app.get(&format!("{base}/trainings"), Some(&b)).await.body.contains("82%"));
        let res = app
            .post_form(
                &format!("{base}/supervision/new"),
                Some(&b),
                &[("topic", "个案督导"), ("held_on", "2026-10-12"), ("minutes", "90"), ("supervisees", "5")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(app.get(&format!("{base}/supervision"), Some(&b)).await.body.contains("1.5"));
        let res =
            app.post_form(&format!("{base}/volunteers/teams"), Some(&b), &[("team_name", "和平桥志愿服务队")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let res = app
            .post_form(
                &format!("{base}/volunteers/new"),
                Some(&b),
                &[("name", "赵志愿"), ("phone", "13812345678"), ("person_ids", &people[0])],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let vol = res.location().split('?').next().unwrap().to_string();
        let res =
            app.post_form(&format!("{vol}/hours"), Some(&b), &[("served_on", "2026-11-02"), ("minutes", "120")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let list = app.get(&format!("{base}/volunteers"), Some(&b)).await;
        assert!(list.body.contains("138****5678") && !list.body.contains("13812345678"), "phone masked");
        assert!(list.body.contains("和平桥志愿服务队"));

        // the Excel export of service records
        let x = app.get(&format!("{base}/services.xlsx"), Some(&b)).await;
        assert_eq!(x.status, StatusCode::OK);
        assert!(x.headers.get("content-type").unwrap().to_str().unwrap().contains("spreadsheetml"));
        assert!(x.body.starts_with("PK"));
        app
    })
    .await;
}

#[tokio::test]
async fn signing_in_on_the_public_page_raises_the_participants() {
    with_demo(|app| async move {
        let (p, _) = project(&app).await;
        let b = app.login("orgstaff").await;
        let res = app
            .post_form(
                &format!("/projects/{p}/records/activities/new"),
                Some(&b),
                &[("title", "重阳敬老"), ("held_on", "2026-11-22"), ("place", "社区活动室")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page_url = res.location().split('?').next().unwrap().to_string();
        let page = app.get(&page_url, Some(&b)).await;
        assert!(page.body.contains("<svg"), "the sign-in QR code is on the page");
        let token = page.body.split("/s/").nth(1).unwrap().split('<').next().unwrap().to_string();

        // anyone with the link, without logging in
        let public = app.get(&format!("/s/{token}"), None).await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(public.body.contains("重阳敬老") && !public.body.contains("周奶奶"));
        let bad = app.post_form(&format!("/s/{token}"), None, &[("name", "钱女士"), ("phone", "123")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let ok = app.post_form(&format!("/s/{token}"), None, &[("name", "钱女士"), ("phone", "13900001111")]).await;
        assert_eq!(ok.status, StatusCode::OK);
        assert!(ok.body.contains("签到成功"));
        let page = app.get(&page_url, Some(&b)).await;
        assert!(page.body.contains("钱女士") && page.body.contains("139****1111"));
        assert!(!page.body.contains("13900001111"), "the phone is masked");
        let list = app.get(&format!("/projects/{p}/records/activities"), Some(&b)).await;
        assert!(list.body.contains("data-label=\"参与人数\">1<"), "{}", list.body);
        assert_eq!(app.get("/s/00000000000000000000000000000000", None).await.status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test]
async fn another_organization_gets_404_by_page_and_api() {
    with_demo(|app| async move {
        let (p, people) = project(&app).await;
        let linli = db::organizations::find_by_name(&app.state.db, "示例·崇川区邻里互助服务社").await.unwrap().unwrap();
        let input = db::users::UserInput {
            username: "otherorg".into(),
            display_name: "示例·邻里互助 管理员".into(),
            role: "org_admin".into(),
            organization_id: Some(linli.id),
            password: Some(common::PASSWORD.into()),
            active: Some(true),
            ..Default::default()
        };
        db::users::create(&app.state.db, &Actor::system(), &input, app.state.now_ms()).await.unwrap();

        // the project's own staff records through the API
        let token = app.token("orgstaff").await;
        let body = serde_json::json!({
            "service_type": "companionship", "served_on": "2026-11-21", "person_ids": [people[0]], "minutes": 30
        });
        let res = app.api("POST", &format!("/api/v1/projects/{p}/services"), Some(&token), Some(body.clone())).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let res = app.api("GET", &format!("/api/v1/projects/{p}/services"), Some(&token), None).await;
        assert_eq!(res.json()["items"][0]["service_type_name"], "陪聊");
        let group = serde_json::json!({ "title": "手工小组", "names": ["甲", "乙"] });
        let res = app.api("POST", &format!("/api/v1/projects/{p}/groups"), Some(&token), Some(group)).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        assert_eq!(res.json()["members"], 2);

        let other = app.login("otherorg").await;
        for kind in ["services", "cases", "groups", "activities", "trainings", "supervision", "volunteers"] {
            let res = app.get(&format!("/projects/{p}/records/{kind}"), Some(&other)).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{kind}");
        }
        let res = app.get(&format!("/projects/{p}/records/services.xlsx"), Some(&other)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = app
            .post_form(&format!("/projects/{p}/records/services/new"), Some(&other), &[("service_type", "bathing")])
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let other_token = app.token("otherorg").await;
        for kind in ["services", "cases", "groups", "activities", "trainings", "supervision"] {
            let res = app.api("GET", &format!("/api/v1/projects/{p}/{kind}"), Some(&other_token), None).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{kind}");
        }
        let res = app.api("POST", &format!("/api/v1/projects/{p}/services"), Some(&other_token), Some(body)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let doc = app.api("GET", "/api/openapi.json", None, None).await.json();
        assert!(doc["paths"]["/api/v1/projects/{id}/activities"]["post"].is_object());
        app
    })
    .await;
}

#[tokio::test]
async fn a_team_worker_records_and_the_street_only_reads() {
    with_demo(|app| async move {
        // the demo people (skipped for projects that already have them)
        db::demo_projects::load_people(&app.state.db, &app.state.keys, app.state.now_ms()).await.unwrap();
        let all = db::projects::list(&app.state.db, &Actor::system(), &Default::default(), &Default::default())
            .await
            .unwrap();
        let org = db::organizations::find_by_name(&app.state.db, HEMEI).await.unwrap().unwrap().id;
        let p = all.items.iter().find(|p| p.organization_id == org && p.title.starts_with("示例·")).unwrap();
        let person = db::projects::people(&app.state.db, &Actor::system(), &p.id).await.unwrap()[0].person_id.clone();
        let worker = app.login("worker").await;
        let base = format!("/projects/{}/records/services", p.id);
        assert_eq!(app.get(&format!("{base}/new"), Some(&worker)).await.status, StatusCode::OK);
        let today = db::visits::local_date(app.state.now_ms()).to_string();
        let res = app
            .post_form(
                &format!("{base}/new"),
                Some(&worker),
                &[("service_type", "companionship"), ("served_on", &today), ("person_ids", &person), ("minutes", "45")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let street = app.login("street").await;
        let list = app.get(&base, Some(&street)).await;
        assert_eq!(list.status, StatusCode::OK, "the street covering the project reads its records");
        assert!(list.body.contains("陪聊") && !list.body.contains("/records/services/new"), "but has no new button");
        assert_eq!(app.get(&format!("{base}/new"), Some(&street)).await.status, StatusCode::FORBIDDEN);
        app
    })
    .await;
}
