use crate::delivery::risk::{Grade, RiskInputs, RiskLevel, RiskTable, RiskTableError, grade};

use RiskLevel::{High, Low, Medium, NoRisk};

fn g(guardianship: RiskLevel, behaviour: RiskLevel, physiological: RiskLevel) -> (Grade, String) {
    grade(&RiskTable::chongchuan_default(), &RiskInputs { guardianship, behaviour, physiological })
}

#[test]
fn default_table_reading_of_chongchuan() {
    let t = RiskTable::chongchuan_default();
    assert_eq!(t.rules.len(), 5);
    assert_eq!(t.fallback, Grade::Green);
    assert_eq!(
        g(NoRisk, NoRisk, NoRisk),
        (Grade::Green, "绿色：三项风险均为无（监护风险：无，行为风险：无，生理风险：无）".to_string())
    );
    assert_eq!(g(NoRisk, Low, NoRisk).0, Grade::Blue);
    assert_eq!(g(Low, NoRisk, Low).0, Grade::Yellow); // two low
    assert_eq!(g(NoRisk, NoRisk, Medium).0, Grade::Yellow);
    assert_eq!(g(Medium, Low, NoRisk).0, Grade::Yellow);
    assert_eq!(g(Medium, NoRisk, Medium).0, Grade::Red); // two medium
    let (grade, reason) = g(High, NoRisk, Low);
    assert_eq!(grade, Grade::Red);
    assert_eq!(reason, "红色：至少一项风险为高（监护风险：高，行为风险：无，生理风险：低）");
    assert_eq!(g(NoRisk, NoRisk, High).0, Grade::Red);
    assert!(g(Low, Low, Low).1.starts_with("黄色：两项及以上风险为低"));
}

#[test]
fn raising_a_dimension_never_lowers_the_grade() {
    let levels = [NoRisk, Low, Medium, High];
    let mut seen = std::collections::HashSet::new();
    for a in levels {
        for b in levels {
            for c in levels {
                let base = g(a, b, c).0.severity_rank();
                seen.insert(base);
                for (x, y, z) in [(a.max(Low), b, c), (a, b.max(Medium), c), (a, b, c.max(High))] {
                    assert!(g(x, y, z).0.severity_rank() <= base, "{a:?} {b:?} {c:?}");
                }
                // Symmetric in the three dimensions.
                assert_eq!(g(a, b, c).0, g(c, a, b).0);
            }
        }
    }
    assert_eq!(seen.len(), 4); // all four colours are reachable
}

#[test]
fn tables_are_data() {
    // A bureau that weighs guardianship more: medium guardianship alone is red. Chinese names work.
    let text = r#"
fallback = "绿"
fallback_reason = "无明显风险"

[[rule]]
grade = "红"
guardianship = "中"
reason = "监护风险为中或高"

[[rule]]
grade = "yellow"
at_least = "medium"
reason = "行为或生理风险为中或高"

[[rule]]
grade = "blue"
at_least = "low"
dimensions = 1
reason = "存在低风险"
"#;
    let t = RiskTable::from_toml(text).unwrap();
    let x = RiskInputs { guardianship: Medium, behaviour: NoRisk, physiological: NoRisk };
    assert_eq!(
        grade(&t, &x),
        (Grade::Red, "红色：监护风险为中或高（监护风险：中，行为风险：无，生理风险：无）".to_string())
    );
    let x = RiskInputs { guardianship: Low, behaviour: High, physiological: NoRisk };
    assert_eq!(grade(&t, &x).0, Grade::Yellow);
    let x = RiskInputs { guardianship: NoRisk, behaviour: NoRisk, physiological: NoRisk };
    assert!(grade(&t, &x).1.starts_with("绿色：无明显风险"));
    // Round trip, and the embedded default survives it.
    let d = RiskTable::chongchuan_default();
    assert_eq!(RiskTable::from_toml(&d.to_toml().unwrap()).unwrap(), d);
    assert_eq!(RiskTable::default(), d);
    let json =
        serde_json::to_string(&RiskInputs { guardianship: High, behaviour: Low, physiological: NoRisk }).unwrap();
    assert_eq!(json, r#"{"guardianship":"high","behaviour":"low","physiological":"none"}"#);
}

#[test]
fn bad_tables_are_refused() {
    let e = RiskTable::from_toml(
        "fallback = \"green\"\n[[rule]]\ngrade = \"red\"\nat_least = \"low\"\ndimensions = 4\nreason = \"x\"\n",
    );
    assert!(matches!(e, Err(RiskTableError::Invalid(m)) if m.contains("dimensions 应为1—3")));
    let e = RiskTable::from_toml("fallback = \"green\"\n[[rule]]\ngrade = \"red\"\ndimensions = 2\nreason = \"x\"\n");
    assert!(matches!(e, Err(RiskTableError::Invalid(m)) if m.contains("没有 at_least")));
    let e = RiskTable::from_toml("fallback = \"green\"\n[[rule]]\ngrade = \"red\"\nreason = \" \"\n");
    assert!(matches!(e, Err(RiskTableError::Invalid(m)) if m.contains("缺少说明")));
    assert!(RiskTable::from_toml("fallback = \"purple\"").is_err());
    assert!(RiskTable::from_toml("rule = []").is_err()); // no fallback
    // A rule without conditions always matches.
    let t = RiskTable::from_toml("fallback = \"green\"\n[[rule]]\ngrade = \"blue\"\nreason = \"全部关注\"\n").unwrap();
    let x = RiskInputs { guardianship: NoRisk, behaviour: NoRisk, physiological: NoRisk };
    assert_eq!(grade(&t, &x).0, Grade::Blue);
}
