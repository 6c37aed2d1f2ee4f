#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Decision, public notice and results through the pages and the API: the public notice without
//! login, objections only during the period (with Chinese field errors), the funder's change
//! refused without a reason, and the results page after the closing job.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Res, TestApp, with_demo};
use db::Actor;
use db::applications::ApplicationInput;
use db::decision::RankedApplication;
use domain::clock::FixedClock;
use domain::money::Fen;
use domain::review::Score;
use domain::role::Role;
use http_body_util::BodyExt;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use tower::ServiceExt;

fn actor(role: Role, org: Option<String>) -> Actor {
    Actor {
        program_id: None,
        user_id: None,
        username: role.as_str().into(),
        role,
        organization_id: org,
        area_code: None,
    }
}

/// Chongchuan 9 with a 3-working-day notice rule and no quotas; two applications ranked first
/// in two items, approved; returns (program id, draft notice id, the two application titles).
async fn approved_slate(app: &TestApp) -> (String, String, Vec<String>) {
    let db = &app.state.db;
    let now = app.state.now_ms();
    let p = db::programs::get(db, None, "chongchuan-9").await.unwrap();
    let mut pm =
        db::entity::program::Entity::find_by_id(p.id.as_str()).one(db).await.unwrap().unwrap().into_active_model();
    pm.rules_json = Set(r#"{"notice":{"unit":"working_days","length":3}}"#.into());
    pm.budget_fen = Set(None);
    pm.update(db).await.unwrap();
    let items = db::programs::items(db, None, &p.id).await.unwrap();
    let mut ranking = Vec::new();
    let mut titles = Vec::new();
    for (n, org_name) in ["示例·崇川区和美社会工作服务中心", "示例·崇川区邻里互助服务社"].iter().enumerate()
    {
        let org = db::organizations::find_by_name(db, org_name).await.unwrap().unwrap();
        let title = format!("{}·社区关爱项目", items[n].item.code);
        let input = ApplicationInput { title: title.clone(), ..Default::default() };
        let applicant = actor(Role::OrgAdmin, Some(org.id.clone()));
        let id = db::applications::create(db, &applicant, &items[n].id, &input, now).await.unwrap();
        ranking.push(RankedApplication {
            application_id: id,
            organization_id: org.id,
            call_item_id: Some(items[n].id.clone()),
            track_code: items[n].item.track.clone(),
            requested: Fen::from_wan(5),
            score: Some(Score::points(88)),
            rank: 1,
        });
        titles.push(title);
    }
    let funder = actor(Role::FunderAdmin, Some(p.funder_id.clone()));
    let lines = db::decision::generate_from(db, &funder, &p.id, &ranking, now).await.unwrap();
    let ids: Vec<String> = lines.iter().filter(|l| l.amount.is_some()).map(|l| l.id.clone()).collect();
    assert_eq!(ids.len(), 2, "{lines:?}");
    db::decision::approve_batch(db, &funder, &p.id, &ids, now).await.unwrap();
    let notice = db::notices::create(db, &funder, &p.id, now).await.unwrap();
    (p.id, notice, titles)
}

/// A request through a router whose clock reads `local` (Asia/Shanghai).
async fn at(app: &TestApp, local: &str, req: Request<Body>) -> Res {
    let t = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
    let state = web::AppState::new(
        app.state.db.clone(),
        Arc::new(FixedClock::at_shanghai(t)),
        web::Config::default(),
        common::test_keys(),
    );
    let res = web::router(state).oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Res { status, headers, body: String::from_utf8_lossy(&bytes).to_string() }
}

fn form(path: &str, fields: &[(&str, &str)]) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(fields).unwrap()))
        .unwrap()
}

