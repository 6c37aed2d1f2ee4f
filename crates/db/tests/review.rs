#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Expert review on every backend: the panel draw replays from its stored seed and pool
//! snapshot, avoidance, conflict-of-interest removal, the signature lock, reviewer scope, and
//! the ranking with the trimmed mean.

use std::collections::BTreeMap;

use db::review::{CardInput, DrawInput};
use db::{Actor, AppError};
use domain::review::Score;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const NOW: i64 = 1_795_000_000_000;

async fn each_demo_db(test: impl AsyncFn(&db::DatabaseConnection, &str)) {
    for t in db::testing::all_backends().await {
        let hash = db::passwords::hash_password("Demo-Pass-2026").unwrap();
        db::demo::load(&t.db, &hash, NOW, |_| {}).await.unwrap();
        test(&t.db, t.backend).await;
        t.drop_database().await;
    }
}

async fn actor(db: &db::DatabaseConnection, username: &str) -> Actor {
    let u = db::entity::user::Entity::find()
        .filter(db::entity::user::Column::Username.eq(username))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    db::auth::actor_of(&u)
}

async fn chongchuan(db: &db::DatabaseConnection) -> String {
    db::programs::get(db, None, "chongchuan-9").await.unwrap().id
}

fn request(program_id: &str, size: usize) -> DrawInput {
    DrawInput { program_id: program_id.into(), size, ..Default::default() }
}

fn card(points: [&str; 5]) -> CardInput {
    let codes = ["materials", "plan_quality", "feasibility", "org_capacity", "team"];
    CardInput {
        scores: codes.iter().zip(points).map(|(c, p)| (c.to_string(), p.to_string())).collect::<BTreeMap<_, _>>(),
        ..Default::default()
    }
}

/// The assignment of `username` to the application titled `title` in `panel`.
async fn assignment_of(db: &db::DatabaseConnection, reviewer: &Actor, title: &str) -> String {
    let mine = db::review::my_assignments(db, reviewer).await.unwrap();
    mine.iter().find(|a| a.title == title).map(|a| a.id.clone()).unwrap_or_else(|| panic!("no assignment {title}"))
}

#[tokio::test]
async fn a_draw_replays_from_its_stored_seed_and_avoids_related_experts() {
    each_demo_db(async |db, backend| {
        let operator = actor(db, "operator").await;
        let program = chongchuan(db).await;
        let panel = db::review::draw(db, &operator, &request(&program, 3), 20_211_031, NOW).await.unwrap();
        let view = db::review::get_panel(db, &operator, &panel).await.unwrap();
        assert_eq!(view.summary.seed, "20211031", "{backend}");
        assert_eq!(view.members.len(), 3, "{backend}");

        let replay = db::review::replay(db, &operator, &panel).await.unwrap();
        assert!(replay.matches, "{backend}: {replay:?}");
        assert_eq!(replay.recomputed.unwrap().chosen, view.draw.chosen, "{backend}");

        // the same seed on the same pool draws the same people; the expert related to 邻里互助
        // (an applicant) is excluded with the reason
        let again = db::review::draw(db, &operator, &request(&program, 3), 20_211_031, NOW).await.unwrap();
        let again = db::review::get_panel(db, &operator, &again).await.unwrap();
        assert_eq!(again.draw.chosen, view.draw.chosen, "{backend}");
        let excluded: Vec<_> = view.draw.excluded.iter().map(|e| (e.name.as_str(), e.reason.as_str())).collect();
        assert_eq!(excluded.len(), 1, "{backend}: {excluded:?}");
        assert_eq!(excluded[0].0, "示例·赵儿童", "{backend}");
        assert!(excluded[0].1.contains("关联关系"), "{backend}: {}", excluded[0].1);
        assert!(!view.members.iter().any(|(_, n)| n == "示例·赵儿童"), "{backend}");

        // a changed pool snapshot no longer replays to the stored draw
        let mut p: db::entity::review_panel::ActiveModel =
            db::entity::review_panel::Entity::find_by_id(panel.as_str()).one(db).await.unwrap().unwrap().into();
        p.pool_json = sea_orm::ActiveValue::Set("[]".into());
        sea_orm::ActiveModelTrait::update(p, db).await.unwrap();
        assert!(!db::review::replay(db, &operator, &panel).await.unwrap().matches, "{backend}");
    })
    .await;
}

