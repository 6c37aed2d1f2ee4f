//! Helpers for HTML forms: reading optional values, and the errors shown next to each field.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::error::{AppError, FieldError};
use domain::money::Fen;

/// Errors by field name, for inline display (`errors.get("uscc")`).
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    map: HashMap<String, String>,
    pub all: Vec<String>,
}

impl FormErrors {
    pub fn from_app(e: &AppError) -> FormErrors {
        let mut f = FormErrors::default();
        match e {
            AppError::Validation(list) => {
                for FieldError { field, message } in list {
                    f.map.entry(field.clone()).or_insert_with(|| message.clone());
                    f.all.push(message.clone());
                }
            }
            other => f.all.push(other.to_string()),
        }
        f
    }

    pub fn from_fields(list: Vec<FieldError>) -> FormErrors {
        FormErrors::from_app(&AppError::Validation(list))
    }

    /// The message for a field, or "".
    pub fn get(&self, field: &str) -> &str {
        self.map.get(field).map(String::as_str).unwrap_or("")
    }

    pub fn has(&self, field: &str) -> bool {
        self.map.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }
}

/// "" → None.
pub fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Parse an optional date field (YYYY-MM-DD), collecting an error naming the field.
pub fn opt_date(value: &str, field: &str, label: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(field, format!("{label}：日期格式应为 YYYY-MM-DD")));
            None
        }
    }
}

/// Parse an optional whole number.
pub fn opt_int(value: &str, field: &str, label: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(FieldError::new(field, format!("{label}：应为整数")));
            None
        }
    }
}

/// Parse an optional amount in 万元 (the unit documents and forms use).
pub fn opt_wan(value: &str, field: &str, label: &str, errors: &mut Vec<FieldError>) -> Option<Fen> {
    let v = value.trim().trim_end_matches("万元").trim_end_matches('万');
    if v.is_empty() {
        return None;
    }
    match Fen::parse(&format!("{v}万")) {
        Ok(f) if f.0 >= 0 => Some(f),
        _ => {
            errors.push(FieldError::new(field, format!("{label}：请填写以万元为单位的金额，如 15 或 2.5")));
            None
        }
    }
}

/// Lines of a textarea, trimmed, empty ones dropped.
pub fn lines(value: &str) -> Vec<String> {
    value.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// All values of a repeated field, in order.
pub fn all<'a>(pairs: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
}

/// A checkbox is on when present.
pub fn checked(pairs: &[(String, String)], name: &str) -> bool {
    pairs.iter().any(|(k, v)| k == name && (v == "on" || v == "true" || v == "1"))
}

/// 万元 text of an optional amount ("" when absent).
pub fn wan(f: Option<Fen>) -> String {
    f.map(|f| f.wan_string()).unwrap_or_default()
}
