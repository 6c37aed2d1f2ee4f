#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Applications on every backend: the deadline read from the demo programs' phases, submit
//! refused after it, scope, and the organization counts the eligibility engine reads.

use db::applications::ApplicationInput;
use db::{Actor, PageRequest};
use domain::eligibility::Outcome;
use domain::role::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

const NOW: i64 = 1_795_000_000_000;

async fn each_demo_db(test: impl AsyncFn(&db::DatabaseConnection, &str)) {
    for t in db::testing::all_backends().await {
        let hash = db::passwords::hash_password("Demo-Pass-2026").unwrap();
        db::demo::load(&t.db, &hash, NOW, |_| {}).await.unwrap();
        test(&t.db, t.backend).await;
        t.drop_database().await;
    }
}

async fn org_actor(db: &db::DatabaseConnection, name: &str) -> Actor {
    let org = db::organizations::find_by_name(db, name).await.unwrap().unwrap();
    Actor {
        program_id: None,
        user_id: Some("u".into()),
        username: "orgadmin".into(),
        role: Role::OrgAdmin,
        organization_id: Some(org.id),
        area_code: None,
    }
}

async fn program_id(db: &db::DatabaseConnection, code: &str) -> String {
    db::programs::get(db, None, code).await.unwrap().id
}

#[tokio::test]
async fn deadlines_come_from_the_application_phase() {
    each_demo_db(async |db, backend| {
        let label = async |code: &str| {
            db::applications::application_deadline(db, &program_id(db, code).await).await.unwrap().map(|d| d.label)
        };
        assert_eq!(label("hangzhou-2021").await.as_deref(), Some("2021-06-10 12:00"), "{backend}");
        assert_eq!(label("qingtongxia-2023").await.as_deref(), Some("2023-05-16 17:00"), "{backend}");
        assert_eq!(label("fangshan-2020").await.as_deref(), Some("2020-02-07 23:59"), "{backend}");
        // 项目征集 ends on 31 January without a time: the end of that day
        assert_eq!(label("chongchuan-9").await.as_deref(), Some("2021-01-31 24:00"), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn qingtongxia_allows_one_application_per_organization() {
    each_demo_db(async |db, backend| {
        let hemei = org_actor(db, "示例·崇川区和美社会工作服务中心").await;
        let items = db::programs::items(db, None, &program_id(db, "qingtongxia-2023").await).await.unwrap();
        let input = ApplicationInput { title: "怡园社区老年社会工作服务".into(), ..Default::default() };
        let first = db::applications::create(db, &hemei, &items[0].id, &input, NOW).await.unwrap();
        let second = db::applications::create(db, &hemei, &items[1].id, &input, NOW).await.unwrap();

        // the deadline (2023-05-16 17:00) has passed: submitting is refused with the time
        let err = db::applications::submit(db, &hemei, &first, NOW).await.unwrap_err();
        assert_eq!(err.to_string(), "申报截止时间（2023-05-16 17:00）已过，不能提交", "{backend}");
        let err = db::applications::withdraw(db, &hemei, &first, NOW).await.unwrap_err();
        assert!(err.to_string().contains("不能撤回"), "{backend}");

        let one = |results: &[domain::eligibility::RuleResult]| {
            results.iter().find(|r| r.rule == "one_application_per_org").map(|r| r.outcome)
        };
        let today = chrono::NaiveDate::from_ymd_opt(2023, 5, 10).unwrap();
        let before = db::applications::eligibility(db, &hemei, &second, today).await.unwrap();
        assert_eq!(one(&before), Some(Outcome::Pass), "{backend}: drafts do not count");

        // the first one submitted (as if before the deadline): the second now fails the rule
        let mut a: db::entity::application::ActiveModel =
            db::entity::application::Entity::find_by_id(first.as_str()).one(db).await.unwrap().unwrap().into();
        a.status = Set("submitted".into());
        a.update(db).await.unwrap();
        let after = db::applications::eligibility(db, &hemei, &second, today).await.unwrap();
        assert_eq!(one(&after), Some(Outcome::Fail), "{backend}: {after:?}");
    })
    .await;
}

#[tokio::test]
async fn applications_are_scoped() {
    each_demo_db(async |db, backend| {
        let hemei = org_actor(db, "示例·崇川区和美社会工作服务中心").await;
        let linli = org_actor(db, "示例·崇川区邻里互助服务社").await;
        let qingtongxia = program_id(db, "qingtongxia-2023").await;
        let items = db::programs::items(db, None, &qingtongxia).await.unwrap();
        let input = ApplicationInput { title: "社区服务".into(), ..Default::default() };
        let id = db::applications::create(db, &hemei, &items[0].id, &input, NOW).await.unwrap();
        let page = PageRequest::default();
        // (the demo's chongchuan-9 applications are left out by the program filter)
        let filter = db::applications::ApplicationFilter { program_id: Some(qingtongxia), status: None };
        let mine = db::applications::list(db, &hemei, &filter, &page).await.unwrap();
        assert_eq!(mine.items.len(), 1, "{backend}");
        let theirs = db::applications::list(db, &linli, &filter, &page).await.unwrap();
        assert!(theirs.items.is_empty(), "{backend}");
        assert!(matches!(db::applications::get(db, &linli, &id).await, Err(db::AppError::NotFound(_))));
        let err = db::applications::update(db, &linli, &id, &input, NOW).await.unwrap_err();
        assert!(matches!(err, db::AppError::NotFound(_)), "{backend}");
        // a draft is the organization's own: the system sees only submitted applications
        assert!(db::applications::get(db, &Actor::system(), &id).await.is_err(), "{backend}");
        // an organization cannot screen
        let screen = db::applications::ScreeningInput { outcome: "pass".into(), reasons: String::new() };
        let today = chrono::NaiveDate::from_ymd_opt(2023, 5, 10).unwrap();
        let err = db::applications::record_screening(db, &hemei, &id, &screen, today, NOW).await.unwrap_err();
        assert_eq!(err, db::AppError::Forbidden, "{backend}");
    })
    .await;
}
