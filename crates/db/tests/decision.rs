#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Decision, public notice and awards on every backend: the slate within slots and budget, the
//! funder's changes with reasons, notice periods across Spring Festival and National Day with
//! make-up working days, objections only during the period, and the closing job.

use db::Actor;
use db::applications::ApplicationInput;
use db::decision::{LineChange, RankedApplication};
use db::entity::{call_item, program, track};
use db::notices::{Disposition, ObjectionInput};
use domain::money::Fen;
use domain::review::Score;
use domain::role::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};

const NOW: i64 = 1_795_000_000_000;
const KEY: &str = "7465737420646174612b6b6579206f6620676f6e677969207465737473212121";

fn keys() -> db::crypto::Keys {
    db::crypto::Keys::from_hex(KEY).unwrap()
}

/// Epoch ms of a local Asia/Shanghai time.
fn at(y: i32, m: u32, d: u32, h: u32) -> i64 {
    let local = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap();
    domain::clock::shanghai_to_utc(local).timestamp_millis()
}

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn each_demo_db(test: impl AsyncFn(&db::DatabaseConnection, &str)) {
    for t in db::testing::all_backends().await {
        let hash = db::passwords::hash_password("Demo-Pass-2026").unwrap();
        db::demo::load(&t.db, &hash, NOW, |_| {}).await.unwrap();
        test(&t.db, t.backend).await;
        t.drop_database().await;
    }
}

fn actor(role: Role, org: Option<String>) -> Actor {
    Actor {
        program_id: None,
        user_id: Some(format!("{}-user", role.as_str())),
        username: role.as_str().into(),
        role,
        organization_id: org,
        area_code: None,
    }
}

struct Fixture {
    program: program::Model,
    funder: Actor,
    operator: Actor,
    /// (application id, organization id, item id, requested, rank)
    ranking: Vec<RankedApplication>,
}

