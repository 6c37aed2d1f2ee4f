//! What the browser tests share: Gongyi on a free port with the demo data and an injected clock,
//! headless Debian chromium through chromedriver at phone width, and patient element helpers.
//! A test runs when chromedriver is found (GONGYI_CHROMEDRIVER or /usr/bin/chromedriver), says it
//! was skipped otherwise, and fails under CI=true when chromedriver is missing.
#![allow(dead_code)]

use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub const PASSWORD: &str = "Browser-Test-2026";

pub fn find_binary(var: &str, default: &str) -> Option<String> {
    std::env::var(var)
        .ok()
        .filter(|p| !p.is_empty())
        .or_else(|| std::path::Path::new(default).exists().then(|| default.to_string()))
}

pub fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Gongyi serving on a free port from a fresh SQLite file with the demo data.
pub struct Gongyi {
    pub base: String,
    pub dir: std::path::PathBuf,
    pub db: db::DatabaseConnection,
}

/// Start Gongyi on a free port with a fresh SQLite file and the demo data, on the system clock.
pub async fn start_gongyi() -> (String, std::path::PathBuf) {
    let g = start_gongyi_at(Arc::new(domain::clock::SystemClock), "main").await;
    (g.base, g.dir)
}

/// Start Gongyi with the given clock; `name` keeps the data directories of tests apart.
pub async fn start_gongyi_at(clock: Arc<dyn domain::clock::Clock>, name: &str) -> Gongyi {
    let dir = std::env::temp_dir().join(format!("gongyi-browser-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("gongyi.sqlite").display());
    let conn = db::connect(&url).await.unwrap();
    db::migrate(&conn).await.unwrap();
    let hash = db::passwords::hash_password(PASSWORD).unwrap();
    db::demo::load(&conn, &hash, clock.now().timestamp_millis(), |_| {}).await.unwrap();
    let keys = db::crypto::load_or_create_key(&dir, None).unwrap();
    db::demo_projects::load_records(&conn, &keys, clock.now().timestamp_millis()).await.unwrap();
    let state = web::AppState::new(
        conn.clone(),
        clock,
        web::Config { secure_cookies: false, data_dir: dir.clone(), smtp: None },
        Arc::new(keys),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, web::router(state)).await.unwrap() });
    Gongyi { base, dir, db: conn }
}

/// The chromedriver to use, or `None` after saying the test was skipped (a failure under CI=true).
pub fn driver_or_skip() -> Option<String> {
    let driver = find_binary("GONGYI_CHROMEDRIVER", "/usr/bin/chromedriver");
    if driver.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "chromedriver not found: under CI=true the browser test must run (apt-get install chromium chromium-driver)"
            );
        }
        eprintln!(
            "note: browser test skipped (no chromedriver; set GONGYI_CHROMEDRIVER or apt-get install chromium chromium-driver)"
        );
    }
    driver
}

/// Log in through the form (logging out whoever is logged in first).
pub async fn login(c: &Client, base: &str, username: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    if let Ok(b) = c.find(Locator::XPath("//button[text()='退出']")).await {
        b.click().await.unwrap();
        wait_for(c, "登录").await;
        c.goto(&format!("{base}/login")).await.unwrap();
    }
    fill(c, "username", username).await;
    fill(c, "password", PASSWORD).await;
    submit(c, "main form").await;
    wait_for(c, "退出").await;
}

/// The page's text once it contains `needle`, after going to `path`.
pub async fn open(c: &Client, base: &str, path: &str, needle: &str) -> String {
    c.goto(&format!("{base}{path}")).await.unwrap();
    wait_for(c, needle).await
}

/// Whether the page fits the phone-sized window without sideways scrolling.
pub async fn fits_phone(c: &Client) -> i64 {
    let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
    overflow.as_i64().unwrap_or(0)
}

pub async fn start_browser(driver: &str) -> (Driver, Client) {
    // two TLS back ends are linked (the database drivers' and the WebDriver client's): pick one
    let _ = rustls::crypto::ring::default_provider().install_default();
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let guard = Driver(child);
    let mut args = vec![
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=360,780",
    ];
    let data_dir = format!(
        "--user-data-dir={}",
        std::env::temp_dir().join(format!("gongyi-chrome-{}-{port}", std::process::id())).display()
    );
    args.push(&data_dir);
    let mut opts = json!({ "args": args });
    if let Some(bin) = find_binary("GONGYI_CHROMIUM", "/usr/bin/chromium") {
        opts["binary"] = json!(bin);
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), opts);
    let mut last_err = String::new();
    for _ in 0..50 {
        match ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return (guard, c),
            Err(e) => {
                last_err = e.to_string();
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    panic!("could not start a chromium session: {last_err}");
}

/// Find an element, waiting up to 15 seconds for the page that has it.
pub async fn find(c: &Client, locator: Locator<'_>) -> fantoccini::elements::Element {
    let mut last = String::new();
    for _ in 0..150 {
        match c.find(locator).await {
            Ok(el) => return el,
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("element {locator:?} never appeared: {last}");
}

pub async fn fill(c: &Client, name: &str, value: &str) {
    let el = find(c, Locator::Css(&format!("[name='{name}']"))).await;
    el.clear().await.ok();
    el.send_keys(value).await.unwrap();
}

pub async fn click(c: &Client, locator: Locator<'_>) {
    find(c, locator).await.click().await.unwrap();
}

pub async fn submit(c: &Client, form_css: &str) {
    click(c, Locator::Css(&format!("{form_css} button[type=submit]"))).await;
}

/// The page text once it contains `needle` (a click starts a navigation that may not have
/// finished yet: poll for up to 15 seconds, tolerating elements replaced mid-read).
pub async fn wait_for(c: &Client, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..150 {
        if let Ok(el) = c.find(Locator::Css("body")).await
            && let Ok(text) = el.text().await
        {
            if text.contains(needle) {
                return text;
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page never showed “{needle}”; it shows: {last}");
}
