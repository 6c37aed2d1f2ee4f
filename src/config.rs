//! Configuration: command-line options, then environment (GONGYI_*), then an optional TOML
//! file (`--config`), then defaults.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The file form of the configuration; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub secure_cookies: Option<bool>,
    pub smtp_url: Option<String>,
    pub smtp_from: Option<String>,
}

impl FileConfig {
    pub fn load(path: &Path) -> anyhow::Result<FileConfig> {
        let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("配置文件 {}：{e}", path.display()))?;
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("配置文件 {}：{e}", path.display()))
    }
}

/// The settings in force.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: String,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub secure_cookies: bool,
    /// E-mail notifications: `GONGYI_SMTP_URL` / `smtp_url` and `GONGYI_SMTP_FROM` / `smtp_from`.
    pub smtp: Option<web::mailer::SmtpConfig>,
}

impl Settings {
    pub fn resolve(
        bind: Option<String>,
        data_dir: Option<PathBuf>,
        database_url: Option<String>,
        config: Option<&Path>,
    ) -> anyhow::Result<Settings> {
        let file = match config {
            Some(p) => FileConfig::load(p)?,
            None => FileConfig::default(),
        };
        let bind = bind.or(file.bind).unwrap_or_else(|| "127.0.0.1:8080".into());
        let data_dir = data_dir.or(file.data_dir).unwrap_or_else(|| PathBuf::from("data"));
        let database_url = database_url
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("gongyi.sqlite").display()));
        let secure_cookies = std::env::var("GONGYI_SECURE_COOKIES")
            .ok()
            .map(|v| v == "1" || v == "true")
            .or(file.secure_cookies)
            .unwrap_or(false);
        let smtp_url = std::env::var("GONGYI_SMTP_URL").ok().filter(|v| !v.is_empty()).or(file.smtp_url);
        let smtp_from = std::env::var("GONGYI_SMTP_FROM").ok().filter(|v| !v.is_empty()).or(file.smtp_from);
        let smtp = smtp_url.map(|url| web::mailer::SmtpConfig {
            url,
            from: smtp_from.unwrap_or_else(|| "Gongyi <noreply@localhost>".into()),
        });
        Ok(Settings { bind, data_dir, database_url, secure_cookies, smtp })
    }
}
