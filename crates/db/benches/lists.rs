#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Bench binary: how long the lists people open take on a large data set.
//! `cargo bench -p gongyi-db --bench lists` (size with GONGYI_BENCH_SIZE, default 20000
//! organizations; database with GONGYI_BENCH_DATABASE_URL, default a SQLite file in /tmp).

use std::time::{Duration, Instant};

use db::organizations::OrganizationFilter;
use db::programs::ProgramFilter;
use db::{Actor, PageRequest};
use domain::role::Role;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn measure<F, Fut>(label: &str, runs: usize, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    f().await; // warm up
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await;
        times.push(t.elapsed());
    }
    println!("{label:<58} median {:>9.3} ms over {runs} runs", median(times).as_secs_f64() * 1000.0);
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let size: usize = std::env::var("GONGYI_BENCH_SIZE").ok().and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let path = std::env::temp_dir().join(format!("gongyi-bench-{size}.sqlite"));
    let url =
        std::env::var("GONGYI_BENCH_DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", path.display()));
    let fresh = url.starts_with("sqlite:") && !path.exists();
    let db = db::connect(&url).await?;
    db::migrate(&db).await?;
    if fresh || db::demo::is_empty(&db).await? {
        let t = Instant::now();
        let hash = db::passwords::hash_password("Bench-Pass-2026")?;
        db::demo::load(&db, &hash, 0, |_| {}).await?;
        db::synthetic::generate(&db, size, 0, |_, _| {}).await?;
        println!("generated {size} organizations and {} programs in {:.1} s", size / 100, t.elapsed().as_secs_f64());
    }
    let admin = Actor::system();
    let hemei = db::organizations::find_by_name(&db, "示例·崇川区和美社会工作服务中心").await?.ok_or("demo org")?;
    let org_admin = Actor {
        user_id: None,
        username: "b".into(),
        role: Role::OrgAdmin,
        organization_id: Some(hemei.id.clone()),
        area_code: None,
        program_id: None,
    };
    let street = Actor {
        user_id: None,
        username: "s".into(),
        role: Role::AreaOfficer,
        organization_id: None,
        area_code: Some("320613002".into()),
        program_id: None,
    };
    let page50 = PageRequest { after: None, limit: Some(50) };
    let all = OrganizationFilter::default();

    measure("organizations, first page of 50 (admin)", 50, || async {
        db::organizations::list(&db, &admin, &all, &page50).await.map(drop).unwrap_or(());
    })
    .await;
    let deep =
        db::organizations::list(&db, &admin, &all, &PageRequest { after: None, limit: Some(200) }).await?.next_cursor;
    measure("organizations, a later page of 50 (keyset)", 50, || async {
        db::organizations::list(&db, &admin, &all, &PageRequest { after: deep.clone(), limit: Some(50) })
            .await
            .map(drop)
            .unwrap_or(());
    })
    .await;
    measure("organizations, street officer's subtree, 50", 50, || async {
        db::organizations::list(&db, &street, &all, &page50).await.map(drop).unwrap_or(());
    })
    .await;
    measure("organizations, own organization only (org admin)", 50, || async {
        db::organizations::list(&db, &org_admin, &all, &page50).await.map(drop).unwrap_or(());
    })
    .await;
    let by_name = OrganizationFilter { q: Some("合成社会组织0123".into()), ..Default::default() };
    measure("organizations, name search", 20, || async {
        db::organizations::list(&db, &admin, &by_name, &page50).await.map(drop).unwrap_or(());
    })
    .await;
    measure("public programs, first page", 50, || async {
        db::programs::list(&db, None, &ProgramFilter::default(), &page50).await.map(drop).unwrap_or(());
    })
    .await;
    measure("program detail with its 20 call items", 50, || async {
        let p = db::programs::get(&db, None, "chongchuan-9").await;
        if let Ok(p) = p {
            let _ = db::programs::items(&db, None, &p.id).await;
        }
    })
    .await;
    Ok(())
}
