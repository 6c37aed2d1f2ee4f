#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! One application from draft to a final award, through every role, in headless chromium at
//! phone width: the social organization applies before the deadline, the operator screens it and
//! draws an expert panel, each drawn expert declares no conflict and signs a scorecard, the funder
//! approves the slate and publishes the public notice, the public reads it without logging in,
//! and when the notice period (3 working days) has run out the closing job makes the award final
//! and it appears on the public results page. Time is a manual clock walked through the 2021
//! Chongchuan timeline.

mod support;

use std::sync::Arc;

use chrono::NaiveDate;
use domain::clock::ManualClock;
use fantoccini::{Client, Locator};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use support::*;

const TITLE: &str = "示例·文明养犬进社区（浏览器测试）";

fn at(y: i32, m: u32, d: u32, h: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap()
}

/// Type into every input of that name (the rows of a repeated section).
async fn fill_all(c: &Client, name: &str, value: &str) {
    for el in c.find_all(Locator::Css(&format!("[name='{name}']"))).await.unwrap() {
        el.clear().await.ok();
        el.send_keys(value).await.unwrap();
    }
}

/// Click, answering "yes" to the confirmation some forms ask for (`data-confirm`).
async fn click_css(c: &Client, css: &str) {
    c.execute("window.confirm = () => true;", vec![]).await.unwrap();
    click(c, Locator::Css(css)).await;
}

