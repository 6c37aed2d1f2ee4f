#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Projects through the pages and the API: the demo projects, scope boundaries (another
//! organization, a field worker who is not a member → 404), the funder's creation form, team and
//! enrolment forms, linking a person of another organization, and the program progress view.

mod common;

use axum::http::StatusCode;
use common::{TestApp, with_demo};
use db::Actor;

/// The demo beneficiaries (the server loads them at start with the data key; `with_demo` does not).
async fn load_people(app: &TestApp) {
    db::demo_projects::load_people(&app.state.db, &app.state.keys, app.state.now_ms()).await.unwrap();
}

async fn project_id(app: &TestApp, title_part: &str) -> String {
    let page = db::projects::list(
        &app.state.db,
        &Actor::system(),
        &Default::default(),
        &db::PageRequest { after: None, limit: Some(200) },
    )
    .await
    .unwrap();
    page.items
        .into_iter()
        .find(|p| p.title.contains(title_part))
        .map(|p| p.id)
        .unwrap_or_else(|| panic!("no project {title_part}"))
}

#[tokio::test]
async fn the_worker_sees_member_projects_only() {
    with_demo(|app| async move {
        load_people(&app).await;
        let hangzhou = project_id(&app, "散居特困人员探访").await;
        let fangshan = project_id(&app, "失能").await;
        let worker = app.login("worker").await;
        let list = app.get("/projects", Some(&worker)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("散居特困人员探访"), "{}", app.backend);
        assert!(list.body.contains("怡园社区"));
        assert!(!list.body.contains("失能"), "not a member of the Fangshan project");
        let page = app.get(&format!("/projects/{hangzhou}"), Some(&worker)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("上门探访"), "the visit target is shown");
        assert!(page.body.contains("<svg"), "the pace bar is drawn");
        assert!(page.body.contains(&format!("/projects/{hangzhou}/visits")), "drill-down link");
        let people = app.get(&format!("/projects/{hangzhou}/people"), Some(&worker)).await;
        assert_eq!(people.status, StatusCode::OK);
        assert!(people.body.contains("示例·"), "the people are listed");
        assert!(people.body.contains("每周通讯联系"), "remote people are contacted weekly by phone");
        for path in [
            format!("/projects/{fangshan}"),
            format!("/projects/{fangshan}/people"),
            format!("/projects/{fangshan}/team"),
        ] {
            assert_eq!(app.get(&path, Some(&worker)).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        // another organization's admin: 404 on the page and in the API
        let orgadmin = app.login("orgadmin").await;
        assert_eq!(app.get(&format!("/projects/{hangzhou}"), Some(&orgadmin)).await.status, StatusCode::NOT_FOUND);
        let token = app.token("orgadmin").await;
        for path in [
            format!("/api/v1/projects/{hangzhou}"),
            format!("/api/v1/projects/{hangzhou}/progress"),
            format!("/api/v1/projects/{hangzhou}/people"),
        ] {
            assert_eq!(app.api("GET", &path, Some(&token), None).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        let wt = app.token("worker").await;
        let res = app.api("GET", &format!("/api/v1/projects/{fangshan}/progress"), Some(&wt), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = app.api("GET", &format!("/api/v1/projects/{hangzhou}/progress"), Some(&wt), None).await;
        assert_eq!(res.status, StatusCode::OK);
        let j = res.json();
        assert_eq!(j["people"], 20);
        assert!(j["targets"].as_array().unwrap().iter().any(|t| t["metric"] == "visits"));
        let list = app.api("GET", "/api/v1/projects", Some(&wt), None).await.json();
        assert_eq!(list["items"].as_array().unwrap().len(), 3, "the worker's three member projects");
        let doc = app.api("GET", "/api/openapi.json", None, None).await.body;
        assert!(doc.contains("/api/v1/projects/{id}/progress"));
        app
    })
    .await;
}

#[tokio::test]
async fn the_funder_creates_a_project_builds_the_team_and_sees_program_progress() {
    with_demo(|app| async move {
        load_people(&app).await;
        let funder = app.login("funder").await;
        let hemei =
            db::organizations::find_by_name(&app.state.db, "示例·崇川区和美社会工作服务中心").await.unwrap().unwrap();
        let program = db::programs::get(&app.state.db, None, "chongchuan-9").await.unwrap();
        let form = app.get("/projects/new", Some(&funder)).await;
        assert_eq!(form.status, StatusCode::OK);
        // a bad quantity is refused naming the row
        let bad = app
            .post_form(
                "/projects/new",
                Some(&funder),
                &[
                    ("title", "示例·和平桥街道计划"),
                    ("organization_id", &hemei.id),
                    ("area_code", "320613002"),
                    ("start_on", "2026-09-01"),
                    ("end_on", "2027-08-31"),
                    ("t0_metric", "beneficiaries"),
                    ("t0_quantity", "x"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("产出指标第1行 数量"));
        let ok = app
            .post_form(
                "/projects/new",
                Some(&funder),
                &[
                    ("title", "示例·和平桥街道计划"),
                    ("organization_id", &hemei.id),
                    ("program_id", &program.id),
                    ("area_code", "320613002"),
                    ("start_on", "2026-09-01"),
                    ("end_on", "2027-08-31"),
                    ("t0_metric", "beneficiaries"),
                    ("t0_quantity", "2"),
                    ("t0_period", "project"),
                    ("t1_metric", "files_built"),
                    ("t1_quantity", "2"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let id = ok.location().trim_start_matches("/projects/").split('?').next().unwrap().to_string();

        // the organization's staff add the worker and enrol a person of their own
        let staff = app.login("orgstaff").await;
        let worker_id = app.user_id("worker").await;
        let res = app
            .post_form(
                &format!("/projects/{id}/team"),
                Some(&staff),
                &[("user_id", &worker_id), ("role", "social_worker"), ("phone", "13812345678")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let team = app.get(&format!("/projects/{id}/team"), Some(&staff)).await;
        assert!(team.body.contains("13812345678"));
        let worker = app.login("worker").await;
        assert_eq!(app.get(&format!("/projects/{id}"), Some(&worker)).await.status, StatusCode::OK, "now a member");

        let cc = project_id(&app, "认知症").await;
        let person = db::projects::people(&app.state.db, &Actor::system(), &cc).await.unwrap().remove(0);
        let res = app
            .post_form(
                &format!("/projects/{id}/people"),
                Some(&staff),
                &[("person_id", &person.person_id), ("rule", "monthly"), ("file_built_on", "2026-09-05")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // a person registered by another organization: linked by the full resident ID only
        let rid = db::demo_projects::resident_id("330122", chrono::NaiveDate::from_ymd_opt(1939, 5, 6).unwrap(), 901)
            .unwrap();
        let nuanyang =
            db::organizations::find_by_name(&app.state.db, "示例·桐庐县暖阳社会工作服务社").await.unwrap().unwrap();
        let other = Actor {
            user_id: None,
            username: "x".into(),
            role: domain::role::Role::OrgStaff,
            organization_id: Some(nuanyang.id),
            area_code: None,
            program_id: None,
        };
        let input = db::persons::PersonInput {
            name: "示例·外机构老人".into(),
            resident_id: rid.clone(),
            area_code: Some("330122003".into()),
            address: "示例·不应显示的地址".into(),
            ..Default::default()
        };
        db::persons::create(&app.state.db, &other, &app.state.keys, &input, 0).await.unwrap();
        let res = app
            .post_form(
                &format!("/projects/{id}/people/link"),
                Some(&staff),
                &[("resident_id", &rid), ("rule", "monthly")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let people = app.get(&format!("/projects/{id}/people"), Some(&staff)).await;
        assert!(people.body.contains("示例·外机构老人"));
        assert!(!people.body.contains("不应显示的地址"));
        let missing = app
            .post_form(
                &format!("/projects/{id}/people/link"),
                Some(&staff),
                &[("resident_id", "11010519491231002X"), ("rule", "monthly")],
            )
            .await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("未找到已登记的服务对象"));

        // progress: 2 people of 2, 2 files of 2 (one built, one not: 1)
        let show = app.get(&format!("/projects/{id}"), Some(&staff)).await;
        assert!(show.body.contains("服务对象"), "{}", show.body);
        let token = app.token("funder").await;
        let j = app.api("GET", &format!("/api/v1/projects/{id}/progress"), Some(&token), None).await.json();
        assert_eq!(j["targets"][0]["value"], 2);
        assert_eq!(j["targets"][0]["met"], true);
        assert_eq!(j["targets"][1]["value"], 1);
        // the funder's program view lists it with the demo project
        let view = app.get("/programs/chongchuan-9/progress", Some(&funder)).await;
        assert_eq!(view.status, StatusCode::OK);
        assert!(view.body.contains("示例·和平桥街道计划") && view.body.contains("认知症"));
        let orgadmin = app.login("orgadmin").await;
        let own = app.get("/programs/chongchuan-9/progress", Some(&orgadmin)).await;
        assert!(own.body.contains("认知症"), "the organization sees its own projects");
        app
    })
    .await;
}
