//! Interface text in catalogs: zh-CN is the default, en is complete. Keys are dotted paths of
//! the TOML files in crates/web/i18n.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    ZhCn,
    En,
}

impl Locale {
    pub fn parse(s: &str) -> Locale {
        if s.starts_with("en") { Locale::En } else { Locale::ZhCn }
    }
    pub fn code(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }
}

/// Catalog files per locale; each area of the interface keeps its own file.
pub const ZH_CN: &[&str] = &[
    include_str!("../i18n/zh-CN/core.toml"),
    include_str!("../i18n/zh-CN/admin.toml"),
    include_str!("../i18n/zh-CN/api.toml"),
    include_str!("../i18n/zh-CN/persons.toml"),
    include_str!("../i18n/zh-CN/registry.toml"),
    include_str!("../i18n/zh-CN/applications.toml"),
    include_str!("../i18n/zh-CN/notifications.toml"),
    include_str!("../i18n/zh-CN/review.toml"),
    include_str!("../i18n/zh-CN/decision.toml"),
    include_str!("../i18n/zh-CN/projects.toml"),
    include_str!("../i18n/zh-CN/visits.toml"),
    include_str!("../i18n/zh-CN/services.toml"),
];
pub const EN: &[&str] = &[
    include_str!("../i18n/en/core.toml"),
    include_str!("../i18n/en/admin.toml"),
    include_str!("../i18n/en/api.toml"),
    include_str!("../i18n/en/persons.toml"),
    include_str!("../i18n/en/registry.toml"),
    include_str!("../i18n/en/applications.toml"),
    include_str!("../i18n/en/notifications.toml"),
    include_str!("../i18n/en/review.toml"),
    include_str!("../i18n/en/decision.toml"),
    include_str!("../i18n/en/projects.toml"),
    include_str!("../i18n/en/visits.toml"),
    include_str!("../i18n/en/services.toml"),
];

/// All keys of a locale's files.
pub fn flatten_all(files: &[&str]) -> HashMap<String, String> {
    files.iter().flat_map(|f| flatten(f)).collect()
}

/// Flatten a TOML catalog into "a.b.c" → text.
pub fn flatten(text: &str) -> HashMap<String, String> {
    fn walk(prefix: &str, v: &toml::Value, out: &mut HashMap<String, String>) {
        match v {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    walk(&key, v, out);
                }
            }
            toml::Value::String(s) => {
                out.insert(prefix.to_string(), s.clone());
            }
            other => {
                out.insert(prefix.to_string(), other.to_string());
            }
        }
    }
    let mut out = HashMap::new();
    if let Ok(v) = text.parse::<toml::Table>() {
        walk("", &toml::Value::Table(v), &mut out);
    }
    out
}

fn catalog(locale: Locale) -> &'static HashMap<String, String> {
    static ZH: OnceLock<HashMap<String, String>> = OnceLock::new();
    static EN_: OnceLock<HashMap<String, String>> = OnceLock::new();
    match locale {
        Locale::ZhCn => ZH.get_or_init(|| flatten_all(ZH_CN)),
        Locale::En => EN_.get_or_init(|| flatten_all(EN)),
    }
}

/// The translator handed to every template.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr {
    pub locale: Locale,
}

impl Tr {
    pub fn new(locale: Locale) -> Tr {
        Tr { locale }
    }

    /// The text of `key`; falls back to Chinese, then to the key itself.
    pub fn get<'a>(&self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        catalog(self.locale).get(key).or_else(|| catalog(Locale::ZhCn).get(key)).map(String::as_str).unwrap_or(key)
    }

    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }

    pub fn is_en(&self) -> bool {
        self.locale == Locale::En
    }
}
