#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The data layer behaves the same on SQLite, PostgreSQL and MySQL/MariaDB: each test runs on
//! every configured backend with a fresh database.

use chrono::NaiveDate;
use db::organizations::OrganizationFilter;
use db::programs::ProgramFilter;
use db::{Actor, PageRequest};
use domain::role::Role;
use domain::rules::NoticeRule;

const NOW: i64 = 1_795_000_000_000;

async fn each_demo_db(test: impl AsyncFn(&db::DatabaseConnection, &str)) {
    for t in db::testing::all_backends().await {
        let hash = db::passwords::hash_password("Demo-Pass-2026").unwrap();
        db::demo::load(&t.db, &hash, NOW, |_| {}).await.unwrap();
        test(&t.db, t.backend).await;
        t.drop_database().await;
    }
}

fn actor(role: Role, org: Option<String>, area: Option<&str>) -> Actor {
    Actor {
        program_id: None,
        user_id: Some("u".into()),
        username: "u".into(),
        role,
        organization_id: org,
        area_code: area.map(str::to_string),
    }
}

#[tokio::test]
async fn the_five_programs_load_completely() {
    each_demo_db(async |db, backend| {
        let page = db::programs::list(db, None, &ProgramFilter::default(), &PageRequest::default()).await.unwrap();
        assert_eq!(page.items.len(), 5, "{backend}");
        let mut total = 0;
        for p in &page.items {
            total += db::programs::items(db, None, &p.id).await.unwrap().len();
        }
        assert_eq!(total, 5 + 18 + 20 + 2 + 3, "{backend}: every call item of the five documents");
        let cc = db::programs::get(db, None, "chongchuan-9").await.unwrap();
        let directed = cc.tracks.iter().find(|t| t.code == "directed").unwrap();
        assert_eq!(
            directed.rules.tranches.iter().map(|t| t.percent).collect::<Vec<_>>(),
            vec![40, 40, 20],
            "{backend}"
        );
        let hz = db::programs::get(db, None, "hangzhou-2021").await.unwrap();
        let deadline = hz.phases.iter().find_map(|p| p.deadline).unwrap();
        assert_eq!(
            deadline.format("%m-%d %H:%M").to_string(),
            "06-10 12:00",
            "{backend}: deadline kept in Asia/Shanghai"
        );
        let items = db::programs::items(db, None, &hz.id).await.unwrap();
        assert_eq!(items[0].item.code, "2021C1001E", "{backend}: catalog order kept");
        assert_eq!(items[0].item.funding_cap.unwrap().wan_string(), "12", "{backend}");
    })
    .await;
}

