#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Logging in and out, the language switch, the user's own password, security headers.

mod common;

use axum::http::{StatusCode, header};
use common::{Browser, PASSWORD, with_demo};

#[tokio::test]
async fn wrong_password_is_refused_in_chinese_and_a_session_logs_out() {
    with_demo(|app| async move {
        let res = app.post_form("/login", None, &[("username", "funder"), ("password", "nope-1234")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("用户名或密码不正确"));
        assert!(res.body.contains("value=\"funder\""), "the user name is kept");

        let b = app.login("funder").await;
        let home = app.get("/", Some(&b)).await;
        assert!(home.body.contains("计划管理"), "funder navigation");
        let out = app.post_form("/logout", Some(&b), &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert_eq!(app.get("/admin/programs", Some(&b)).await.location(), "/login", "the old cookie no longer works");
        app
    })
    .await;
}

#[tokio::test]
async fn session_cookie_is_http_only_and_pages_carry_security_headers() {
    with_demo(|app| async move {
        let res = app.post_form("/login", None, &[("username", "admin"), ("password", PASSWORD)]).await;
        let cookie = res.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let page = app.get("/calls", None).await;
        assert!(page.headers.get("content-security-policy").is_some());
        assert_eq!(page.headers.get("x-frame-options").unwrap(), "DENY");
        app
    })
    .await;
}

#[tokio::test]
async fn a_form_without_the_session_token_is_refused() {
    with_demo(|app| async move {
        let b = app.login("funder").await;
        let forged = Browser { cookie: b.cookie.clone(), csrf: "forged".into() };
        let res = app
            .post_form(
                "/admin/programs/new",
                Some(&forged),
                &[("code", "x"), ("name", "x"), ("year", "2026"), ("area_code", "320613")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        app
    })
    .await;
}

#[tokio::test]
async fn english_is_chosen_per_user_and_kept() {
    with_demo(|app| async move {
        let b = app.login("orgadmin").await;
        let res = app.get("/lang/en", Some(&b)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = app.get("/account", Some(&b)).await;
        assert!(page.body.contains("Change password"), "English after the switch");
        assert!(page.body.contains("lang=\"en\""));
        let anon = app.get("/calls", None).await;
        assert!(anon.body.contains("项目征集"), "others still see Chinese");
        app
    })
    .await;
}

#[tokio::test]
async fn a_user_changes_their_password() {
    with_demo(|app| async move {
        let b = app.login("worker").await;
        let bad = app
            .post_form(
                "/account/password",
                Some(&b),
                &[("current_password", "wrong"), ("new_password", "Newpass-2026")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("当前密码：不正确"));
        let weak = app
            .post_form("/account/password", Some(&b), &[("current_password", PASSWORD), ("new_password", "short")])
            .await;
        assert!(weak.body.contains("新密码：至少8位"));
        let ok = app
            .post_form(
                "/account/password",
                Some(&b),
                &[("current_password", PASSWORD), ("new_password", "Newpass-2026")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let again = app.post_form("/login", None, &[("username", "worker"), ("password", "Newpass-2026")]).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        app
    })
    .await;
}

#[tokio::test]
async fn health_and_readiness() {
    with_demo(|app| async move {
        assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
        assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);
        assert_eq!(app.get("/static/app.css", None).await.status, StatusCode::OK);
        assert_eq!(app.get("/no/such/page", None).await.status, StatusCode::NOT_FOUND);
        // the database goes away: not ready, but the process is still up
        app.state.db.clone().close().await.unwrap();
        assert_eq!(app.get("/readyz", None).await.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
        app
    })
    .await;
}

#[tokio::test]
async fn an_error_page_keeps_the_users_header() {
    with_demo(|app| async move {
        let staff = app.login("orgstaff").await;
        for path in ["/projects/no-such-project", "/no-such-page"] {
            let res = app.get(path, Some(&staff)).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
            assert!(res.body.contains("action=\"/logout\"") && !res.body.contains("href=\"/login\""), "{path}");
        }
        // nobody logged in: the login link
        let res = app.get("/projects/no-such-project", None).await;
        assert!(res.status == StatusCode::SEE_OTHER || res.body.contains("href=\"/login\""));
        let res = app.get("/no-such-page", None).await;
        assert!(res.body.contains("href=\"/login\"") && !res.body.contains("action=\"/logout\""));
        assert!(res.body.contains("页面或记录不存在"));
        // in the visitor's language
        let english = Browser { cookie: "gy_lang=en".into(), csrf: String::new() };
        let res = app.get("/no-such-page", Some(&english)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(res.body.contains("Page or record not found"), "{}", res.body);
        app
    })
    .await;
}
