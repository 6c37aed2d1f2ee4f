#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Browser test in headless Debian chromium (via chromedriver): a funder logs in on a phone-
//! sized window, creates a program and a call item, publishes it, and the public finds it.

mod support;

use fantoccini::Locator;
use support::*;

#[tokio::test]
async fn funder_publishes_a_call_item_and_the_public_reads_it_on_a_phone() {
    let Some(driver) = driver_or_skip() else { return };
    let (base, dir) = start_gongyi().await;
    let (_guard, c) = start_browser(&driver).await;

    // log in as the funder (崇川区民政局)
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(&c, "username", "funder").await;
    fill(&c, "password", PASSWORD).await;
    submit(&c, "main form").await;
    wait_for(&c, "您好").await;

    // a new program
    c.goto(&format!("{base}/admin/programs/new")).await.unwrap();
    fill(&c, "code", "chongchuan-10").await;
    fill(&c, "name", "崇川区第十届社区公益助力计划").await;
    fill(&c, "year", "2026").await;
    submit(&c, "main form.card").await;
    let text = wait_for(&c, "草稿").await;
    assert!(text.contains("崇川区第十届社区公益助力计划"), "program created as draft: {text}");

    // it is not public yet
    let program_url = c.current_url().await.unwrap().to_string();

    // a call item with an output target
    click(&c, Locator::LinkText("新增项目条目")).await;
    fill(&c, "code", "D01").await;
    fill(&c, "name", "独居老人探访关爱（浏览器测试）").await;
    fill(&c, "cap_wan", "5").await;
    fill(&c, "o_description", "每月上门探访不少于1次").await;
    submit(&c, "main form.card").await;
    wait_for(&c, "已创建").await;
    wait_for(&c, "独居老人探访关爱（浏览器测试）").await;

    // publish the program
    c.goto(&program_url).await.unwrap();
    click(&c, Locator::XPath("//button[text()='发布']")).await;
    wait_for(&c, "已发布").await;

    // the public portal at phone width, logged out
    click(&c, Locator::XPath("//button[text()='退出']")).await;
    wait_for(&c, "登录").await;
    c.goto(&format!("{base}/calls")).await.unwrap();
    click(&c, Locator::LinkText("崇川区第十届社区公益助力计划")).await;
    click(&c, Locator::LinkText("独居老人探访关爱（浏览器测试）")).await;
    let text = wait_for(&c, "每月上门探访不少于1次").await;
    assert!(text.contains("D01") && text.contains("5 万元"), "item page: {text}");
    let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
    assert!(
        overflow.as_i64().unwrap_or(0) <= 0,
        "the item page fits a 360-px screen without sideways scrolling ({overflow})"
    );

    c.close().await.ok();
    let _ = std::fs::remove_dir_all(dir);
}
