//! The beneficiary registry (服务对象, 一户一档): registration with the resident ID's check digit,
//! masking in lists, the audited reveal, one registration per resident ID, scope by URL, and
//! no plaintext identifier in the database or the audit log.
// a failed lookup in a test helper is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{StatusCode, header};
use common::{Browser, LINLI, PASSWORD, Res, TestApp, with_demo};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};

/// The example of GB 11643-1999 (female, born 1949-12-31).
const RID: &str = "11010519491231002X";
const RID_MASKED: &str = "1101**********002X";
const PHONE: &str = "13812345678";
const NAME: &str = "示例·王秀英";

async fn register(app: &TestApp, b: &Browser, name: &str, rid: &str) -> Res {
    app.post_form(
        "/persons/new",
        Some(b),
        &[
            ("name", name),
            ("resident_id", rid),
            ("phone", PHONE),
            ("address", "崇川区示例路1号"),
            ("area_code", "320613002"),
            ("categories", "extreme_poverty"),
            ("categories", "living_alone"),
            ("care_level", "mild"),
            ("consent_on", "2026-11-01"),
        ],
    )
    .await
}

/// Register the standard's example as 和美's staff; the detail page's path.
async fn registered(app: &TestApp) -> String {
    let staff = app.login("orgstaff").await;
    let res = register(app, &staff, NAME, RID).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.location().split('?').next().unwrap().to_string()
}

/// A user of another organization (邻里), created through the data layer.
async fn other_org_user(app: &TestApp, username: &str, role: &str) -> Browser {
    let linli = db::organizations::find_by_name(&app.state.db, LINLI).await.unwrap().unwrap();
    let input = db::users::UserInput {
        username: username.into(),
        display_name: "示例·邻里 工作人员".into(),
        role: role.into(),
        organization_id: Some(linli.id),
        area_code: None,
        program_id: None,
        password: Some(PASSWORD.into()),
        active: Some(true),
    };
    db::users::create(&app.state.db, &db::Actor::system(), &input, 0).await.unwrap();
    app.login(username).await
}

#[tokio::test]
async fn a_person_is_listed_masked_and_revealed_only_through_an_audited_post() {
    with_demo(|app| async move {
        let path = registered(&app).await;
        let staff = app.login("orgstaff").await;

        let detail = app.get(&format!("{path}?ok=created"), Some(&staff)).await;
        assert_eq!(detail.status, StatusCode::OK);
        for text in [NAME, "1949-12-31", "女", RID_MASKED, "138****5678", "特困", "独居", "轻度失能", "显示完整证件号"]
        {
            assert!(detail.body.contains(text), "detail shows {text}");
        }
        assert!(!detail.body.contains(RID) && !detail.body.contains(PHONE), "masked until revealed");

        let list = app.get("/persons", Some(&staff)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains(NAME) && list.body.contains(RID_MASKED) && list.body.contains("138****5678"));
        assert!(!list.body.contains(RID) && !list.body.contains(PHONE), "never the full ID in a list");
        assert!(list.body.contains("服务对象"), "navigation entry");
        let by_id = app.get(&format!("/persons?q={RID}"), Some(&staff)).await;
        assert!(by_id.body.contains(NAME), "exact lookup by the full ID");
        let other_category = app.get("/persons?category=orphan", Some(&staff)).await;
        assert!(!other_category.body.contains(NAME), "category filter applies");
        let by_care = app.get("/persons?care_level=mild&area_code=320613", Some(&staff)).await;
        assert!(by_care.body.contains(NAME), "care level and area filters");

        // the street (area 320613002) reads the file, masked, and may not reveal it
        let street = app.login("street").await;
        let res = app.get(&path, Some(&street)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains(RID_MASKED) && !res.body.contains("/reveal\""), "no reveal button");
        let refused = app.post_form(&format!("{path}/reveal"), Some(&street), &[]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        let shown = app.post_form(&format!("{path}/reveal"), Some(&staff), &[]).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        assert!(shown.body.contains(RID) && shown.body.contains(PHONE), "the full values");
        assert_eq!(shown.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
        let no_csrf = app.post_form(&format!("{path}/reveal"), Some(&staff), &[("_csrf", "wrong")]).await;
        assert_eq!(no_csrf.status, StatusCode::FORBIDDEN, "a POST with the session's CSRF token only");

        let filter = db::audit::AuditFilter { entity: Some("person".into()), ..Default::default() };
        let log = db::audit::search(&app.state.db, &db::Actor::system(), &filter, &Default::default()).await.unwrap();
        let reveals: Vec<_> = log.items.iter().filter(|e| e.action == "person.reveal").collect();
        assert_eq!(reveals.len(), 1, "one successful reveal, one event");
        assert_eq!(reveals[0].actor_name, "orgstaff");
        assert!(reveals[0].after_json.contains(RID_MASKED));
        assert!(log.items.iter().any(|e| e.action == "person.create"));
        for e in &log.items {
            assert!(!e.after_json.contains(RID) && !e.before_json.contains(RID), "no plaintext ID audited");
            assert!(!e.after_json.contains(PHONE), "no plaintext phone audited");
        }

        // the database holds ciphertext and a keyed hash, never the plaintext
        let backend = app.state.db.get_database_backend();
        let rows = app
            .state
            .db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT resident_id_enc, resident_id_hash, phone_enc FROM persons",
            ))
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        let enc: String = rows[0].try_get("", "resident_id_enc").unwrap();
        let hash: String = rows[0].try_get("", "resident_id_hash").unwrap();
        let phone: Option<String> = rows[0].try_get("", "phone_enc").unwrap();
        assert!(enc.starts_with("v1:") && !enc.contains(RID) && !enc.contains("19491231"));
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains("1949"));
        assert!(phone.is_some_and(|p| p.starts_with("v1:") && !p.contains(PHONE)));
        let stored = db::entity::person::Entity::find().all(&app.state.db).await.unwrap();
        assert_eq!(app.state.keys.decrypt(&stored[0].resident_id_enc).unwrap(), RID, "and it decrypts");
        app
    })
    .await;
}

