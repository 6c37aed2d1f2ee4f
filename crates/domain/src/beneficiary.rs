//! Beneficiaries (服务对象) as data: the categories a person may belong to and the care levels.
//! Codes are stored; the interface shows the catalog's words for them.

/// Categories (PRODUCT.md, issue 4): 特困, 低保, 低边, 独居, 留守老人, 失能/失智, 残疾, 困境儿童,
/// 孤儿, 事实无人抚养. (code, Chinese name)
pub const CATEGORIES: [(&str, &str); 10] = [
    ("extreme_poverty", "特困"),
    ("dibao", "低保"),
    ("dibian", "低边"),
    ("living_alone", "独居"),
    ("left_behind_elderly", "留守老人"),
    ("disabled_dementia", "失能/失智"),
    ("disability", "残疾"),
    ("child_in_difficulty", "困境儿童"),
    ("orphan", "孤儿"),
    ("de_facto_unsupported", "事实无人抚养"),
];

/// Care levels (护理等级), after the capability grades of GB/T 42195-2022. (code, Chinese name)
pub const CARE_LEVELS: [(&str, &str); 5] = [
    ("intact", "能力完好"),
    ("mild", "轻度失能"),
    ("moderate", "中度失能"),
    ("severe", "重度失能"),
    ("total", "完全失能"),
];

pub fn is_category(code: &str) -> bool {
    CATEGORIES.iter().any(|(c, _)| *c == code)
}

pub fn is_care_level(code: &str) -> bool {
    CARE_LEVELS.iter().any(|(c, _)| *c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_known() {
        let mut codes: Vec<&str> = CATEGORIES.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), CATEGORIES.len());
        assert!(is_category("orphan"));
        assert!(!is_category("孤儿"));
        assert!(is_care_level("mild"));
    }
}
