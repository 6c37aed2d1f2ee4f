#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! In-process HTTP tests: a `TestApp` per backend with a fresh database, requests through the
//! router without a socket, and helpers to log in as a demo user.
#![allow(dead_code)]

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::clock::FixedClock;
use http_body_util::BodyExt;
use tower::ServiceExt;
use web::{AppState, Config};

pub const PASSWORD: &str = "Demo-Pass-2026";

/// The demo organization the demo org users (orgadmin, orgstaff, worker) belong to.
pub const HEMEI: &str = "示例·崇川区和美社会工作服务中心";
/// Another demo social organization, for scope tests.
pub const LINLI: &str = "示例·崇川区邻里互助服务社";

/// The fixed data key of the tests (never used outside them).
pub const TEST_DATA_KEY: &str = "7465737420646174612b6b6579206f6620676f6e677969207465737473212121";

pub fn test_keys() -> Arc<db::crypto::Keys> {
    Arc::new(db::crypto::Keys::from_hex(TEST_DATA_KEY).unwrap())
}

pub struct TestApp {
    pub backend: &'static str,
    pub state: AppState,
    pub router: Router,
    testdb: Option<db::testing::TestDb>,
}

pub struct Res {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Res {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

/// A logged-in browser: its session cookie and CSRF token.
#[derive(Clone)]
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

/// A file part of a multipart form.
pub struct FilePart<'a> {
    pub field: &'a str,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// A `multipart/form-data` body as a browser sends it: the text fields, then the file.
pub fn multipart(fields: &[(&str, &str)], file: &FilePart) -> (String, Vec<u8>) {
    let boundary = "----gongyi-test-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
            file.field, file.filename, file.content_type
        )
        .as_bytes(),
    );
    body.extend(file.bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// 2026-11-22 10:00 in Asia/Shanghai.
pub fn clock() -> FixedClock {
    FixedClock::at_shanghai(chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap().and_hms_opt(10, 0, 0).unwrap())
}

impl TestApp {
    async fn from_db(testdb: db::testing::TestDb, demo: bool) -> TestApp {
        let conn = testdb.db.clone();
        if demo {
            let hash = db::passwords::hash_password(PASSWORD).unwrap();
            db::demo::load(&conn, &hash, clock().0.timestamp_millis(), |_| {}).await.unwrap();
        } else {
            db::calendar::seed_official(&conn, 0).await.unwrap();
        }
        let state = AppState::new(conn, Arc::new(clock()), Config::default(), test_keys());
        let router = web::router(state.clone());
        TestApp { backend: testdb.backend, state, router, testdb: Some(testdb) }
    }

    pub async fn cleanup(mut self) {
        if let Some(t) = self.testdb.take() {
            t.drop_database().await;
        }
    }

    pub async fn request(&self, req: Request<Body>) -> Res {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Res { status, headers, body: String::from_utf8_lossy(&bytes).to_string() }
    }

    pub async fn get(&self, path: &str, browser: Option<&Browser>) -> Res {
        let mut b = Request::get(path);
        if let Some(br) = browser {
            b = b.header(header::COOKIE, &br.cookie);
        }
        self.request(b.body(Body::empty()).unwrap()).await
    }

    /// POST a form; the browser's CSRF token is added as `_csrf`.
    pub async fn post_form(&self, path: &str, browser: Option<&Browser>, fields: &[(&str, &str)]) -> Res {
        let mut pairs: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut b = Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(br) = browser {
            b = b.header(header::COOKIE, &br.cookie);
            if !pairs.iter().any(|(k, _)| k == "_csrf") {
                pairs.push(("_csrf".into(), br.csrf.clone()));
            }
        }
        let body = serde_urlencoded::to_string(&pairs).unwrap();
        self.request(b.body(Body::from(body)).unwrap()).await
    }

    /// POST a multipart form (an upload) with the browser's cookie; the CSRF token goes where the
    /// caller puts it (a field or the query).
    pub async fn post_multipart(&self, path: &str, b: &Browser, fields: &[(&str, &str)], file: &FilePart<'_>) -> Res {
        let (content_type, body) = multipart(fields, file);
        let req = Request::post(path)
            .header(header::COOKIE, &b.cookie)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        self.request(req).await
    }

    /// The same app with its file store in a fresh temp dir (returned; remove it at the end).
    pub fn with_temp_store(mut self) -> (TestApp, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("gongyi-web-test-{}", db::new_id()));
        let config = Config { data_dir: dir.clone(), ..Default::default() };
        self.state = AppState::new(self.state.db.clone(), Arc::new(clock()), config, test_keys());
        self.router = web::router(self.state.clone());
        (self, dir)
    }

    /// Log in through the form and pick up the CSRF token from the account page.
    pub async fn login(&self, username: &str) -> Browser {
        let res = self.post_form("/login", None, &[("username", username), ("password", PASSWORD)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "login {username}: {}", res.body);
        let cookie = res
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("gy_session="))
            .and_then(|c| c.split(';').next())
            .unwrap()
            .to_string();
        let page = self.get("/account", Some(&Browser { cookie: cookie.clone(), csrf: String::new() })).await;
        let csrf =
            page.body.split("name=\"_csrf\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().to_string();
        Browser { cookie, csrf }
    }

    /// A staff user of another organization (示例·邻里), logged in: (browser, API token).
    pub async fn outsider(&self, username: &str) -> (Browser, String) {
        let linli = db::organizations::find_by_name(&self.state.db, LINLI).await.unwrap().unwrap();
        let input = db::users::UserInput {
            username: username.into(),
            display_name: "示例·邻里 工作人员".into(),
            role: "org_staff".into(),
            organization_id: Some(linli.id),
            area_code: None,
            program_id: None,
            password: Some(PASSWORD.into()),
            active: Some(true),
        };
        db::users::create(&self.state.db, &db::Actor::system(), &input, 0).await.unwrap();
        (self.login(username).await, self.token(username).await)
    }

    /// How many audit log entries have this action.
    pub async fn audit_count(&self, action: &str) -> usize {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let q = db::entity::audit_entry::Entity::find().filter(db::entity::audit_entry::Column::Action.eq(action));
        q.count(&self.state.db).await.unwrap() as usize
    }

    /// The id of a (demo) user by username.
    pub async fn user_id(&self, username: &str) -> String {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        db::entity::user::Entity::find()
            .filter(db::entity::user::Column::Username.eq(username))
            .one(&self.state.db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no user {username}"))
            .id
    }

    /// A bearer token for the API.
    pub async fn token(&self, username: &str) -> String {
        let res = self
            .api(
                "POST",
                "/api/v1/auth/token",
                None,
                Some(serde_json::json!({"username": username, "password": PASSWORD})),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "token {username}: {}", res.body);
        res.json()["token"].as_str().unwrap().to_string()
    }

    pub async fn api(&self, method: &str, path: &str, token: Option<&str>, body: Option<serde_json::Value>) -> Res {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(json) => {
                b.header(header::CONTENT_TYPE, "application/json").body(Body::from(json.to_string())).unwrap()
            }
            None => b.body(Body::empty()).unwrap(),
        };
        self.request(req).await
    }
}

/// Run `test` once per configured backend, each with a fresh database holding the demo data.
pub async fn with_demo<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = TestApp>,
{
    for testdb in db::testing::all_backends().await {
        let app = TestApp::from_db(testdb, true).await;
        test(app).await.cleanup().await;
    }
}

/// Run `test` once per backend on an empty (migrated) database.
pub async fn with_empty<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = TestApp>,
{
    for testdb in db::testing::all_backends().await {
        let app = TestApp::from_db(testdb, false).await;
        test(app).await.cleanup().await;
    }
}
