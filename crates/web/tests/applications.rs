#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Applications (申报书) and screening (初筛) through the pages: draft → submit → screening,
//! the deadline, the eligibility checks, scope, and the "more information" loop.

mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp, with_demo};
use db::Actor;
use domain::program::{CallItem, OutputTarget, ProgramStatus};
use domain::role::Role;
use domain::rules::ProgramRules;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

/// The Chongchuan funder as a repository actor.
async fn funder(app: &TestApp) -> Actor {
    let org = db::organizations::find_by_name(&app.state.db, "南通市崇川区民政局").await.unwrap().unwrap();
    Actor {
        user_id: None,
        username: "funder".into(),
        role: Role::FunderAdmin,
        organization_id: Some(org.id),
        area_code: Some("320613".into()),
        program_id: None,
    }
}

/// A published Chongchuan program with one item (an output of ≥ 12 visits, personnel ≤ 30%)
/// and an application phase ending at `deadline` (Asia/Shanghai). Returns the item id.
async fn open_call(app: &TestApp, code: &str, deadline: &str) -> String {
    let db = &app.state.db;
    let actor = funder(app).await;
    let now = app.state.now_ms();
    let input = db::programs::ProgramInput {
        code: code.into(),
        name: format!("测试计划 {code}"),
        year: 2026,
        area_code: "320613".into(),
        ..Default::default()
    };
    let pid = db::programs::create(db, &actor, &input, now).await.unwrap();
    let mut rules = ProgramRules::default();
    rules.budget.personnel_max_percent = Some(30);
    db::programs::set_rules(db, &actor, &pid, &rules, now).await.unwrap();
    let output: OutputTarget = serde_json::from_value(serde_json::json!({
        "metric": "visits", "description": "上门探访独居老人", "quantity": 12, "unit": "次"
    }))
    .unwrap();
    let item = CallItem {
        code: "D01".into(),
        track: "directed".into(),
        name: "独居老人探访关爱".into(),
        outputs: vec![output],
        ..Default::default()
    };
    let item_id = db::programs::create_item(db, &actor, &pid, &item, now).await.unwrap();
    let local = chrono::NaiveDateTime::parse_from_str(deadline, "%Y-%m-%d %H:%M").unwrap();
    db::entity::phase::ActiveModel {
        id: Set(db::new_id()),
        program_id: Set(pid.clone()),
        name: Set("项目申报".into()),
        starts_on: Set(None),
        ends_on: Set(None),
        deadline_ms: Set(Some(domain::clock::shanghai_to_utc(local).timestamp_millis())),
        note: Set(String::new()),
        position: Set(0),
    }
    .insert(db)
    .await
    .unwrap();
    db::programs::set_status(db, &actor, &pid, ProgramStatus::Published, now).await.unwrap();
    item_id
}

/// The form fields of an application; `personnel` and `activities` are yuan.
fn fields<'a>(title: &'a str, visits: &'a str, personnel: &'a str, activities: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("summary", "为社区独居老人提供定期探访"),
        ("needs_analysis", "辖区独居老人120人"),
        ("objectives", "降低独居风险"),
        ("p_month", "2027-01"),
        ("p_activities", "建档与首次探访"),
        ("o_index", "0"),
        ("o_quantity", visits),
        ("t_name", "张三"),
        ("t_role", "项目负责人"),
        ("t_certified", "yes"),
        ("t_full_time", "yes"),
        ("lead", "0"),
        ("b_category", "personnel"),
        ("b_amount", personnel),
        ("b_uses", "社工补贴"),
        ("b_category", "activities"),
        ("b_amount", activities),
        ("b_uses", "探访活动"),
    ]
}