#[tokio::test]
async fn a_bad_check_digit_is_refused_naming_the_field_and_a_duplicate_is_refused() {
    with_demo(|app| async move {
        let staff = app.login("orgstaff").await;
        assert_eq!(app.get("/persons/new", Some(&staff)).await.status, StatusCode::OK);
        let bad = register(&app, &staff, NAME, "110105194912310021").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("公民身份号码：校验位不正确，应为X"), "{}", bad.body);
        assert!(bad.body.contains(NAME), "the form keeps the input");
        let short = register(&app, &staff, NAME, "1101051949").await;
        assert!(short.body.contains("公民身份号码：应为18位"));

        let path = registered(&app).await;
        // the same person again, typed with spaces and a lower-case x: the same normalised ID
        let again = register(&app, &staff, "示例·王秀英（重复）", "110105 19491231 002x").await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("该服务对象已登记"), "{}", again.body);
        assert!(again.body.contains(&format!("href=\"{path}\"")), "offers the existing file in scope");

        // another organization learns only that the ID is registered, nothing of the file
        let linli = other_org_user(&app, "linli_staff", "org_staff").await;
        let elsewhere = register(&app, &linli, "示例·别名", RID).await;
        assert_eq!(elsewhere.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(elsewhere.body.contains("已由其他机构登记"), "{}", elsewhere.body);
        assert!(!elsewhere.body.contains(&path) && !elsewhere.body.contains("打开已有档案"), "nothing out of scope");
        assert!(!elsewhere.body.contains("1949-12-31") && !elsewhere.body.contains("和美"), "nor who registered it");
        let persons = db::entity::person::Entity::find().all(&app.state.db).await.unwrap();
        assert_eq!(persons.len(), 1, "registered once");
        app
    })
    .await;
}

#[tokio::test]
async fn another_organization_gets_not_found_by_url() {
    with_demo(|app| async move {
        let path = registered(&app).await;
        let linli = other_org_user(&app, "linli_admin", "org_admin").await;
        assert_eq!(app.get(&path, Some(&linli)).await.status, StatusCode::NOT_FOUND);
        let reveal = app.post_form(&format!("{path}/reveal"), Some(&linli), &[]).await;
        assert_eq!(reveal.status, StatusCode::NOT_FOUND, "not found, never forbidden");
        let list = app.get("/persons", Some(&linli)).await;
        assert!(!list.body.contains(NAME), "not in its list");
        let lookup = app.get(&format!("/persons?q={RID}"), Some(&linli)).await;
        assert!(!lookup.body.contains(NAME), "nor by exact lookup");

        let worker = app.login("worker").await;
        let res = app.get(&path, Some(&worker)).await;
        assert_eq!(res.status, StatusCode::OK, "the registering organization's worker reads it");
        assert!(!res.body.contains("/reveal\""), "but a field worker does not reveal");
        let funder = app.login("funder").await;
        assert!(app.get("/persons", Some(&funder)).await.body.contains(NAME), "the district funder sees it");
        assert_eq!(app.get("/persons/new", Some(&funder)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/persons", None).await.location(), "/login");
        app
    })
    .await;
}

#[tokio::test]
async fn the_file_is_edited_keeping_the_identifiers_unless_retyped() {
    with_demo(|app| async move {
        let path = registered(&app).await;
        let worker = app.login("worker").await;
        let form = app.get(&format!("{path}/edit"), Some(&worker)).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains(NAME) && !form.body.contains(RID) && !form.body.contains(PHONE), "no identifiers");
        let fields = |rid: &'static str| {
            vec![
                ("name", "示例·王秀英"),
                ("resident_id", rid),
                ("phone", ""),
                ("address", "崇川区示例路2号"),
                ("area_code", "320613002"),
                ("categories", "orphan"),
                ("care_level", "severe"),
            ]
        };
        let bad = app.post_form(&format!("{path}/edit"), Some(&worker), &fields("320613194203151230")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("公民身份号码：校验位不正确"));
        let res = app.post_form(&format!("{path}/edit"), Some(&worker), &fields("")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let detail = app.get(&path, Some(&worker)).await;
        for text in ["示例路2号", "孤儿", "重度失能", RID_MASKED, "138****5678"] {
            assert!(detail.body.contains(text), "after the edit: {text}");
        }
        let street = app.login("street").await;
        assert_eq!(app.get(&format!("{path}/edit"), Some(&street)).await.status, StatusCode::FORBIDDEN);
        let filter = db::audit::AuditFilter { action: Some("person.update".into()), ..Default::default() };
        let log = db::audit::search(&app.state.db, &db::Actor::system(), &filter, &Default::default()).await.unwrap();
        assert_eq!(log.items.len(), 1);
        assert!(!log.items[0].before_json.contains(RID) && log.items[0].before_json.contains(RID_MASKED));
        app
    })
    .await;
}
