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
        Ok(Settings { bind, data_dir, database_url, secure_cookies })
    }
}