#[tokio::test]
async fn same_street_experts_are_not_assigned_and_affiliated_experts_are_excluded() {
    each_demo_db(async |db, backend| {
        let operator = actor(db, "operator").await;
        let program = chongchuan(db).await;
        // an expert working for an applicant (和美) joins the pool
        let hemei = db::organizations::find_by_name(db, "示例·崇川区和美社会工作服务中心").await.unwrap().unwrap();
        let input = db::review::ExpertInput {
            name: "示例·周和美".into(),
            fields: vec!["社会工作".into()],
            organization_id: Some(hemei.id.clone()),
            active: true,
            ..Default::default()
        };
        db::review::create_expert(db, &operator, &input, NOW).await.unwrap();

        let draw = DrawInput { avoid_same_street: true, ..request(&program, 5) };
        let panel = db::review::draw(db, &operator, &draw, 7, NOW).await.unwrap();
        let view = db::review::get_panel(db, &operator, &panel).await.unwrap();
        let zhou = view.draw.excluded.iter().find(|e| e.name == "示例·周和美").expect("excluded");
        assert!(zhou.reason.contains("本人所在单位"), "{backend}: {}", zhou.reason);

        // 王养老 lives in 和平桥街道 like 和美: not assigned to 和美's applications, with the reason
        let wang: Vec<_> = view.assignments.iter().filter(|a| a.expert_name == "示例·王养老").collect();
        assert!(!wang.is_empty(), "{backend}: all five available experts sit on the panel");
        for a in &wang {
            let same = a.organization_name == hemei.name;
            assert_eq!(a.status == "avoided", same, "{backend}: {} {}", a.application_title, a.status);
            if same {
                assert!(a.reason.contains("同一街道"), "{backend}: {}", a.reason);
            }
        }
        let reviewer3 = actor(db, "reviewer3").await;
        let queue = db::review::my_assignments(db, &reviewer3).await.unwrap();
        assert!(queue.iter().all(|a| a.applicant != hemei.name), "{backend}");
        assert!(!queue.is_empty(), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn a_conflict_removes_the_reviewer_and_other_reviewers_see_nothing() {
    each_demo_db(async |db, backend| {
        let operator = actor(db, "operator").await;
        let program = chongchuan(db).await;
        db::review::draw(db, &operator, &request(&program, 5), 99, NOW).await.unwrap();
        let reviewer = actor(db, "reviewer").await;
        let queue = db::review::my_assignments(db, &reviewer).await.unwrap();
        let first = queue[0].clone();

        // before the declaration the application itself stays closed
        let item = db::review::review_item(db, &reviewer, &first.id).await.unwrap();
        assert!(item.application.is_none(), "{backend}");
        // a conflict needs its reason, then removes the reviewer from that application
        let err = db::review::declare(db, &reviewer, &first.id, true, " ", NOW).await.unwrap_err();
        assert!(matches!(err, AppError::Validation(_)), "{backend}");
        db::review::declare(db, &reviewer, &first.id, true, "曾为该机构督导", NOW).await.unwrap();
        let after = db::review::my_assignments(db, &reviewer).await.unwrap();
        assert_eq!(after.len(), queue.len() - 1, "{backend}");
        assert!(matches!(db::review::review_item(db, &reviewer, &first.id).await, Err(AppError::NotFound(_))));
        let stored = db::entity::review_assignment::Entity::find_by_id(first.id.as_str()).one(db).await.unwrap();
        assert_eq!(stored.unwrap().status, "conflict", "{backend}");

        // another reviewer cannot open this reviewer's assignment, nor score it
        let second = &queue[1];
        let other = actor(db, "reviewer2").await;
        assert!(matches!(db::review::review_item(db, &other, &second.id).await, Err(AppError::NotFound(_))));
        let err = db::review::save_card(db, &other, &second.id, &card(["1"; 5]), NOW).await.unwrap_err();
        assert!(matches!(err, AppError::NotFound(_)), "{backend}");
        // nor read the ranking
        assert!(matches!(db::review::ranking(db, &reviewer, &program).await, Err(AppError::NotFound(_))));
    })
    .await;
}

#[tokio::test]
async fn a_signed_scorecard_is_locked() {
    each_demo_db(async |db, backend| {
        let operator = actor(db, "operator").await;
        let program = chongchuan(db).await;
        db::review::draw(db, &operator, &request(&program, 5), 5, NOW).await.unwrap();
        let reviewer = actor(db, "reviewer").await;
        let id = db::review::my_assignments(db, &reviewer).await.unwrap()[0].id.clone();
        let err = db::review::save_card(db, &reviewer, &id, &card(["10"; 5]), NOW).await.unwrap_err();
        assert!(matches!(err, AppError::Conflict(_)), "{backend}: declare first");
        db::review::declare(db, &reviewer, &id, false, "", NOW).await.unwrap();

        // a score above the maximum names the criterion; an incomplete draft saves but cannot sign
        let err = db::review::save_card(db, &reviewer, &id, &card(["21", "1", "1", "1", "1"]), NOW).await.unwrap_err();
        assert!(err.to_string().contains("申报材料") || format!("{err:?}").contains("申报材料"), "{backend}");
        db::review::save_card(db, &reviewer, &id, &card(["18", "17.5", "", "", ""]), NOW).await.unwrap();
        assert!(matches!(db::review::sign_card(db, &reviewer, &id, NOW).await, Err(AppError::Validation(_))));

        db::review::save_card(db, &reviewer, &id, &card(["18", "17.5", "16", "15", "14"]), NOW).await.unwrap();
        db::review::sign_card(db, &reviewer, &id, NOW).await.unwrap();
        let err = db::review::save_card(db, &reviewer, &id, &card(["20"; 5]), NOW).await.unwrap_err();
        assert!(err.to_string().contains("签名锁定"), "{backend}: {err}");
        let item = db::review::review_item(db, &reviewer, &id).await.unwrap();
        let card = item.card.unwrap();
        assert!(card.signed, "{backend}");
        assert_eq!(card.scores["materials"], Score::points(18), "{backend}");
        assert_eq!(item.assignment.total, Some(Score::parse("80.5").unwrap()), "{backend}");
        let err = db::review::declare(db, &reviewer, &id, true, "迟到的声明", NOW).await.unwrap_err();
        assert!(matches!(err, AppError::Conflict(_)), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn the_ranking_trims_the_highest_and_lowest_of_five_signed_cards() {
    each_demo_db(async |db, backend| {
        let operator = actor(db, "operator").await;
        let program = chongchuan(db).await;
        db::review::draw(db, &operator, &request(&program, 5), 11, NOW).await.unwrap();
        let experts = ["reviewer", "reviewer2", "reviewer3", "reviewer5", "reviewer6"];
        // 记忆守护 (D07): totals 100, 90, 80, 70, 40 → drop 100 and 40 → 80
        let a = ["20", "18", "16", "14", "8"];
        for (name, p) in experts.iter().zip(a) {
            let r = actor(db, name).await;
            let id = assignment_of(db, &r, "示例·“记忆守护”认知症家庭支持").await;
            db::review::declare(db, &r, &id, false, "", NOW).await.unwrap();
            db::review::save_card(db, &r, &id, &card([p; 5]), NOW).await.unwrap();
            db::review::sign_card(db, &r, &id, NOW).await.unwrap();
        }
        // 康乐同行 (D08): signed cards 60, 70, 80 → plain mean 70; the fourth (100) is an unsigned draft
        for (name, p) in experts.iter().zip(["12", "14", "16", "20"]) {
            let r = actor(db, name).await;
            let id = assignment_of(db, &r, "示例·康乐同行老人社区服务").await;
            db::review::declare(db, &r, &id, false, "", NOW).await.unwrap();
            db::review::save_card(db, &r, &id, &card([p; 5]), NOW).await.unwrap();
            if *name != "reviewer5" {
                db::review::sign_card(db, &r, &id, NOW).await.unwrap();
            }
        }
        let ranking = db::review::ranking(db, &operator, &program).await.unwrap();
        let row =
            |title: &str| ranking.iter().flat_map(|g| g.rows.iter()).find(|r| r.title == title).cloned().expect(title);
        let memory = row("示例·“记忆守护”认知症家庭支持");
        assert_eq!(memory.score, Some(Score::points(80)), "{backend}: {memory:?}");
        assert_eq!(memory.rank, Some(1), "{backend}");
        assert!(memory.method_applied.contains("去掉一个最高分"), "{backend}: {}", memory.method_applied);
        assert_eq!(memory.signed_cards, 5, "{backend}");
        let kangle = row("示例·康乐同行老人社区服务");
        assert_eq!(kangle.score, Some(Score::points(70)), "{backend}: {kangle:?}");
        assert_eq!(kangle.pending_cards, 1, "{backend}");
        // an application nobody has signed for is listed unranked with the reason
        let quiet = row("示例·邻里老年课堂");
        assert_eq!((quiet.rank, quiet.score), (None, None), "{backend}");
        assert!(quiet.reason.unwrap().contains("尚无已签名"), "{backend}");
        let d07 = ranking.iter().find(|g| g.group == "D07").unwrap();
        assert!(d07.tie_break.contains("方案质量"), "{backend}: {}", d07.tie_break);
    })
    .await;
}
