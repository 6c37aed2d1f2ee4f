#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Bench binary: check-ins per second (card token check + anomaly detection + insert + audit),
//! one worker after another and 8 at once, then the visits list and the output facts at that
//! size. `cargo bench -p gongyi-db --bench checkins` (count with GONGYI_BENCH_CHECKINS, default
//! 2000). SQLite is a fresh file in /tmp; PostgreSQL too when GONGYI_TEST_POSTGRES_URL is set.

#[path = "../tests/visits_support/mod.rs"]
mod support;

use std::time::Instant;

use db::visits::{VisitFilter, cards};
use db::{Actor, DatabaseConnection, PageRequest};
use domain::delivery::{DeliveryFacts, PersonFacts};
use support::{MIN, NOW, at_home, fixture, keys};

/// People in the project (GONGYI_BENCH_PEOPLE, default 50).
fn people() -> usize {
    std::env::var("GONGYI_BENCH_PEOPLE").ok().and_then(|s| s.parse().ok()).unwrap_or(50)
}

/// The Hangzhou elder-visit outputs: weekly visits per person (at least 40 a year), files built
/// within a month of the start, and a total of visits.
const TARGETS: &str = r#"[
  {"metric": "visits", "description": "每周上门探访一次，一年不少于40次", "quantity": 1, "per_beneficiary": true,
   "period": "week", "min_per_year": 40},
  {"metric": "files_built", "description": "项目开始后一个月内完成建档", "per_beneficiary": true,
   "within_days_of_start": 30},
  {"metric": "visits", "description": "全年上门探访", "quantity": 100000, "unit": "次"}
]"#;

async fn run(backend: &str, db: &DatabaseConnection, n: usize) {
    let people = people();
    let f = fixture(db, people).await;
    {
        use sea_orm::{ActiveModelTrait, EntityTrait, Set};
        let mut p: db::entity::project::ActiveModel =
            db::entity::project::Entity::find_by_id(f.project.clone()).one(db).await.unwrap().unwrap().into();
        p.targets_json = Set(TARGETS.into());
        p.update(db).await.unwrap();
    }
    let k = keys();
    let pps: Vec<String> = f.people.iter().map(|p| p.1.clone()).collect();
    let tokens: Vec<String> =
        cards::current_many(db, &Actor::system(), &k, &pps, NOW).await.unwrap().into_iter().map(|c| c.token).collect();
    let one = async |i: usize, offset: i64| {
        let token = &tokens[i % people];
        let card = cards::resolve(db, &k, token).await.unwrap();
        let mut input = at_home(i % people);
        input.occurred_ms = Some(NOW - offset * MIN);
        db::visits::record(db, &f.worker, &card.project_person_id, Some(&card), &input, NOW).await.unwrap();
    };
    let t = Instant::now();
    for i in 0..n {
        one(i, (2 * n - i) as i64 * 45).await;
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "{backend:<10} {n} check-ins one after another: {:>8.1} per second ({:.2} ms each)",
        n as f64 / s,
        s * 1000.0 / n as f64
    );

    let t = Instant::now();
    let per = n / 8;
    let tasks = (0..8).map(|w| {
        let one = &one;
        async move {
            for j in 0..per {
                one(w * per + j, (n - w * per - j) as i64 * 45).await;
            }
        }
    });
    futures_join(tasks).await;
    let s = t.elapsed().as_secs_f64();
    println!("{backend:<10} {} check-ins, 8 at once:         {:>8.1} per second", per * 8, (per * 8) as f64 / s);

    let t = Instant::now();
    let page =
        db::visits::list(db, &f.orgadmin, &f.project, &VisitFilter::default(), &PageRequest::default()).await.unwrap();
    println!(
        "{backend:<10} first visits page of {} rows: {:.1} ms",
        page.items.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    let mut facts = DeliveryFacts {
        people: f.people.iter().map(|p| PersonFacts { id: p.0.clone(), ..Default::default() }).collect(),
        ..Default::default()
    };
    let t = Instant::now();
    db::visits::add_facts(db, &f.project, &mut facts, support::d(2026, 12, 31)).await.unwrap();
    let counted: usize = facts.people.iter().map(|p| p.contacts.len()).sum();
    println!("{backend:<10} add_facts over {counted} visits: {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);

    // the project page's numbers at scale: bulk-load past visits, then compute every output
    let extra: usize = std::env::var("GONGYI_BENCH_VISITS").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let t = Instant::now();
    bulk_visits(db, &f, extra).await;
    println!("{backend:<10} bulk-loaded {extra} more visits in {:.1} s", t.elapsed().as_secs_f64());
    for _ in 0..2 {
        let t = Instant::now();
        let progress =
            db::progress::project_progress(db, &f.orgadmin, &f.project, support::d(2026, 12, 31)).await.unwrap();
        println!(
            "{backend:<10} project progress ({} outputs) over {} visits: {:.1} ms",
            progress.targets.len(),
            counted + extra,
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// Insert `n` past home visits (spread over the people and the last year) in batches.
async fn bulk_visits(db: &DatabaseConnection, f: &support::Fixture, n: usize) {
    use sea_orm::EntityTrait;
    let worker = f.worker.user_id.clone().unwrap();
    let rows: Vec<db::entity::visit::ActiveModel> = (0..n)
        .map(|i| {
            let (person, pp) = &f.people[i % f.people.len()];
            let at = NOW - (i as i64 % 360) * 24 * 60 * MIN - (i as i64 % 600) * MIN;
            sea_orm::IntoActiveModel::into_active_model(db::entity::visit::Model {
                id: db::new_id(),
                project_id: f.project.clone(),
                project_person_id: pp.clone(),
                person_id: person.clone(),
                worker_user_id: worker.clone(),
                card_id: None,
                channel: "home".into(),
                recorded_ms: at,
                occurred_ms: at,
                lat_e6: None,
                lng_e6: None,
                accuracy_m: None,
                photo_key: None,
                services_json: "[]".into(),
                notes: String::new(),
                duration_min: 30,
                anomalies_json: "[]".into(),
                review: "ok".into(),
                reviewed_by: None,
                reviewed_ms: None,
                review_note: String::new(),
            })
        })
        .collect();
    for chunk in rows.chunks(500) {
        db::entity::visit::Entity::insert_many(chunk.to_vec()).exec(db).await.unwrap();
    }
    db::visits::tally::rebuild_project(db, &f.project, NOW).await.unwrap();
}

/// Run futures concurrently on this task (no extra dependency).
async fn futures_join<F: std::future::Future<Output = ()>>(tasks: impl Iterator<Item = F>) {
    let mut set: Vec<std::pin::Pin<Box<F>>> = tasks.map(Box::pin).collect();
    std::future::poll_fn(|cx| {
        set.retain_mut(|f| f.as_mut().poll(cx).is_pending());
        if set.is_empty() { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("GONGYI_BENCH_CHECKINS").ok().and_then(|s| s.parse().ok()).unwrap_or(2000);
    let path = std::env::temp_dir().join("gongyi-bench-checkins.sqlite");
    let _ = std::fs::remove_file(&path);
    let db = db::connect(&format!("sqlite://{}?mode=rwc", path.display())).await.unwrap();
    db::migrate(&db).await.unwrap();
    run("sqlite", &db, n).await;
    if let Ok(url) = std::env::var("GONGYI_TEST_POSTGRES_URL") {
        let t = db::testing::on_server("postgres", &url).await;
        run("postgres", &t.db, n).await;
        t.drop_database().await;
    }
}
