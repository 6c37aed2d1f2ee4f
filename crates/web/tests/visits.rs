#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Service cards and verified visits through the pages: scan a card's URL → log in → back on
//! the check-in page → one tap saves the visit; forged tokens, scope, the supervisor's review of
//! a flagged visit, the worker's today list, phone contacts, card printing and the export.

mod common;

use axum::http::{StatusCode, header};
use common::{Browser, TestApp, with_demo};
use db::Actor;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// (project id, project-person ids) of a demo project where the demo worker is (or is not) a member.
async fn project(app: &TestApp, member: bool) -> (String, Vec<String>) {
    use db::entity::{project_member, project_person};
    db::demo_projects::load_people(&app.state.db, &app.state.keys, app.state.now_ms()).await.unwrap();
    let worker = app.user_id("worker").await;
    let mine: Vec<String> = project_member::Entity::find()
        .filter(project_member::Column::UserId.eq(worker.as_str()))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.project_id)
        .collect();
    // the demo worker's own organization (和美社工) runs the project they are a member of
    let hemei =
        db::organizations::find_by_name(&app.state.db, "示例·崇川区和美社会工作服务中心").await.unwrap().unwrap().id;
    let ours: Vec<String> = db::entity::project::Entity::find()
        .filter(db::entity::project::Column::OrganizationId.eq(hemei.as_str()))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    let all = project_person::Entity::find().all(&app.state.db).await.unwrap();
    let pid = all
        .iter()
        .map(|p| p.project_id.clone())
        .find(|p| if member { mine.contains(p) && ours.contains(p) } else { !mine.contains(p) })
        .unwrap();
    let pps = all.into_iter().filter(|p| p.project_id == pid).map(|p| p.id).collect();
    (pid, pps)
}

async fn token(app: &TestApp, pp: &str) -> String {
    let cards = db::visits::cards::current_many(&app.state.db, &Actor::system(), &app.state.keys, &[pp.to_string()], 0)
        .await
        .unwrap();
    cards[0].token.clone()
}

/// POST the check-in form as multipart, as a phone browser does (no photo taken).
async fn check_in(app: &TestApp, b: &Browser, token: &str, fields: &[(&str, &str)]) -> common::Res {
    check_in_with_photo(app, b, token, fields, "application/octet-stream", b"").await
}

async fn check_in_with_photo(
    app: &TestApp,
    b: &Browser,
    token: &str,
    fields: &[(&str, &str)],
    content_type: &str,
    photo: &[u8],
) -> common::Res {
    let file = common::FilePart { field: "photo", filename: "IMG_0001.jpg", content_type, bytes: photo };
    app.post_multipart(&format!("/c/{token}?_csrf={}", b.csrf), b, fields, &file).await
}

async fn visits_of(app: &TestApp, project: &str) -> Vec<db::visits::VisitView> {
    let filter = db::visits::VisitFilter::default();
    db::visits::list(&app.state.db, &Actor::system(), project, &filter, &db::PageRequest::default())
        .await
        .unwrap()
        .items
}

/// The counted contacts of the project, as its output progress sees them.
async fn visit_progress(app: &TestApp, project: &str) -> usize {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let people = db::projects::people(&app.state.db, &Actor::system(), project).await.unwrap();
    let facts = db::progress::facts(&app.state.db, project, &people, day).await.unwrap();
    facts.people.iter().map(|p| p.contacts.len()).sum()
}