#[tokio::test]
async fn one_application_goes_from_draft_to_a_final_award_through_every_role() {
    let Some(driver) = driver_or_skip() else { return };
    let clock = Arc::new(ManualClock::at_shanghai(at(2021, 1, 20, 10)));
    let g = start_gongyi_at(clock.clone(), "award").await;
    let (_guard, c) = start_browser(&driver).await;
    let base = g.base.as_str();
    let program = db::programs::get(&g.db, None, "chongchuan-9").await.unwrap();
    let items = db::programs::items(&g.db, None, &program.id).await.unwrap();
    let item = items.iter().find(|i| i.item.code == "D02").unwrap();

    // 1. the social organization writes and submits its application before the deadline
    login(&c, base, "orgadmin").await;
    open(&c, base, &format!("/applications/new?item={}", item.id), "文明养犬倡导计划").await;
    fill(&c, "title", TITLE).await;
    fill(&c, "summary", "在社区开展文明养犬宣传与志愿巡查。").await;
    fill_all(&c, "o_quantity", "30").await;
    c.execute("document.querySelector(\"select[name='b_category']\").value = 'activities';", vec![]).await.unwrap();
    fill(&c, "b_amount", "20000").await;
    fill(&c, "b_uses", "宣传活动物料与场地").await;
    submit(&c, "form[action^='/applications/new']").await;
    wait_for(&c, "已保存").await;
    let application = c.current_url().await.unwrap().path().trim_start_matches("/applications/").to_string();
    click_css(&c, &format!("form[action='/applications/{application}/submit'] button")).await;
    wait_for(&c, "已提交").await;

    // 2. the operator screens it (the submission put it in the operator's queue)
    clock.set_shanghai(at(2021, 2, 1, 9));
    login(&c, base, "operator").await;
    open(&c, base, "/notifications", "新提交的申报书待初筛").await;
    open(&c, base, &format!("/admin/screening?program={}", program.id), TITLE).await;
    let form = format!("form[action='/admin/screening/{application}']");
    c.execute(&format!("document.querySelector(\"{form} select[name='outcome']\").value = 'pass';"), vec![])
        .await
        .unwrap();
    fill(&c, "reasons", "资格条件均满足").await;
    click_css(&c, &format!("{form} button")).await;
    wait_for(&c, "初筛结果已记录").await;

    // 3. the operator draws a panel of three experts
    open(&c, base, &format!("/admin/review?program={}", program.id), "抽取").await;
    fill(&c, "size", "3").await;
    click_css(&c, "form[action='/admin/review/draw'] button[type=submit]").await;
    wait_for(&c, "已抽取评审专家").await;
    let panel = c.current_url().await.unwrap().path().trim_start_matches("/admin/review/panels/").to_string();
    let members = db::entity::review_panel_member::Entity::find()
        .filter(db::entity::review_panel_member::Column::PanelId.eq(panel.as_str()))
        .all(&g.db)
        .await
        .unwrap();
    assert_eq!(members.len(), 3);

    // 4. each expert declares no conflict, scores on the form and signs
    for m in &members {
        let user = db::entity::user::Entity::find_by_id(m.user_id.clone().unwrap()).one(&g.db).await.unwrap().unwrap();
        login(&c, base, &user.username).await;
        open(&c, base, "/review", TITLE).await;
        click(&c, Locator::LinkText(TITLE)).await;
        wait_for(&c, "利益冲突").await;
        click_css(&c, "input[name='conflict'][value='no']").await;
        click_css(&c, "form[action$='/declare'] button").await;
        wait_for(&c, "已声明无利益冲突").await;
        for code in ["materials", "plan_quality", "feasibility", "org_capacity", "team"] {
            fill(&c, &format!("s_{code}"), "18").await;
        }
        click_css(&c, "input[name='confirm_sign']").await;
        click_css(&c, "button[name='action'][value='sign']").await;
        wait_for(&c, "评分表已签名").await;
    }

    // 5. the operator generates the slate; the funder approves this line and publishes the notice
    login(&c, base, "operator").await;
    open(&c, base, &format!("/decision/{}", program.id), "拟立项").await;
    click_css(&c, "form[action$='/generate'] button").await;
    wait_for(&c, "已根据评审排名生成拟立项名单").await;
    clock.set_shanghai(at(2021, 2, 22, 10));
    login(&c, base, "funder").await;
    open(&c, base, &format!("/decision/{}", program.id), TITLE).await;
    click_css(&c, &format!("input[name='line'][aria-label$='{TITLE}']")).await;
    click_css(&c, "#approve-form button").await;
    wait_for(&c, "所选项目已审批").await;
    click_css(&c, "form[action$='/notices'] button").await;
    wait_for(&c, "公示已生成").await;
    click_css(&c, "form[action$='/publish'] button").await;
    wait_for(&c, "公示已发布").await;
    let text = wait_for(&c, "2021-02-25").await;
    assert!(text.contains(TITLE), "the notice lists the award: {text}");
    let notice = c.current_url().await.unwrap().path().trim_start_matches("/decision/notices/").to_string();

    // 6. the public reads the notice on a phone without logging in
    click(&c, Locator::XPath("//button[text()='退出']")).await;
    wait_for(&c, "登录").await;
    let text = open(&c, base, &format!("/notices/{notice}"), TITLE).await;
    assert!(text.contains("异议"), "objections can be filed during the period: {text}");
    assert!(fits_phone(&c).await <= 0, "the notice fits a 360-px screen");

    // 7. after the period the closing job makes the award final; it appears on the results page
    clock.set_shanghai(at(2021, 3, 1, 9));
    login(&c, base, "funder").await;
    open(&c, base, &format!("/decision/notices/{notice}"), TITLE).await;
    click_css(&c, "form[action='/decision/jobs/run'] button").await;
    wait_for(&c, "到期任务已执行").await;
    click(&c, Locator::XPath("//button[text()='退出']")).await;
    // the logout lands on the home page before the next address is opened
    wait_for(&c, "查看项目征集").await;
    let text = open(&c, base, &format!("/results/{}", program.code), TITLE).await;
    assert!(text.contains("2.00") || text.contains("2 万") || text.contains("20000"), "the amount: {text}");
    let award = db::entity::award::Entity::find()
        .filter(db::entity::award::Column::ApplicationId.eq(application.as_str()))
        .one(&g.db)
        .await
        .unwrap()
        .expect("a final award");
    assert_eq!(award.status, "final");
    let project = db::entity::project::Entity::find()
        .filter(db::entity::project::Column::AwardId.eq(award.id.as_str()))
        .one(&g.db)
        .await
        .unwrap();
    assert!(project.is_some(), "the award became a project");

    c.close().await.ok();
    let _ = std::fs::remove_dir_all(&g.dir);
}
