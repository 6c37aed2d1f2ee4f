#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The public portal: every program readable without login, drafts never.

mod common;

use axum::http::StatusCode;
use common::with_demo;

#[tokio::test]
async fn calls_list_shows_the_five_programs() {
    with_demo(|app| async move {
        let res = app.get("/calls", None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", app.backend);
        for name in ["杭州", "房山", "崇川区第九届社区公益助力计划", "青铜峡", "城关"] {
            assert!(res.body.contains(name), "{}: /calls lacks {name}", app.backend);
        }
        app
    })
    .await;
}

#[tokio::test]
async fn program_page_lists_items_with_codes_and_caps() {
    with_demo(|app| async move {
        let res = app.get("/calls/hangzhou-2021", None).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("2021C1001E"));
        assert!(res.body.contains("散居特困人员探访关爱项目"));
        let res = app.get("/calls/chongchuan-9", None).await;
        assert!(res.body.contains("公益定投"));
        assert!(res.body.contains("40%"), "tranches 40/40/20 shown");
        app
    })
    .await;
}

#[tokio::test]
async fn unknown_program_is_a_chinese_404() {
    with_demo(|app| async move {
        let res = app.get("/calls/no-such-program", None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(res.body.contains("不存在"));
        app
    })
    .await;
}
