#![allow(clippy::expect_used, clippy::panic)]
//! Fresh databases for tests: SQLite in memory always; PostgreSQL and MySQL/MariaDB when
//! GONGYI_TEST_POSTGRES_URL / GONGYI_TEST_MYSQL_URL are set. Under CI=true both must be set.

use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::{connect, migrate};

/// A database made for one test; `drop_database` removes it from the server afterwards.
pub struct TestDb {
    pub backend: &'static str,
    pub db: DatabaseConnection,
    admin: Option<(String, String)>,
}

impl TestDb {
    pub async fn drop_database(self) {
        let _ = self.db.close().await;
        if let Some((admin_url, name)) = self.admin
            && let Ok(admin) = connect(&admin_url).await
        {
            let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}")).await;
            let _ = admin.close().await;
        }
    }
}

/// The server URLs configured for this run, as (backend, url).
pub fn server_urls() -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    for (name, var) in [("postgres", "GONGYI_TEST_POSTGRES_URL"), ("mysql", "GONGYI_TEST_MYSQL_URL")] {
        match std::env::var(var) {
            Ok(url) if !url.is_empty() => v.push((name, url)),
            _ => {
                if std::env::var("CI").is_ok_and(|c| c == "true") {
                    panic!("{var} is not set: under CI=true the {name} suite must run");
                }
                skipped_once(name, var);
            }
        }
    }
    v
}

fn skipped_once(name: &str, var: &str) {
    use std::sync::Once;
    static PG: Once = Once::new();
    static MY: Once = Once::new();
    let once = if name == "postgres" { &PG } else { &MY };
    once.call_once(|| eprintln!("note: {name} suite skipped ({var} not set); running on SQLite only"));
}

fn unique_name() -> String {
    format!("gy_t_{}", uuid::Uuid::now_v7().simple())
}

/// Replace the database name (the path) of a server URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..].find('/').map(|i| i + scheme_end).unwrap_or(base.len());
    format!("{}/{name}{query}", &base[..path_start])
}

/// A migrated, empty SQLite database in memory.
pub async fn sqlite() -> TestDb {
    let db = connect("sqlite::memory:").await.expect("sqlite");
    migrate(&db).await.expect("migrate sqlite");
    TestDb { backend: "sqlite", db, admin: None }
}

/// A migrated, empty database on a server.
pub async fn on_server(backend: &'static str, url: &str) -> TestDb {
    let name = unique_name();
    let admin = connect(url).await.unwrap_or_else(|e| panic!("connect {backend} at {url}: {e}"));
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
    let _ = admin.close().await;
    let db = connect(&with_database(url, &name)).await.expect("connect test database");
    migrate(&db).await.unwrap_or_else(|e| panic!("migrate {backend}: {e}"));
    TestDb { backend, db, admin: Some((url.to_string(), name)) }
}

/// One fresh database per configured backend.
pub async fn all_backends() -> Vec<TestDb> {
    let mut v = vec![sqlite().await];
    for (backend, url) in server_urls() {
        v.push(on_server(backend, &url).await);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(with_database("postgres://u@h:5432/test", "x"), "postgres://u@h:5432/x");
        assert_eq!(
            with_database("mysql://root@127.0.0.1:3306/test?ssl-mode=disabled", "x"),
            "mysql://root@127.0.0.1:3306/x?ssl-mode=disabled"
        );
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    }
}