/// Create a draft through the form; returns the application id.
async fn draft(app: &TestApp, b: &Browser, item: &str, form: &[(&str, &str)]) -> String {
    let res = app.post_form(&format!("/applications/new?item={item}"), Some(b), form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.location().trim_start_matches("/applications/").split('?').next().unwrap().to_string()
}

#[tokio::test]
async fn draft_submit_and_screening_pass() {
    with_demo(|app| async move {
        let item = open_call(&app, "cc-open", "2026-12-10 17:00").await;
        let org = app.login("orgadmin").await;
        let page = app.get(&format!("/admin/items/{item}"), Some(&org)).await;
        assert!(page.body.contains(&format!("/applications/new?item={item}")), "申报 button on the item page");
        let form = app.get(&format!("/applications/new?item={item}"), Some(&org)).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("上门探访独居老人"), "required output next to the proposed quantity");

        // a proposed quantity below the required one is refused naming the output
        let res = app
            .post_form(
                &format!("/applications/new?item={item}"),
                Some(&org),
                &fields("探访关爱", "6", "20000", "80000"),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("上门探访独居老人") && res.body.contains("低于要求的 12次"), "{}", res.body);

        let id = draft(&app, &org, &item, &fields("探访关爱", "12", "20000", "80000")).await;
        let page = app.get(&format!("/applications/{id}"), Some(&org)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("100000.00"), "total computed from the lines");
        assert!(page.body.contains("资格自查") && page.body.contains("人员费用 2万元"), "{}", page.body);
        assert!(page.body.contains("/applications/{id}/submit".replace("{id}", &id).as_str()));

        let res = app.post_form(&format!("/applications/{id}/submit"), Some(&org), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let list = app.get("/applications", Some(&org)).await;
        assert!(list.body.contains("探访关爱") && list.body.contains("已提交"));

        let op = app.login("operator").await;
        let queue = app.get("/admin/screening", Some(&op)).await;
        assert_eq!(queue.status, StatusCode::OK);
        assert!(queue.body.contains("探访关爱") && queue.body.contains("示例·崇川区和美社会工作服务中心"));
        let res =
            app.post_form(&format!("/admin/screening/{id}"), Some(&op), &[("outcome", "pass"), ("reasons", "")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = app.get(&format!("/applications/{id}"), Some(&org)).await;
        assert!(page.body.contains("初筛通过"), "{}", page.body);
        app
    })
    .await;
}

#[tokio::test]
async fn submit_after_the_deadline_is_refused_with_the_time() {
    with_demo(|app| async move {
        let item = open_call(&app, "cc-late", "2021-06-10 12:00").await;
        let org = app.login("orgadmin").await;
        let id = draft(&app, &org, &item, &fields("逾期申报", "12", "20000", "80000")).await;
        let res = app.post_form(&format!("/applications/{id}/submit"), Some(&org), &[]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("申报截止时间（2021-06-10 12:00）已过，不能提交"), "{}", res.body);
        let page = app.get(&format!("/applications/{id}"), Some(&org)).await;
        assert!(page.body.contains("草稿"), "still a draft");
        app
    })
    .await;
}

#[tokio::test]
async fn personnel_over_thirty_percent_fails_its_check() {
    with_demo(|app| async move {
        let item = open_call(&app, "cc-share", "2026-12-10 17:00").await;
        let org = app.login("orgadmin").await;
        let id = draft(&app, &org, &item, &fields("人员占比过高", "12", "40000", "60000")).await;
        let page = app.get(&format!("/applications/{id}"), Some(&org)).await;
        let line = page.body.split("<li class=\"fail\">").nth(1).unwrap_or_else(|| panic!("{}", page.body));
        assert!(line.contains("人员费用 4万元") && line.contains("40.00%") && line.contains("超过"), "{line}");
        app
    })
    .await;
}

#[tokio::test]
async fn an_organization_cannot_read_another_organizations_application() {
    with_demo(|app| async move {
        let item = open_call(&app, "cc-scope", "2026-12-10 17:00").await;
        let org = app.login("orgadmin").await;
        let id = draft(&app, &org, &item, &fields("本单位申报", "12", "20000", "80000")).await;
        // another social organization's admin
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
        let b = app.login("otherorg").await;
        assert_eq!(app.get(&format!("/applications/{id}"), Some(&b)).await.status, StatusCode::NOT_FOUND);
        let res = app.post_form(&format!("/applications/{id}/submit"), Some(&b), &[]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        // and an operator does not see drafts
        let op = app.login("operator").await;
        assert_eq!(app.get(&format!("/applications/{id}"), Some(&op)).await.status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test]
async fn return_for_more_information_reopens_and_resubmit_makes_version_two() {
    with_demo(|app| async move {
        let item = open_call(&app, "cc-return", "2026-12-10 17:00").await;
        let org = app.login("orgadmin").await;
        let id = draft(&app, &org, &item, &fields("补充材料", "12", "20000", "80000")).await;
        app.post_form(&format!("/applications/{id}/submit"), Some(&org), &[]).await;
        let op = app.login("operator").await;
        // a return needs reasons
        let res = app
            .post_form(&format!("/admin/screening/{id}"), Some(&op), &[("outcome", "return"), ("reasons", "")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("必须填写理由"));
        let res = app
            .post_form(
                &format!("/admin/screening/{id}"),
                Some(&op),
                &[("outcome", "return"), ("reasons", "请补充项目负责人社工证复印件")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

        let page = app.get(&format!("/applications/{id}"), Some(&org)).await;
        assert!(
            page.body.contains("退回补充材料") && page.body.contains("请补充项目负责人社工证复印件"),
            "{}",
            page.body
        );
        let mut form = fields("补充材料（修改）", "15", "20000", "80000");
        form.retain(|(k, _)| *k != "title");
        form.push(("title", "补充材料（修改）"));
        let res = app.post_form(&format!("/applications/{id}/edit"), Some(&org), &form).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let res = app.post_form(&format!("/applications/{id}/submit"), Some(&org), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

        let versions = db::applications::versions(&app.state.db, &Actor::system(), &id).await.unwrap();
        assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), vec![1, 2]);
        let page = app.get(&format!("/applications/{id}"), Some(&org)).await;
        assert!(page.body.contains("补充材料（修改）") && page.body.contains("已提交"));

        // the operator fails it; the applicant reads the reasons
        let res = app
            .post_form(
                &format!("/admin/screening/{id}"),
                Some(&op),
                &[("outcome", "fail"), ("reasons", "服务区域不在崇川区")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = app.get(&format!("/applications/{id}"), Some(&org)).await;
        assert!(page.body.contains("初筛未通过") && page.body.contains("服务区域不在崇川区"));
        app
    })
    .await;
}