#[tokio::test]
async fn public_notice_without_login_and_objections_during_the_period() {
    with_demo(|app| async move {
        let (program, notice, titles) = approved_slate(&app).await;
        // a draft is not public
        assert_eq!(app.get(&format!("/notices/{notice}"), None).await.status, StatusCode::NOT_FOUND);

        // the funder publishes on Sunday 2026-11-22: Mon 23rd to Wed 25th
        let funder = app.login("funder").await;
        let res = app.post_form(&format!("/decision/notices/{notice}/publish"), Some(&funder), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

        let list = app.get("/notices", None).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains(&format!("/notices/{notice}")), "{}", list.body);
        let page = app.get(&format!("/notices/{notice}"), None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&titles[0]) && page.body.contains(&titles[1]), "{}", page.body);
        assert!(page.body.contains("2026-11-23 — 2026-11-25"), "{}", page.body);
        assert!(page.body.contains("class=\"stack\""), "lines become cards on a phone");
        let print = app.get(&format!("/notices/{notice}/print"), None).await;
        assert_eq!(print.status, StatusCode::OK);
        assert!(print.body.contains(&titles[0]));

        let n = db::notices::get(&app.state.db, None, &notice).await.unwrap();
        let line = n.lines[0].id.clone();
        let good = [
            ("line_id", line.as_str()),
            ("name", "李四"),
            ("phone", "13912345678"),
            ("text", "该项目执行团队人员与申报书不一致，请核实。"),
        ];
        // Sunday: the period has not started yet
        let res = app.post_form(&format!("/notices/{notice}"), None, &good).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("不在公示期内"), "{}", res.body);

        // Tuesday: invalid fields are named in Chinese, a valid objection is taken
        let mut bad = good;
        bad[2] = ("phone", "12345");
        let res = at(&app, "2026-11-24 10:00", form(&format!("/notices/{notice}"), &bad)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("联系电话："), "{}", res.body);
        let res = at(&app, "2026-11-24 10:00", form(&format!("/notices/{notice}"), &good)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // Thursday 00:00: the period is over
        let res = at(&app, "2026-11-26 00:00", form(&format!("/notices/{notice}"), &good)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);

        // the operator sees the objection and dismisses it; then the closing job awards both
        let operator = app.login("operator").await;
        let page = app.get(&format!("/decision/notices/{notice}"), Some(&operator)).await;
        assert!(page.body.contains("13912345678"), "{}", page.body);
        let objection =
            db::notices::objections(&app.state.db, &Actor::system(), &app.state.keys, &notice, 0).await.unwrap()[0]
                .id
                .clone();
        let fields = [("outcome", "dismissed"), ("reason", "经核实人员一致"), ("notice", notice.as_str())];
        let res = app.post_form(&format!("/decision/objections/{objection}"), Some(&operator), &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap().and_hms_opt(0, 0, 1).unwrap();
        let report = db::jobs::run_due_jobs(&app.state.db, domain::clock::shanghai_to_utc(end).timestamp_millis())
            .await
            .unwrap();
        assert_eq!(report.done, 1);
        let results = app.get(&format!("/results/{program}"), None).await;
        assert_eq!(results.status, StatusCode::OK);
        assert!(results.body.contains(&titles[0]) && results.body.contains(&titles[1]), "{}", results.body);
        assert!(app.get("/results", None).await.body.contains(&format!("/results/{program}")));
        app
    })
    .await;
}

#[tokio::test]
async fn funder_change_without_reason_is_refused() {
    with_demo(|app| async move {
        let (program, _notice, _) = approved_slate(&app).await;
        // put the first line back to proposed (as if not yet approved) so the funder may change it
        let db = &app.state.db;
        let lines = db::decision::lines(db, &Actor::system(), &program).await.unwrap();
        let mut row = db::entity::slate_line::Entity::find_by_id(lines[0].id.as_str())
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .into_active_model();
        row.status = Set("proposed".into());
        row.batch_no = Set(None);
        row.notice_id = Set(None);
        row.update(db).await.unwrap();

        let funder = app.login("funder").await;
        let page = app.get(&format!("/decision/{program}"), Some(&funder)).await;
        assert_eq!(page.status, StatusCode::OK);
        let path = format!("/decision/lines/{}", lines[0].id);
        let res = app.post_form(&path, Some(&funder), &[("include", "on"), ("amount", "1.5"), ("reason", "")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("调整理由：不能为空"), "{}", res.body);
        let res =
            app.post_form(&path, Some(&funder), &[("include", "on"), ("amount", "1.5"), ("reason", "压减预算")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let after = db::decision::lines(db, &Actor::system(), &program).await.unwrap();
        assert_eq!(after[0].amount, Some(Fen(1_500_000)), "1.5万元 within the item's 2万元 cap");

        // the slate exports to Excel; an organization's people cannot see it
        let xlsx = app.get(&format!("/decision/{program}/slate.xlsx"), Some(&funder)).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        let org = app.login("orgadmin").await;
        assert_ne!(app.get(&format!("/decision/{program}"), Some(&org)).await.status, StatusCode::OK);
        app
    })
    .await;
}

#[tokio::test]
async fn notices_and_results_in_the_api() {
    with_demo(|app| async move {
        let (program, notice, _) = approved_slate(&app).await;
        let funder = actor(Role::FunderAdmin, Some(db::programs::get(&app.state.db, None, &program).await.unwrap().funder_id));
        db::notices::publish(&app.state.db, &funder, &notice, app.state.now_ms()).await.unwrap();
        let res = app.api("GET", "/api/v1/notices", None, None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()[0]["id"], notice.as_str());
        assert_eq!(res.json()[0]["period_end"], "2026-11-25");
        let line = res.json()[0]["lines"][0]["id"].as_str().unwrap().to_string();
        let body = serde_json::json!({"line_id": line, "name": "王五", "phone": "13812345678", "text": "申报单位与实际执行单位不一致。"});
        let res = app.api("POST", &format!("/api/v1/notices/{notice}/objections"), None, Some(body)).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "before the period: {}", res.body);
        // objections are not public
        assert_eq!(app.api("GET", &format!("/api/v1/notices/{notice}/objections"), None, None).await.status, StatusCode::UNAUTHORIZED);
        let token = app.token("operator").await;
        let res = app.api("GET", &format!("/api/v1/programs/{program}/slate"), Some(&token), None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json().as_array().unwrap().len(), 2);
        let res = app.api("GET", "/api/v1/results/chongchuan-9", None, None).await;
        assert_eq!((res.status, res.json()), (StatusCode::OK, serde_json::json!([])));
        app
    })
    .await;
}
