#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! In-app notifications: the header badge, the list, opening one, privacy between users, the
//! e-mail address and the outbox drained by the mailer.

mod common;

use std::sync::Mutex;

use axum::http::StatusCode;
use common::with_demo;
use db::notifications::OutgoingEmail;
use sea_orm::EntityTrait;

#[tokio::test]
async fn a_notification_shows_in_the_header_and_opens_its_link() {
    with_demo(|app| async move {
        let org = app.user_id("orgadmin").await;
        db::notifications::notify(
            &app.state.db,
            &[org.clone(), org],
            "test.kind",
            "初筛结果：通过",
            "/applications",
            1,
        )
        .await
        .unwrap();
        let b = app.login("orgadmin").await;
        let home = app.get("/", Some(&b)).await;
        assert!(home.body.contains("class=\"count\">1<"), "one unread notification (duplicates folded)");
        let list = app.get("/notifications", Some(&b)).await;
        assert!(list.body.contains("初筛结果：通过"));
        let id = list.body.split("/open\"").next().unwrap().rsplit('/').next().unwrap().to_string();

        // someone else cannot open it
        let other = app.login("orgstaff").await;
        let res = app.post_form(&format!("/notifications/{id}/open"), Some(&other), &[]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(!app.get("/notifications", Some(&other)).await.body.contains("初筛结果"));

        let res = app.post_form(&format!("/notifications/{id}/open"), Some(&b), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(res.location(), "/applications");
        assert!(!app.get("/", Some(&b)).await.body.contains("class=\"count\""), "read now");
        app
    })
    .await;
}

#[tokio::test]
async fn mark_all_read_clears_the_badge() {
    with_demo(|app| async move {
        let id = app.user_id("funder").await;
        for i in 0..3 {
            db::notifications::notify(&app.state.db, std::slice::from_ref(&id), "k", &format!("第{i}条"), "/", 1)
                .await
                .unwrap();
        }
        let b = app.login("funder").await;
        assert!(app.get("/notifications?unread=1", Some(&b)).await.body.contains("第2条"));
        let res = app.post_form("/notifications/read-all", Some(&b), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let unread = app.get("/notifications?unread=1", Some(&b)).await;
        assert!(!unread.body.contains("第2条"));
        assert!(app.get("/notifications", Some(&b)).await.body.contains("第2条"), "still listed");
        app
    })
    .await;
}

struct Recorder {
    sent: Mutex<Vec<String>>,
    fail: bool,
}

impl web::mailer::Sender for Recorder {
    async fn send(&self, mail: &OutgoingEmail) -> Result<(), String> {
        if self.fail {
            return Err("connection refused".into());
        }
        self.sent.lock().unwrap().push(format!("{}|{}", mail.to, mail.subject));
        Ok(())
    }
}

#[tokio::test]
async fn an_email_goes_out_only_to_users_with_an_address() {
    with_demo(|app| async move {
        let b = app.login("orgadmin").await;
        let bad = app.post_form("/account/email", Some(&b), &[("email", "not-an-address")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("通知邮箱：格式不正确"));
        let ok = app.post_form("/account/email", Some(&b), &[("email", "he-mei@example.cn")]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert!(app.get("/account", Some(&b)).await.body.contains("he-mei@example.cn"));

        let ids = vec![app.user_id("orgadmin").await, app.user_id("orgstaff").await];
        db::notifications::notify(&app.state.db, &ids, "k", "申报书已退回补充材料", "/applications", 1).await.unwrap();

        // a failing server keeps the mail pending, counting attempts
        let down = Recorder { sent: Mutex::new(vec![]), fail: true };
        assert_eq!(web::mailer::drain(&app.state.db, &down, app.state.clock.as_ref(), 10).await, 0);
        let row = db::entity::email_outbox::Entity::find().one(&app.state.db).await.unwrap().unwrap();
        assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));

        let up = Recorder { sent: Mutex::new(vec![]), fail: false };
        assert_eq!(web::mailer::drain(&app.state.db, &up, app.state.clock.as_ref(), 10).await, 1);
        let sent = up.sent.lock().unwrap().clone();
        assert_eq!(sent, vec!["he-mei@example.cn|【公益】申报书已退回补充材料".to_string()]);
        assert_eq!(web::mailer::drain(&app.state.db, &up, app.state.clock.as_ref(), 10).await, 0, "sent once");
        app
    })
    .await;
}

#[tokio::test]
async fn the_api_lists_only_the_callers_notifications() {
    with_demo(|app| async move {
        let admin = app.user_id("orgadmin").await;
        db::notifications::notify(&app.state.db, &[admin], "k", "请确认联合申报", "/applications", 1).await.unwrap();
        let mine = app.token("orgadmin").await;
        let res = app.api("GET", "/api/v1/notifications?unread=true", Some(&mine), None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let items = res.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["text"], "请确认联合申报");
        let id = items[0]["id"].as_str().unwrap().to_string();

        let theirs = app.token("funder").await;
        let res = app.api("GET", "/api/v1/notifications", Some(&theirs), None).await;
        assert!(res.json()["items"].as_array().unwrap().is_empty());
        let res = app.api("POST", &format!("/api/v1/notifications/{id}/read"), Some(&theirs), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);

        let res = app.api("POST", &format!("/api/v1/notifications/{id}/read"), Some(&mine), None).await;
        assert_eq!(res.json()["link"], "/applications");
        let res = app.api("GET", "/api/v1/notifications?unread=true", Some(&mine), None).await;
        assert!(res.json()["items"].as_array().unwrap().is_empty());
        app
    })
    .await;
}
