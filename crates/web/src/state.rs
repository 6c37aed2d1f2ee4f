//! Shared state: the database pool, the injected clock, configuration, the data keys.

use std::path::PathBuf;
use std::sync::Arc;

use domain::clock::Clock;
use sea_orm::DatabaseConnection;

#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (set when served over HTTPS, the production default).
    pub secure_cookies: bool,
    /// Where uploaded and generated files live.
    pub data_dir: PathBuf,
    /// E-mail notifications (none: in-app only).
    pub smtp: Option<crate::mailer::SmtpConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Config { secure_cookies: false, data_dir: PathBuf::from("data"), smtp: None }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    /// The data keys for personal identifiers encrypted at rest (`db::crypto`).
    pub keys: Arc<db::crypto::Keys>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, clock: Arc<dyn Clock>, config: Config, keys: Arc<db::crypto::Keys>) -> Self {
        AppState { db, clock, config: Arc::new(config), keys }
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    /// The configured file store: `GONGYI_FILE_STORE`, else `<data_dir>/files`.
    pub fn file_store(&self) -> db::AppResult<db::files::FileStore> {
        let configured = std::env::var(db::files::CONFIG_ENV).ok();
        db::files::FileStore::open(&self.config.data_dir, configured.as_deref())
    }
}