/// Chongchuan 9: item A has 1 slot and a 10万 cap, item B no limit; program budget 25万; no quotas;
/// notice `rule`. Hemei ranks first in A (asks 12万) and B (10万), Linli second (A 9万, B 8万).
async fn fixture(db: &db::DatabaseConnection, rule: &str) -> Fixture {
    let p = db::programs::get(db, None, "chongchuan-9").await.unwrap();
    let mut pm = program::Entity::find_by_id(p.id.as_str()).one(db).await.unwrap().unwrap().into_active_model();
    pm.budget_fen = Set(Some(Fen::from_wan(25).0));
    pm.rules_json = Set(format!(r#"{{"notice":{rule}}}"#));
    let program = pm.update(db).await.unwrap();
    for t in track::Entity::find().filter(track::Column::ProgramId.eq(p.id.as_str())).all(db).await.unwrap() {
        let mut a = t.into_active_model();
        a.rules_json = Set("{}".into());
        a.budget_fen = Set(None);
        a.update(db).await.unwrap();
    }
    let items = call_item::Entity::find().filter(call_item::Column::ProgramId.eq(p.id.as_str())).all(db).await.unwrap();
    let (a, b) = (items[0].clone(), items[1].clone());
    let mut am = a.clone().into_active_model();
    am.slots = Set(Some(1));
    am.funding_cap_fen = Set(Some(Fen::from_wan(10).0));
    am.update(db).await.unwrap();
    let mut bm = b.clone().into_active_model();
    bm.slots = Set(None);
    bm.funding_cap_fen = Set(None);
    bm.update(db).await.unwrap();

    let mut ranking = Vec::new();
    for (org_name, item, wan, rank) in [
        ("示例·崇川区和美社会工作服务中心", &a, 12, 1),
        ("示例·崇川区邻里互助服务社", &a, 9, 2),
        ("示例·崇川区和美社会工作服务中心", &b, 10, 1),
        ("示例·崇川区邻里互助服务社", &b, 8, 2),
    ] {
        let org = db::organizations::find_by_name(db, org_name).await.unwrap().unwrap();
        let applicant = actor(Role::OrgAdmin, Some(org.id.clone()));
        let input = ApplicationInput { title: format!("{}·{}", item.code, org_name), ..Default::default() };
        let id = db::applications::create(db, &applicant, &item.id, &input, NOW).await.unwrap();
        ranking.push(RankedApplication {
            application_id: id,
            organization_id: org.id,
            call_item_id: Some(item.id.clone()),
            track_code: item.track_code.clone(),
            requested: Fen::from_wan(wan),
            score: Some(Score::points(90 - rank)),
            rank: u32::try_from(rank).unwrap(),
        });
    }
    Fixture {
        funder: actor(Role::FunderAdmin, Some(program.funder_id.clone())),
        operator: actor(Role::Operator, program.operator_id.clone()),
        program,
        ranking,
    }
}

#[tokio::test]
async fn slate_respects_slots_caps_and_budget() {
    each_demo_db(async |db, backend| {
        let f = fixture(db, r#"{"unit":"working_days","length":3}"#).await;
        let lines = db::decision::generate_from(db, &f.operator, &f.program.id, &f.ranking, NOW).await.unwrap();
        let line = |app: &str| lines.iter().find(|l| l.application_id == app).unwrap();
        let r = &f.ranking;
        // A's first: asks 12万, capped at the item's 10万
        assert_eq!(line(&r[0].application_id).amount, Some(Fen::from_wan(10)), "{backend}");
        // A's second: the one slot is taken
        assert_eq!(line(&r[1].application_id).amount, None, "{backend}");
        assert!(line(&r[1].application_id).reason.contains("项目数量为1个"), "{backend}");
        // B's first fits (10 + 10 = 20万 of 25万), B's second (8万) does not fit the 5万 left
        assert_eq!(line(&r[2].application_id).amount, Some(Fen::from_wan(10)), "{backend}");
        assert_eq!(line(&r[3].application_id).amount, None, "{backend}");
        assert!(line(&r[3].application_id).reason.contains("计划资金剩余5万元"), "{backend}");
        // an organization's people cannot read the slate
        let applicant = actor(Role::OrgAdmin, Some(r[0].organization_id.clone()));
        assert!(db::decision::lines(db, &applicant, &f.program.id).await.is_err(), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn funder_changes_need_a_reason_and_batches_are_numbered() {
    each_demo_db(async |db, backend| {
        let f = fixture(db, r#"{"unit":"working_days","length":3}"#).await;
        let lines = db::decision::generate_from(db, &f.funder, &f.program.id, &f.ranking, NOW).await.unwrap();
        let skipped = lines.iter().find(|l| l.application_id == f.ranking[3].application_id).unwrap();
        let change = LineChange { include: true, amount: Some(Fen::from_wan(5)), reason: "  ".into() };
        let err = db::decision::change_line(db, &f.funder, &skipped.id, &change, NOW).await.unwrap_err();
        assert_eq!(err.field_errors()[0].message, "调整理由：不能为空", "{backend}");
        // the operator may generate but not change
        let change = LineChange { reason: "申请方同意按剩余资金5万元实施".into(), ..change };
        assert!(db::decision::change_line(db, &f.operator, &skipped.id, &change, NOW).await.is_err(), "{backend}");
        db::decision::change_line(db, &f.funder, &skipped.id, &change, NOW).await.unwrap();
        let lines = db::decision::lines(db, &f.funder, &f.program.id).await.unwrap();
        let changed = lines.iter().find(|l| l.id == skipped.id).unwrap();
        assert_eq!(
            (changed.amount, changed.change_reason.as_str()),
            (Some(Fen::from_wan(5)), "申请方同意按剩余资金5万元实施")
        );

        let first: Vec<String> = lines.iter().take(2).map(|l| l.id.clone()).collect();
        assert_eq!(db::decision::approve_batch(db, &f.funder, &f.program.id, &first, NOW).await.unwrap(), 1);
        let rest: Vec<String> = lines.iter().skip(2).map(|l| l.id.clone()).collect();
        assert_eq!(db::decision::approve_batch(db, &f.funder, &f.program.id, &rest, NOW).await.unwrap(), 2);
        // approved lines cannot be changed any more
        let err = db::decision::change_line(db, &f.funder, &skipped.id, &change, NOW).await.unwrap_err();
        assert!(err.to_string().contains("已审批"), "{backend}: {err}");
    })
    .await;
}

/// Generate, approve everything and publish a notice at `published_ms`.
async fn published(
    db: &db::DatabaseConnection,
    f: &Fixture,
    published_ms: i64,
) -> db::AppResult<db::notices::NoticeView> {
    let lines = db::decision::generate_from(db, &f.funder, &f.program.id, &f.ranking, NOW).await.unwrap();
    let ids: Vec<String> = lines.iter().map(|l| l.id.clone()).collect();
    db::decision::approve_batch(db, &f.funder, &f.program.id, &ids, NOW).await.unwrap();
    let notice = db::notices::create(db, &f.funder, &f.program.id, NOW).await.unwrap();
    db::notices::publish(db, &f.funder, &notice, published_ms).await
}

#[tokio::test]
async fn working_day_period_across_spring_festival() {
    each_demo_db(async |db, backend| {
        let f = fixture(db, r#"{"unit":"working_days","length":3}"#).await;
        // published Thursday 2024-02-08: Fri 9th, then 10–17 off, Sunday 18th is a make-up day
        let n = published(db, &f, at(2024, 2, 8, 15)).await.unwrap();
        assert_eq!((n.period_start, n.period_end), (Some(date(2024, 2, 9)), Some(date(2024, 2, 19))), "{backend}");
        assert_eq!(n.ends_ms, Some(at(2024, 2, 20, 0)), "{backend}: ends at 24:00 of the 19th");
        assert_eq!(n.lines.len(), 2, "{backend}: only the recommended lines are on the notice");
        assert!(db::notices::public_list(db, None).await.unwrap().iter().any(|x| x.id == n.id), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn working_day_period_across_national_day() {
    each_demo_db(async |db, backend| {
        let f = fixture(db, r#"{"unit":"working_days","length":5}"#).await;
        // published Monday 2025-09-29: Tue 30th, 1–8 Oct off, Thu 9, Fri 10, Sat 11 (make-up), Mon 13
        let n = published(db, &f, at(2025, 9, 29, 10)).await.unwrap();
        assert_eq!((n.period_start, n.period_end), (Some(date(2025, 9, 30)), Some(date(2025, 10, 13))), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn a_period_into_a_year_without_calendar_is_refused() {
    each_demo_db(async |db, backend| {
        let f = fixture(db, r#"{"unit":"working_days","length":5}"#).await;
        let err = published(db, &f, at(2026, 12, 28, 10)).await.unwrap_err();
        assert_eq!(
            err.field_errors()[0].message,
            "2027年的节假日安排尚未录入，无法计算工作日，请管理员先添加该年度日历",
            "{backend}"
        );
    })
    .await;
}

fn objection(line_id: &str) -> ObjectionInput {
    ObjectionInput {
        line_id: line_id.into(),
        name: "张三".into(),
        phone: "13812345678".into(),
        text: "该组织的执行团队与申报书所写不符，请核实。".into(),
    }
}

#[tokio::test]
async fn objections_only_during_the_period_and_closing_makes_final_awards() {
    each_demo_db(async |db, backend| {
        let f = fixture(db, r#"{"unit":"calendar_days","length":7}"#).await;
        // published 2025-06-02: period 3rd–9th, ends 24:00 of the 9th
        let n = published(db, &f, at(2025, 6, 2, 9)).await.unwrap();
        assert_eq!(n.period_end, Some(date(2025, 6, 9)), "{backend}");
        let (first, second) = (&n.lines[0], &n.lines[1]);

        // before the period starts, and invalid input during it
        let err = db::notices::file_objection(db, &keys(), &n.id, &objection(&first.id), at(2025, 6, 2, 20))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("不在公示期内"), "{backend}: {err}");
        let bad = ObjectionInput { phone: "12345".into(), text: "不同意".into(), ..objection(&first.id) };
        let err = db::notices::file_objection(db, &keys(), &n.id, &bad, at(2025, 6, 5, 9)).await.unwrap_err();
        let fields: Vec<&str> = err.field_errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["phone", "text"], "{backend}");
        let upheld =
            db::notices::file_objection(db, &keys(), &n.id, &objection(&first.id), at(2025, 6, 9, 23)).await.unwrap();
        let dismissed =
            db::notices::file_objection(db, &keys(), &n.id, &objection(&second.id), at(2025, 6, 5, 9)).await.unwrap();
        // the objector's phone is encrypted at rest; the operator sees it to call back (audited)
        let stored = db::entity::objection::Entity::find_by_id(upheld.clone()).one(db).await.unwrap().unwrap();
        let phone = objection(&first.id).phone;
        assert!(!stored.filer_phone.contains(&phone), "{backend}: encrypted at rest");
        let views = db::notices::objections(db, &f.operator, &keys(), &n.id, NOW).await.unwrap();
        assert!(views.iter().any(|v| v.phone == phone), "{backend}");
        // after 24:00 of the last day: refused
        let err = db::notices::file_objection(db, &keys(), &n.id, &objection(&first.id), at(2025, 6, 10, 0))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("2025-06-03至2025-06-09"), "{backend}: {err}");

        // the closing job is due at the end, but undisposed objections make it wait
        assert_eq!(db::jobs::run_due_jobs(db, at(2025, 6, 9, 23)).await.unwrap().done, 0, "{backend}: not due yet");
        let report = db::jobs::run_due_jobs(db, at(2025, 6, 10, 1)).await.unwrap();
        assert_eq!(report.waiting, 1, "{backend}");
        assert!(db::awards::list(db, &f.funder, &f.program.id).await.unwrap().is_empty(), "{backend}");

        let d = |upheld, reason: &str| Disposition { upheld, reason: reason.into() };
        assert!(db::notices::dispose(db, &f.operator, &upheld, &d(true, ""), NOW).await.is_err(), "{backend}");
        db::notices::dispose(db, &f.operator, &upheld, &d(true, "经核实，执行团队与申报不符"), NOW).await.unwrap();
        db::notices::dispose(db, &f.operator, &dismissed, &d(false, "经核实，反映情况不属实"), NOW).await.unwrap();

        // an hour later the job runs again and closes the notice
        let report = db::jobs::run_due_jobs(db, at(2025, 6, 10, 2) + 1).await.unwrap();
        assert_eq!(report.done, 1, "{backend}");
        let awards = db::awards::public_results(db, &f.program.id).await.unwrap();
        assert_eq!(awards.len(), 1, "{backend}: the line with an upheld objection is not awarded");
        assert_eq!(
            (awards[0].application_id.as_str(), awards[0].status.as_str()),
            (second.application_id.as_str(), "final")
        );
        let closed = db::notices::get(db, None, &n.id).await.unwrap();
        assert_eq!(closed.status, "closed", "{backend}");
        // the applicant sees its own award; another organization does not
        let applicant = actor(Role::OrgAdmin, Some(second.organization_id.clone()));
        assert_eq!(db::awards::list(db, &applicant, &f.program.id).await.unwrap().len(), 1, "{backend}");
        let other = actor(Role::OrgAdmin, Some(f.ranking[1].organization_id.clone()));
        assert!(db::awards::get(db, &other, &awards[0].id).await.is_err(), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn a_job_is_claimed_once() {
    each_demo_db(async |db, backend| {
        let id = db::jobs::schedule(db, "test.noop", "x", NOW, NOW).await.unwrap();
        assert!(!db::jobs::claim(db, &id, NOW - 1).await.unwrap(), "{backend}: not due yet");
        assert!(db::jobs::claim(db, &id, NOW).await.unwrap(), "{backend}");
        assert!(!db::jobs::claim(db, &id, NOW + 1).await.unwrap(), "{backend}: already running");
        // a claim whose lock has expired (the instance died) may be taken over
        assert!(db::jobs::claim(db, &id, NOW + 6 * 60 * 1000).await.unwrap(), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn a_waiting_job_is_claimed_again_later() {
    each_demo_db(async |db, backend| {
        let f = fixture(db, r#"{"unit":"calendar_days","length":7}"#).await;
        let n = published(db, &f, at(2025, 6, 2, 9)).await.unwrap();
        db::notices::file_objection(db, &keys(), &n.id, &objection(&n.lines[0].id), at(2025, 6, 5, 9)).await.unwrap();
        assert_eq!(db::jobs::run_due_jobs(db, at(2025, 6, 10, 1)).await.unwrap().waiting, 1, "{backend}");
        let job = db::jobs::find(db, db::jobs::NOTICE_CLOSE, &n.id).await.unwrap().remove(0);
        assert_eq!(job.status, "waiting", "{backend}");
        assert_eq!(job.last_error, "尚有1件异议未处理，处理后才能结束公示", "{backend}");
        // not again within the hour; then again, still waiting
        assert_eq!(db::jobs::run_due_jobs(db, at(2025, 6, 10, 1) + 1).await.unwrap(), Default::default());
        assert_eq!(db::jobs::run_due_jobs(db, at(2025, 6, 10, 2)).await.unwrap().waiting, 1, "{backend}");
    })
    .await;
}

fn card(points: &str) -> db::review::CardInput {
    let codes = ["materials", "plan_quality", "feasibility", "org_capacity", "team"];
    db::review::CardInput {
        scores: codes.iter().map(|c| (c.to_string(), points.to_string())).collect(),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_slate_is_generated_from_signed_scorecards() {
    each_demo_db(async |db, backend| {
        let user = async |name: &str| {
            let u = db::entity::user::Entity::find()
                .filter(db::entity::user::Column::Username.eq(name))
                .one(db)
                .await
                .unwrap()
                .unwrap();
            db::auth::actor_of(&u)
        };
        let operator = user("operator").await;
        let program = db::programs::get(db, None, "chongchuan-9").await.unwrap().id;
        // no signed scorecard yet: nothing to put on a slate
        let err = db::decision::generate(db, &operator, &program, NOW).await.unwrap_err();
        assert!(err.to_string().contains("还没有已评分"), "{backend}: {err}");

        let draw = db::review::DrawInput { program_id: program.clone(), size: 5, ..Default::default() };
        db::review::draw(db, &operator, &draw, 11, NOW).await.unwrap();
        let title = "示例·“记忆守护”认知症家庭支持";
        for name in ["reviewer", "reviewer2", "reviewer3", "reviewer5", "reviewer6"] {
            let r = user(name).await;
            let mine = db::review::my_assignments(db, &r).await.unwrap();
            let id = mine.iter().find(|a| a.title == title).unwrap().id.clone();
            db::review::declare(db, &r, &id, false, "", NOW).await.unwrap();
            db::review::save_card(db, &r, &id, &card("16"), NOW).await.unwrap();
            db::review::sign_card(db, &r, &id, NOW).await.unwrap();
        }
        let lines = db::decision::generate(db, &operator, &program, NOW).await.unwrap();
        assert_eq!(lines.len(), 1, "{backend}: only the scored application is a candidate");
        let l = &lines[0];
        assert_eq!((l.application_title.as_str(), l.rank, l.score), (title, 1, Some(Score::points(80))), "{backend}");
        let cap = call_item::Entity::find_by_id(l.call_item_id.clone().unwrap()).one(db).await.unwrap().unwrap();
        let expected = cap.funding_cap_fen.map_or(l.requested.0, |c| c.min(l.requested.0));
        assert_eq!(l.recommended, Some(Fen(expected)), "{backend}: requested, capped by the item");
    })
    .await;
}
