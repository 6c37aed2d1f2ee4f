#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Expert review through the pages and the API: the operator draws a panel (and replays it), a
//! reviewer declares, scores and signs on the tablet form, blind mode hides the applicant, other
//! people's assignments are 404, and the exports are Excel files.

mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp, with_demo};

const MEMORY: &str = "示例·“记忆守护”认知症家庭支持";
const HEMEI: &str = "示例·崇川区和美社会工作服务中心";

async fn chongchuan(app: &TestApp) -> String {
    db::programs::get(&app.state.db, None, "chongchuan-9").await.unwrap().id
}

/// The operator draws a five-expert panel through the form; returns the panel id.
async fn draw(app: &TestApp, operator: &Browser, blind: bool) -> String {
    let program = chongchuan(app).await;
    let mut fields = vec![("program", program.as_str()), ("size", "5"), ("track_code", "")];
    if blind {
        fields.push(("blind", "on"));
    }
    let res = app.post_form("/admin/review/draw", Some(operator), &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let loc = res.location().to_string();
    assert!(loc.ends_with("?ok=review_drawn"), "{loc}");
    loc.trim_start_matches("/admin/review/panels/").trim_end_matches("?ok=review_drawn").to_string()
}

/// The assignment id linked next to `title` in the reviewer's queue.
fn assignment_in(queue: &str, title: &str) -> String {
    let at = queue.find(title).unwrap_or_else(|| panic!("{title} not in queue"));
    let before = &queue[..at];
    let start = before.rfind("href=\"/review/").unwrap() + "href=\"/review/".len();
    before[start..].split('"').next().unwrap().to_string()
}

fn scores(points: &str) -> Vec<(&'static str, String)> {
    ["s_materials", "s_plan_quality", "s_feasibility", "s_org_capacity", "s_team"]
        .into_iter()
        .map(|k| (k, points.to_string()))
        .collect()
}

#[tokio::test]
async fn a_reviewer_declares_scores_and_signs_on_the_form() {
    with_demo(|app| async move {
        let operator = app.login("operator").await;
        let panel = draw(&app, &operator, false).await;
        let page = app.get(&format!("/admin/review/panels/{panel}"), Some(&operator)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("示例·赵儿童") && page.body.contains("关联关系"), "the related expert is excluded");
        let replay = app.get(&format!("/admin/review/panels/{panel}/replay"), Some(&operator)).await;
        assert!(replay.body.contains("复现结果与记录一致"), "{}", replay.body);

        let reviewer = app.login("reviewer").await;
        let queue = app.get("/review", Some(&reviewer)).await;
        assert_eq!(queue.status, StatusCode::OK);
        assert!(queue.body.contains(HEMEI), "not blind: the applicant is named");
        let id = assignment_in(&queue.body, MEMORY);

        // before the declaration: no application content, no scoring form
        let item = app.get(&format!("/review/{id}"), Some(&reviewer)).await;
        assert!(item.body.contains("利益冲突声明") && !item.body.contains("name=\"s_materials\""), "{}", item.body);
        let res = app.post_form(&format!("/review/{id}/declare"), Some(&reviewer), &[("conflict", "no")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let item = app.get(&format!("/review/{id}"), Some(&reviewer)).await;
        assert!(item.body.contains("name=\"s_materials\"") && item.body.contains("inputmode=\"decimal\""));

        // a score above the maximum is refused naming the criterion; a draft saves
        let mut bad = scores("18");
        bad[0].1 = "25".into();
        let mut form: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form.push(("action", "save"));
        let res = app.post_form(&format!("/review/{id}/card"), Some(&reviewer), &form).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("“申报材料”的得分25.00超出满分20.00"), "{}", res.body);
        let good = scores("17.5");
        let mut form: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form.push(("action", "save"));
        let res = app.post_form(&format!("/review/{id}/card"), Some(&reviewer), &form).await;
        assert_eq!(res.location(), format!("/review/{id}?ok=review_saved"));
        let item = app.get(&format!("/review/{id}"), Some(&reviewer)).await;
        assert!(item.body.contains("87.50"), "saved total shown: {}", item.body);

        // signing needs the confirmation tick, then locks the card
        form.pop();
        form.push(("action", "sign"));
        let res = app.post_form(&format!("/review/{id}/card"), Some(&reviewer), &form).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        form.push(("confirm_sign", "on"));
        let res = app.post_form(&format!("/review/{id}/card"), Some(&reviewer), &form).await;
        assert_eq!(res.location(), format!("/review/{id}?ok=review_signed"), "{}", res.body);
        let item = app.get(&format!("/review/{id}"), Some(&reviewer)).await;
        assert!(item.body.contains("该评分表已签名锁定") && !item.body.contains("name=\"s_materials\""));
        let twenty = scores("20");
        let mut again: Vec<(&str, &str)> = twenty.iter().map(|(k, v)| (*k, v.as_str())).collect();
        again.push(("action", "save"));
        let res = app.post_form(&format!("/review/{id}/card"), Some(&reviewer), &again).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("已签名锁定，不能修改"), "{}", res.body);

        // the operator's ranking shows the signed score with the tie-break statement
        let program = chongchuan(&app).await;
        let ranking = app.get(&format!("/admin/review/programs/{program}/ranking"), Some(&operator)).await;
        assert_eq!(ranking.status, StatusCode::OK);
        assert!(ranking.body.contains("87.50") && ranking.body.contains("得分相同时，依次比较"), "{}", ranking.body);
        app
    })
    .await;
}

#[tokio::test]
async fn blind_mode_hides_the_applicant_in_pages_and_api() {
    with_demo(|app| async move {
        let operator = app.login("operator").await;
        draw(&app, &operator, true).await;
        let reviewer = app.login("reviewer").await;
        let queue = app.get("/review", Some(&reviewer)).await;
        assert!(queue.body.contains("申报单位A"), "{}", queue.body);
        assert!(!queue.body.contains(HEMEI) && !queue.body.contains("邻里互助"), "{}", queue.body);
        let id = assignment_in(&queue.body, MEMORY);
        app.post_form(&format!("/review/{id}/declare"), Some(&reviewer), &[("conflict", "no")]).await;
        let item = app.get(&format!("/review/{id}"), Some(&reviewer)).await;
        assert!(!item.body.contains(HEMEI), "{}", item.body);

        let token = app.token("reviewer").await;
        let res = app.api("GET", "/api/v1/review/assignments", Some(&token), None).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(!res.body.contains(HEMEI), "{}", res.body);
        assert!(
            res.json().as_array().unwrap().iter().all(|a| a["applicant"].as_str().unwrap().starts_with("申报单位"))
        );
        let res = app.api("GET", &format!("/api/v1/review/assignments/{id}"), Some(&token), None).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(!res.body.contains(HEMEI) && res.body.contains("summary"), "{}", res.body);
        app
    })
    .await;
}

#[tokio::test]
async fn other_reviewers_assignments_and_manager_pages_are_not_found() {
    with_demo(|app| async move {
        let operator = app.login("operator").await;
        let panel = draw(&app, &operator, false).await;
        let reviewer = app.login("reviewer").await;
        let queue = app.get("/review", Some(&reviewer)).await;
        let id = assignment_in(&queue.body, MEMORY);

        let other = app.login("reviewer2").await;
        assert_eq!(app.get(&format!("/review/{id}"), Some(&other)).await.status, StatusCode::NOT_FOUND);
        let res = app.post_form(&format!("/review/{id}/declare"), Some(&other), &[("conflict", "no")]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/review/not-an-id", Some(&reviewer)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            app.get(&format!("/admin/review/panels/{panel}"), Some(&reviewer)).await.status,
            StatusCode::NOT_FOUND
        );
        let program = chongchuan(&app).await;
        let res = app.get(&format!("/admin/review/programs/{program}/ranking"), Some(&reviewer)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);

        // the API: another reviewer's assignment and the ranking are 404; the operator reads it
        let token = app.token("reviewer2").await;
        let body = serde_json::json!({"scores": {"materials": "20"}});
        let res =
            app.api("POST", &format!("/api/v1/review/assignments/{id}/scorecard"), Some(&token), Some(body)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
        let res = app.api("GET", "/api/v1/review/rankings/chongchuan-9", Some(&token), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let op = app.token("operator").await;
        let res = app.api("GET", "/api/v1/review/rankings/chongchuan-9", Some(&op), None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(res.json().as_array().unwrap().iter().any(|g| g["group"] == "D07"));
        let res = app.api("GET", &format!("/api/v1/review/panels/{panel}"), Some(&op), None).await;
        assert_eq!(res.json()["replay_matches"], true, "{}", res.body);
        app
    })
    .await;
}

#[tokio::test]
async fn the_api_scores_and_signs_and_the_exports_are_excel() {
    with_demo(|app| async move {
        let operator = app.login("operator").await;
        draw(&app, &operator, false).await;
        let token = app.token("reviewer").await;
        let mine = app.api("GET", "/api/v1/review/assignments", Some(&token), None).await.json();
        let id =
            mine.as_array().unwrap().iter().find(|a| a["title"] == MEMORY).unwrap()["id"].as_str().unwrap().to_string();
        let declare = serde_json::json!({"conflict": false});
        let res =
            app.api("POST", &format!("/api/v1/review/assignments/{id}/declaration"), Some(&token), Some(declare)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let card = serde_json::json!({"scores": {"materials": "16", "plan_quality": "18", "feasibility": "17",
            "org_capacity": "15", "team": "14"}, "comment": "方案可行"});
        let res =
            app.api("POST", &format!("/api/v1/review/assignments/{id}/scorecard"), Some(&token), Some(card)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let res = app.api("POST", &format!("/api/v1/review/assignments/{id}/sign"), Some(&token), None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()["card"]["signed"], true);
        let res = app.api("POST", &format!("/api/v1/review/assignments/{id}/sign"), Some(&token), None).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);

        let program = chongchuan(&app).await;
        for path in ["matrix.xlsx", "ranking.xlsx"] {
            let res = app.get(&format!("/admin/review/programs/{program}/{path}"), Some(&operator)).await;
            assert_eq!(res.status, StatusCode::OK, "{path}");
            let ct = res.headers.get("content-type").unwrap().to_str().unwrap();
            assert!(ct.contains("spreadsheetml"), "{ct}");
            assert!(res.body.starts_with("PK"), "{path} is a zip (xlsx)");
        }
        let reviewer_expert = db::review::expert_for_user(&app.state.db, &app.user_id("reviewer").await).await.unwrap();
        let sheet = app
            .get(&format!("/admin/review/programs/{program}/sheet/{}", reviewer_expert.unwrap().id), Some(&operator))
            .await;
        assert_eq!(sheet.status, StatusCode::OK);
        assert!(sheet.body.contains("评审专家签名") && sheet.body.contains("80.00") && sheet.body.contains(MEMORY));
        let doc = app.api("GET", "/api/openapi.json", None, None).await.json();
        assert!(doc["paths"]["/api/v1/review/assignments/{id}/scorecard"]["post"].is_object());
        app
    })
    .await;
}

#[tokio::test]
async fn the_expert_pool_lists_adds_and_edits_experts() {
    with_demo(|app| async move {
        let operator = app.login("operator").await;
        let page = app.get("/admin/experts", Some(&operator)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("示例·张评审") && page.body.contains("财务、审计"), "{}", page.body);

        let res = app.post_form("/admin/experts", Some(&operator), &[("name", "示例·吴新"), ("fields", "")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("专业领域：至少填写一个领域"), "{}", res.body);
        let fields =
            [("name", "示例·吴新"), ("fields", "养老服务、财务"), ("area_code", "320613003"), ("active", "on")];
        let res = app.post_form("/admin/experts", Some(&operator), &fields).await;
        assert_eq!(res.location(), "/admin/experts?ok=review_expert_saved", "{}", res.body);
        let experts = db::review::list_experts(&app.state.db, &db::Actor::system(), false).await.unwrap();
        let wu = experts.iter().find(|e| e.name == "示例·吴新").unwrap();
        assert_eq!(wu.fields, vec!["养老服务".to_string(), "财务".to_string()]);

        // deactivated experts are no longer drawn
        let res = app
            .post_form(
                &format!("/admin/experts/{}", wu.id),
                Some(&operator),
                &[("name", "示例·吴新"), ("fields", "养老服务")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let active = db::review::list_experts(&app.state.db, &db::Actor::system(), true).await.unwrap();
        assert!(!active.iter().any(|e| e.name == "示例·吴新"));
        // reviewers cannot open the pool
        let reviewer = app.login("reviewer").await;
        assert_eq!(app.get("/admin/experts", Some(&reviewer)).await.status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test]
async fn a_reviewer_cannot_open_applications_outside_the_review_pages() {
    with_demo(|app| async move {
        let operator = app.login("operator").await;
        draw(&app, &operator, true).await;
        let list = db::applications::list(
            &app.state.db,
            &db::Actor::system(),
            &db::applications::ApplicationFilter { program_id: Some(chongchuan(&app).await), status: None },
            &db::PageRequest::default(),
        )
        .await
        .unwrap();
        let submitted = list.items.iter().find(|a| a.status != "draft").unwrap();
        let reviewer = app.login("reviewer").await;
        // blind mode and conflicts are applied by the review pages only: the application pages,
        // the print view and the API know no reviewer
        for path in [format!("/applications/{}", submitted.id), format!("/applications/{}/print", submitted.id)] {
            let res = app.get(&path, Some(&reviewer)).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
            assert!(!res.body.contains(HEMEI));
        }
        let token = app.token("reviewer").await;
        let res = app.api("GET", &format!("/api/v1/applications/{}", submitted.id), Some(&token), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test]
async fn the_operator_reminds_reviewers_with_unfinished_work() {
    with_demo(|app| async move {
        let operator = app.login("operator").await;
        let panel = draw(&app, &operator, false).await;
        let res = app.post_form(&format!("/admin/review/panels/{panel}/remind"), Some(&operator), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let reviewer = app.login("reviewer").await;
        let list = app.get("/notifications", Some(&reviewer)).await;
        assert!(list.body.contains("提醒：") && list.body.contains("待声明或评分签名"), "{}", list.body);
        // reviewers cannot send reminders
        let res = app.post_form(&format!("/admin/review/panels/{panel}/remind"), Some(&reviewer), &[]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}
