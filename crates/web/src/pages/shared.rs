//! Small helpers every page module shares: select options, next-page links, the 422 status of a
//! re-rendered form, Chinese labels for web-layer messages.

use axum::http::StatusCode;
use axum::response::Response;
use domain::role::Role;

use crate::i18n::Tr;

/// One option of a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    /// Options from (value, label) pairs; the one equal to `current` is selected.
    pub fn list<V, L>(items: impl IntoIterator<Item = (V, L)>, current: &str) -> Vec<Choice>
    where
        V: Into<String>,
        L: Into<String>,
    {
        items
            .into_iter()
            .map(|(v, l)| {
                let value = v.into();
                Choice { selected: value == current, value, label: l.into() }
            })
            .collect()
    }
}

/// The link to the next page of a list: its filters (empty ones dropped) plus `after`.
pub fn next_href(path: &str, filters: &[(&str, &str)], cursor: Option<String>) -> Option<String> {
    let cursor = cursor?;
    let mut pairs: Vec<(&str, &str)> = filters.iter().filter(|(_, v)| !v.is_empty()).copied().collect();
    pairs.push(("after", &cursor));
    Some(format!("{path}?{}", serde_urlencoded::to_string(pairs).unwrap_or_default()))
}

/// A form page re-rendered after a validation error: status 422.
pub fn unprocessable(mut res: Response) -> Response {
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    res
}

/// 422 when a re-rendered form has errors, the response as it is otherwise.
pub fn unprocessable_if(failed: bool, res: Response) -> Response {
    if failed { unprocessable(res) } else { res }
}

/// Chinese field labels for error messages made in the web layer (the data layer's are Chinese).
pub fn zh(key: &'static str) -> &'static str {
    Tr::default().get(key)
}

/// Whether a role may create organizations and manage users and areas.
pub fn is_manager(role: Role) -> bool {
    matches!(role, Role::SysAdmin | Role::FunderAdmin)
}