#[tokio::test]
async fn keyset_pages_cover_every_row_once() {
    each_demo_db(async |db, backend| {
        let all = db::organizations::list(
            db,
            &Actor::system(),
            &OrganizationFilter::default(),
            &PageRequest { after: None, limit: Some(200) },
        )
        .await
        .unwrap();
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = db::organizations::list(
                db,
                &Actor::system(),
                &OrganizationFilter::default(),
                &PageRequest { after: after.clone(), limit: Some(3) },
            )
            .await
            .unwrap();
            assert!(page.items.len() <= 3);
            seen.extend(page.items.iter().map(|o| o.id.clone()));
            match page.next_cursor {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        assert_eq!(seen, all.items.iter().map(|o| o.id.clone()).collect::<Vec<_>>(), "{backend}");
        assert!(seen.len() >= 15, "{backend}");
    })
    .await;
}

#[tokio::test]
async fn scopes_are_applied_in_the_query() {
    each_demo_db(async |db, backend| {
        let hemei = db::organizations::find_by_name(db, "示例·崇川区和美社会工作服务中心").await.unwrap().unwrap();
        let linli = db::organizations::find_by_name(db, "示例·崇川区邻里互助服务社").await.unwrap().unwrap();
        let org_admin = actor(Role::OrgAdmin, Some(hemei.id.clone()), None);
        let mine = db::organizations::list(db, &org_admin, &OrganizationFilter::default(), &PageRequest::default())
            .await
            .unwrap();
        assert_eq!(
            mine.items.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(),
            vec![hemei.name.as_str()],
            "{backend}"
        );
        assert!(
            db::organizations::get(db, &org_admin, &linli.id).await.is_err(),
            "{backend}: another org is not found"
        );
        let street = actor(Role::AreaOfficer, None, Some("320613002"));
        let seen = db::organizations::list(db, &street, &OrganizationFilter::default(), &PageRequest::default())
            .await
            .unwrap();
        assert!(seen.items.iter().any(|o| o.id == hemei.id), "{backend}");
        assert!(!seen.items.iter().any(|o| o.id == linli.id), "{backend}: 任港街道 is not 和平桥街道");
        let funder = actor(Role::FunderAdmin, None, Some("320613"));
        let seen = db::organizations::list(db, &funder, &OrganizationFilter::default(), &PageRequest::default())
            .await
            .unwrap();
        assert!(seen.items.iter().all(|o| o.area_code.as_deref().unwrap_or("").starts_with("320613")), "{backend}");
        assert!(seen.items.len() >= 4, "{backend}");
    })
    .await;
}

#[tokio::test]
async fn writes_are_audited_and_only_admins_search_the_log() {
    each_demo_db(async |db, backend| {
        let funder = actor(Role::FunderAdmin, None, Some("320613"));
        let input = db::organizations::OrganizationInput {
            kind: "social_org".into(),
            name: "示例·新社会组织".into(),
            uscc: "91350100M000100Y43".into(),
            area_code: Some("320613001".into()),
            ..Default::default()
        };
        let org = db::organizations::create(db, &funder, &input, NOW).await.unwrap();
        let filter = db::audit::AuditFilter { entity_id: Some(org.id.clone()), ..Default::default() };
        let log = db::audit::search(db, &Actor::system(), &filter, &PageRequest::default()).await.unwrap();
        assert_eq!(log.items.len(), 1, "{backend}");
        assert_eq!(log.items[0].action, "organization.create");
        assert!(log.items[0].after_json.contains("示例·新社会组织"));
        assert!(db::audit::search(db, &funder, &filter, &PageRequest::default()).await.is_err(), "{backend}");
        // a duplicate USCC is refused, naming the field
        let again = db::organizations::create(db, &funder, &input, NOW).await.unwrap_err();
        assert_eq!(again.field_errors()[0].field, "uscc", "{backend}");
    })
    .await;
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    each_demo_db(async |db, backend| {
        for _ in 0..5 {
            assert!(db::auth::authenticate(db, "orgadmin", "wrong-1234", NOW).await.is_err());
        }
        let locked = db::auth::authenticate(db, "orgadmin", "Demo-Pass-2026", NOW + 1000).await.unwrap_err();
        assert_eq!(locked.code(), "locked", "{backend}");
        let later = NOW + db::auth::LOCK_MS + 1000;
        assert!(db::auth::authenticate(db, "orgadmin", "Demo-Pass-2026", later).await.is_ok(), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn sessions_expire_and_api_tokens_are_not_cookies() {
    each_demo_db(async |db, backend| {
        let u = db::auth::authenticate(db, "admin", "Demo-Pass-2026", NOW).await.unwrap();
        let token = db::auth::create_session(db, &u.id, db::auth::SessionKind::Web, NOW).await.unwrap();
        assert!(
            db::auth::resolve_session(db, &token, db::auth::SessionKind::Web, NOW + 1000).await.unwrap().is_some(),
            "{backend}"
        );
        assert!(db::auth::resolve_session(db, &token, db::auth::SessionKind::Api, NOW + 1000).await.unwrap().is_none());
        let idle = NOW + db::auth::SESSION_IDLE_MS + 1;
        assert!(
            db::auth::resolve_session(db, &token, db::auth::SessionKind::Web, idle).await.unwrap().is_none(),
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_stored_calendar_counts_working_days() {
    each_demo_db(async |db, backend| {
        let cal = db::calendar::load(db).await.unwrap();
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let period = cal.notice_period(d(2024, 2, 8), NoticeRule::WorkingDays(3)).unwrap();
        assert_eq!(period.end, d(2024, 2, 19), "{backend}: Spring Festival and the 2024-02-18 make-up day");
        assert!(
            cal.notice_period(d(2026, 12, 25), NoticeRule::WorkingDays(5)).is_err(),
            "{backend}: 2027 not announced"
        );
    })
    .await;
}

#[tokio::test]
async fn a_program_scoped_user_sees_that_programs_draft_only() {
    each_demo_db(async |db, backend| {
        let funder = actor(Role::FunderAdmin, None, Some("320613"));
        let input = db::programs::ProgramInput {
            code: "chongchuan-10".into(),
            name: "崇川区第十届社区公益助力计划".into(),
            year: 2026,
            area_code: "320613".into(),
            funder_id: Some(db::organizations::find_by_name(db, "南通市崇川区民政局").await.unwrap().unwrap().id),
            ..Default::default()
        };
        let id = db::programs::create(db, &funder, &input, NOW).await.unwrap();
        let reviewer = actor(Role::Reviewer, None, None);
        assert!(db::programs::get(db, Some(&reviewer), &id).await.is_err(), "{backend}: a draft is hidden");
        let scoped = Actor { program_id: Some(id.clone()), ..reviewer };
        let p = db::programs::get(db, Some(&scoped), &id).await.unwrap();
        assert_eq!(p.tracks.len(), 1, "{backend}: a new program gets a directed track");
        let listed =
            db::programs::list(db, Some(&scoped), &ProgramFilter::default(), &PageRequest::default()).await.unwrap();
        assert_eq!(listed.items.len(), 6, "{backend}: the five public programs and its own draft");
    })
    .await;
}
