//! Administrative areas (GB/T 2260 extended with street and community codes).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    Province,
    City,
    County,
    Street,
    Community,
}

impl AreaLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            AreaLevel::Province => "province",
            AreaLevel::City => "city",
            AreaLevel::County => "county",
            AreaLevel::Street => "street",
            AreaLevel::Community => "community",
        }
    }

    /// Level from the data files' words ("village" is a community/village committee).
    pub fn parse(s: &str) -> Option<AreaLevel> {
        match s {
            "province" => Some(AreaLevel::Province),
            "city" => Some(AreaLevel::City),
            "county" | "district" => Some(AreaLevel::County),
            "street" | "township" => Some(AreaLevel::Street),
            "community" | "village" => Some(AreaLevel::Community),
            _ => None,
        }
    }

    /// Level implied by a statistical code's length: 2, 4, 6, 9, 12 digits.
    pub fn from_code(code: &str) -> Option<AreaLevel> {
        if !code.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        match code.len() {
            2 => Some(AreaLevel::Province),
            4 => Some(AreaLevel::City),
            6 => Some(AreaLevel::County),
            9 => Some(AreaLevel::Street),
            12 => Some(AreaLevel::Community),
            _ => None,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            AreaLevel::Province => "省",
            AreaLevel::City => "市",
            AreaLevel::County => "区县",
            AreaLevel::Street => "街道/乡镇",
            AreaLevel::Community => "社区/村",
        }
    }
}

/// The parent code implied by a code (prefix of the previous level), if any.
pub fn parent_code(code: &str) -> Option<&str> {
    match code.len() {
        4 => Some(&code[..2]),
        6 => Some(&code[..4]),
        9 => Some(&code[..6]),
        12 => Some(&code[..9]),
        _ => None,
    }
}

/// Whether `code` lies in the subtree of `ancestor` (codes are prefixes of their descendants).
pub fn is_within(code: &str, ancestor: &str) -> bool {
    code.starts_with(ancestor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_code_length() {
        assert_eq!(AreaLevel::from_code("32"), Some(AreaLevel::Province));
        assert_eq!(AreaLevel::from_code("320613"), Some(AreaLevel::County));
        assert_eq!(AreaLevel::from_code("320613001"), Some(AreaLevel::Street));
        assert_eq!(AreaLevel::from_code("32061300"), None);
        assert_eq!(parent_code("320613001"), Some("320613"));
        assert!(is_within("320613001002", "320613"));
        assert!(!is_within("320614001", "320613"));
    }
}
