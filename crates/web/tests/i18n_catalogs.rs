#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The English catalog is complete, and every key the interface asks for exists.

use std::collections::BTreeSet;
use std::path::Path;

fn keys(files: &[&str]) -> BTreeSet<String> {
    web::i18n::flatten_all(files).into_keys().collect()
}

/// Every literal key passed to `t.get("…")` / `tr.get("…")` in templates and handlers.
fn used_keys() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = BTreeSet::new();
    let mut stack = vec![root.join("templates"), root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for part in text.split(".get(\"").skip(1) {
                let key = part.split('"').next().unwrap();
                // catalog keys are dotted lowercase paths; other .get("…") calls are not
                if key.contains('.')
                    && key.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_' || c.is_ascii_digit())
                {
                    out.insert(key.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn english_has_every_chinese_key_and_no_other() {
    let zh = keys(web::i18n::ZH_CN);
    let en = keys(web::i18n::EN);
    let missing: Vec<_> = zh.difference(&en).collect();
    let extra: Vec<_> = en.difference(&zh).collect();
    assert!(missing.is_empty(), "keys missing in English: {missing:?}");
    assert!(extra.is_empty(), "keys only in English: {extra:?}");
}

#[test]
fn every_key_used_by_the_interface_exists() {
    let zh = keys(web::i18n::ZH_CN);
    let missing: Vec<_> = used_keys().into_iter().filter(|k| !zh.contains(k)).collect();
    assert!(missing.is_empty(), "keys used but not in the catalog: {missing:?}");
}

#[test]
fn the_two_languages_differ() {
    let zh = web::i18n::Tr::new(web::i18n::Locale::ZhCn);
    let en = web::i18n::Tr::new(web::i18n::Locale::En);
    assert_eq!(zh.get("nav.calls"), "项目征集");
    assert_eq!(en.get("nav.calls"), "Calls");
}