#[tokio::test]
async fn scanning_a_card_logs_in_and_saves_a_visit() {
    with_demo(|app| async move {
        let (pid, pps) = project(&app, true).await;
        let token = token(&app, &pps[0]).await;
        let url = format!("/c/{token}");
        // the phone camera opens the URL: not logged in → login, and back
        let anon = app.get(&url, None).await;
        assert_eq!(anon.status, StatusCode::SEE_OTHER);
        assert_eq!(anon.location(), format!("/login?next={url}"));
        let login = app
            .post_form("/login", None, &[("username", "worker"), ("password", common::PASSWORD), ("next", &url)])
            .await;
        assert_eq!(login.location(), url);
        let b = app.login("worker").await;
        let page = app.get(&url, Some(&b)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("确认探访") && page.body.contains("capture=\"environment\""));
        assert!(page.body.contains("**********"), "masked resident ID shown");

        let before = visit_progress(&app, &pid).await;
        // one tap: location filled by the browser, defaults for the rest
        let saved = check_in(
            &app,
            &b,
            &token,
            &[
                ("lat", "32.010000"),
                ("lng", "120.860000"),
                ("accuracy", "15"),
                ("duration_min", "30"),
                ("services", "companionship"),
                ("notes", ""),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert!(saved.location().starts_with(&format!("/projects/{pid}/visits/")), "{}", saved.location());
        let shown = app.get(saved.location(), Some(&b)).await;
        assert!(shown.body.contains("探访已记录") && shown.body.contains("陪聊"), "{}", shown.body);
        let v = visits_of(&app, &pid).await;
        assert_eq!(v.len(), 1);
        assert_eq!(
            (v[0].channel.as_str(), v[0].duration_min, v[0].project_person_id.as_str()),
            ("home", 30, pps[0].as_str())
        );
        assert_eq!(v[0].recorded_ms, app.state.now_ms(), "server time");
        assert_eq!(v[0].review, "ok", "{:?}", v[0].anomalies);
        assert!(visit_progress(&app, &pid).await > before, "the project's visit output rises");

        // a bad duration names the field and keeps the page
        let bad = check_in(&app, &b, &token, &[("duration_min", "abc")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("时长：请填写分钟数"));
        app
    })
    .await;
}

#[tokio::test]
async fn a_check_in_photo_is_stored_and_shown_to_the_project_only() {
    with_demo(|app| async move {
        let (app, dir) = app.with_temp_store();
        let (pid, pps) = project(&app, true).await;
        let token = token(&app, &pps[0]).await;
        let b = app.login("worker").await;
        let fields = [("lat", "32.010000"), ("lng", "120.860000"), ("duration_min", "30")];

        // not a picture, whatever the phone calls it: refused naming the field, nothing saved
        let bad = check_in_with_photo(&app, &b, &token, &fields, "image/jpeg", b"MZ\x90\x00 not a photo").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("照片：请上传 JPG、PNG 或 WebP"), "{}", bad.body);
        assert!(visits_of(&app, &pid).await.is_empty(), "no half-written visit");

        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 0xFF, 0xD9];
        let saved = check_in_with_photo(&app, &b, &token, &fields, "application/octet-stream", &jpeg).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let v = visits_of(&app, &pid).await.remove(0);
        let key = v.photo_key.clone().expect("the visit keeps its photo");
        assert!(key.starts_with(&format!("visits/{pid}/")) && key.ends_with(".jpg"), "{key}");
        assert!(dir.join("files").join(&key).exists(), "stored under <data_dir>/files");

        // the visit page shows it; the photo URL serves the bytes to the project's people
        let url = format!("/projects/{pid}/visits/{}/photo", v.id);
        let page = app.get(&format!("/projects/{pid}/visits/{}", v.id), Some(&b)).await;
        assert!(page.body.contains(&url), "{}", page.body);
        let shown = app.get(&url, Some(&b)).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert_eq!(shown.headers[header::CONTENT_TYPE], "image/jpeg");
        assert_eq!(shown.body.len(), String::from_utf8_lossy(&jpeg).len());
        let supervisor = app.login("orgadmin").await;
        assert_eq!(app.get(&url, Some(&supervisor)).await.status, StatusCode::OK);

        // nobody outside the project: another organization, or the photo under another project
        let (outsider, _) = app.outsider("linli_staff").await;
        assert_eq!(app.get(&url, Some(&outsider)).await.status, StatusCode::NOT_FOUND);
        let (other, _) = project(&app, false).await;
        let elsewhere = format!("/projects/{other}/visits/{}/photo", v.id);
        assert_eq!(app.get(&elsewhere, Some(&b)).await.status, StatusCode::NOT_FOUND);
        let _ = std::fs::remove_dir_all(&dir);
        app
    })
    .await;
}

#[tokio::test]
async fn forged_tokens_and_other_projects_are_not_found() {
    with_demo(|app| async move {
        let b = app.login("worker").await;
        let (_, pps) = project(&app, true).await;
        let mut forged = token(&app, &pps[0]).await.into_bytes();
        forged[5] = if forged[5] == b'x' { b'y' } else { b'x' };
        let forged = String::from_utf8(forged).unwrap();
        assert_eq!(app.get(&format!("/c/{forged}"), Some(&b)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/c/not-a-token", Some(&b)).await.status, StatusCode::NOT_FOUND);

        // a project the worker is not a member of: its card, visits and cards are not found
        let (other, others) = project(&app, false).await;
        let t = token(&app, &others[0]).await;
        assert_eq!(app.get(&format!("/c/{t}"), Some(&b)).await.status, StatusCode::NOT_FOUND);
        let post = check_in(&app, &b, &t, &[("duration_min", "30")]).await;
        assert_eq!(post.status, StatusCode::NOT_FOUND);
        assert!(visits_of(&app, &other).await.is_empty());
        assert_eq!(app.get(&format!("/projects/{other}/visits"), Some(&b)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/projects/{other}/cards"), Some(&b)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/today/{}/phone", others[0]), Some(&b)).await.status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_rejects_a_flagged_visit() {
    with_demo(|app| async move {
        let (pid, pps) = project(&app, true).await;
        let token = token(&app, &pps[1]).await;
        let w = app.login("worker").await;
        // no location and two minutes: flagged
        let saved = check_in(&app, &w, &token, &[("duration_min", "2")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let v = visits_of(&app, &pid).await.remove(0);
        assert_eq!(v.review, "flagged");

        let boss = app.login("orgadmin").await;
        let list = app.get(&format!("/projects/{pid}/visits?review=flagged"), Some(&boss)).await;
        assert!(list.body.contains("未获取定位") && list.body.contains("时长过短"), "{}", list.body);
        let path = format!("/projects/{pid}/visits/{}/review", v.id);
        let no_note = app.post_form(&path, Some(&boss), &[("decision", "rejected"), ("note", "")]).await;
        assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_note.body.contains("审核意见：不予认可时必须说明理由"));
        // the worker may not review their own visit
        let own = app.post_form(&path, Some(&w), &[("decision", "confirmed"), ("note", "")]).await;
        assert_eq!(own.status, StatusCode::FORBIDDEN);
        let ok = app
            .post_form(&path, Some(&boss), &[("decision", "rejected"), ("note", "电话回访，老人说当天无人上门")])
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(visits_of(&app, &pid).await[0].review, "rejected");
        let flagged = app.get(&format!("/projects/{pid}/visits?review=flagged"), Some(&boss)).await;
        assert!(!flagged.body.contains("时长过短"));
        app
    })
    .await;
}

#[tokio::test]
async fn the_worker_lands_on_today_and_records_a_phone_contact() {
    with_demo(|app| async move {
        let (pid, pps) = project(&app, true).await;
        let b = app.login("worker").await;
        let home = app.get("/", Some(&b)).await;
        assert_eq!(home.location(), "/today");
        let today = app.get("/today", Some(&b)).await;
        assert_eq!(today.status, StatusCode::OK);
        assert!(today.body.contains(&format!("/today/{}/phone", pps[0])), "{}", today.body);
        let form = app.get(&format!("/today/{}/phone", pps[0]), Some(&b)).await;
        assert!(form.body.contains("确认已电话联系"));
        let saved = app
            .post_form(&format!("/today/{}/phone", pps[0]), Some(&b), &[("duration_min", "8"), ("notes", "身体好")])
            .await;
        assert_eq!(saved.location(), "/today?ok=visit_saved");
        let v = visits_of(&app, &pid).await;
        assert_eq!((v[0].channel.as_str(), v[0].review.as_str()), ("phone", "ok"));
        app
    })
    .await;
}

#[tokio::test]
async fn cards_print_with_qr_and_the_export_downloads() {
    with_demo(|app| async move {
        let (pid, pps) = project(&app, true).await;
        let b = app.login("orgadmin").await;
        let batch = app.get(&format!("/projects/{pid}/cards"), Some(&b)).await;
        assert_eq!(batch.status, StatusCode::OK, "{}", batch.body);
        assert_eq!(batch.body.matches("<svg").count(), pps.len());
        assert!(batch.body.contains("服务投诉电话") && batch.body.contains("结对社工"));
        // one card; reissuing it changes the URL and the old one is flagged when used
        let one = app.get(&format!("/projects/{pid}/people/{}/card", pps[0]), Some(&b)).await;
        let old = token(&app, &pps[0]).await;
        assert!(one.body.contains(&format!("/c/{old}")));
        let re = app.post_form(&format!("/projects/{pid}/people/{}/card/reissue", pps[0]), Some(&b), &[]).await;
        assert_eq!(re.status, StatusCode::SEE_OTHER);
        assert_ne!(token(&app, &pps[0]).await, old);
        let w = app.login("worker").await;
        assert!(app.get(&format!("/c/{old}"), Some(&w)).await.body.contains("这张服务卡已作废"));
        check_in(&app, &w, &old, &[("duration_min", "30"), ("lat", "32"), ("lng", "120.8")]).await;
        let v = visits_of(&app, &pid).await;
        assert!(v[0].anomalies.iter().any(|a| a.kind == domain::delivery::AnomalyKind::CardRevoked));

        let x = app.get(&format!("/projects/{pid}/visits.xlsx"), Some(&b)).await;
        assert_eq!(x.status, StatusCode::OK);
        assert!(x.headers[header::CONTENT_TYPE].to_str().unwrap().contains("spreadsheetml"));
        app
    })
    .await;
}

#[tokio::test]
async fn the_api_checks_in_lists_and_reviews() {
    with_demo(|app| async move {
        let (pid, pps) = project(&app, true).await;
        let card = token(&app, &pps[2]).await;
        let worker = app.token("worker").await;
        let body = serde_json::json!({"token": card, "channel": "home", "duration_min": 3, "services": ["cleaning"]});
        let r = app.api("POST", "/api/v1/visits", Some(&worker), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let v = r.json();
        assert_eq!(v["review"], "flagged");
        assert!(v["anomalies"].as_array().unwrap().iter().any(|a| a["kind"] == "too_short"), "{v}");
        let bad = serde_json::json!({"token": "forged", "channel": "home", "duration_min": 30});
        assert_eq!(app.api("POST", "/api/v1/visits", Some(&worker), Some(bad)).await.status, StatusCode::NOT_FOUND);

        let boss = app.token("orgadmin").await;
        let list = app.api("GET", &format!("/api/v1/visits?project_id={pid}&review=flagged"), Some(&boss), None).await;
        assert_eq!(list.json()["items"].as_array().unwrap().len(), 1, "{}", list.body);
        let id = v["id"].as_str().unwrap();
        let review = serde_json::json!({"decision": "confirmed", "note": "电话核实属实"});
        let r = app.api("POST", &format!("/api/v1/visits/{id}/review"), Some(&boss), Some(review)).await;
        assert_eq!(r.json()["review"], "confirmed", "{}", r.body);

        let doc = app.api("GET", "/api/openapi.json", None, None).await.json();
        assert!(doc["paths"]["/api/v1/visits"]["post"].is_object());
        assert!(doc["paths"]["/api/v1/visits/{id}/review"]["post"].is_object());
        app
    })
    .await;
}
