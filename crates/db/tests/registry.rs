#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The registry around persons on every backend: the all-or-nothing Excel import (row numbers
//! and Chinese reasons, duplicates in the file and across organizations without leaking the
//! other's data), masked and full exports with the audit entry, assessment scoring against the
//! GB/T 42195-2022 bands, the child risk grade, households, the home point, and scope.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use db::assessments::{self, AssessmentInput, risk, templates};
use db::households::{self, HouseholdInput};
use db::persons::import::{ImportRow, import};
use db::persons::{self, PersonInput};
use db::{Actor, AppError};
use domain::delivery::{GeoPoint, Grade, RiskInputs, RiskLevel};
use domain::role::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const NOW: i64 = 1_795_100_000_000;
const KEY: &str = "7465737420646174612b6b6579206f6620676f6e677969207465737473212121";
const HEMEI: &str = "示例·崇川区和美社会工作服务中心";
const LINLI: &str = "示例·崇川区邻里互助服务社";

fn keys() -> db::crypto::Keys {
    db::crypto::Keys::from_hex(KEY).unwrap()
}

/// A valid resident ID from its first 17 characters (GB 11643-1999 check digit).
fn rid(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = first17.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    format!("{first17}{}", C[(sum % 11) as usize])
}

/// The same ID with a wrong check digit.
fn bad_check(first17: &str) -> String {
    let good = rid(first17);
    let last = if good.ends_with('1') { '2' } else { '1' };
    format!("{first17}{last}")
}

async fn each_db(test: impl AsyncFn(&db::DatabaseConnection, &str)) {
    for t in db::testing::all_backends().await {
        let hash = db::passwords::hash_password("Demo-Pass-2026").unwrap();
        db::demo::load(&t.db, &hash, NOW, |_| {}).await.unwrap();
        test(&t.db, t.backend).await;
        t.drop_database().await;
    }
}

async fn org_actor(db: &db::DatabaseConnection, name: &str, role: Role) -> Actor {
    let org = db::organizations::find_by_name(db, name).await.unwrap().unwrap();
    Actor {
        user_id: Some(format!("u-{}", &org.id[..8])),
        username: format!("staff-{}", &org.id[..4]),
        role,
        organization_id: Some(org.id),
        area_code: None,
        program_id: None,
    }
}

fn row(n: usize, name: &str, id: &str) -> ImportRow {
    ImportRow {
        row: n,
        name: name.into(),
        resident_id: id.into(),
        phone: "13812345678".into(),
        address: "崇川区示例路1号".into(),
        area_code: "320613002".into(),
        categories: "特困、独居".into(),
        care_level: "轻度失能".into(),
        ..Default::default()
    }
}

async fn register(db: &db::DatabaseConnection, actor: &Actor, name: &str, id: &str) -> String {
    let input = PersonInput {
        name: name.into(),
        resident_id: id.into(),
        area_code: Some("320613002".into()),
        ..Default::default()
    };
    persons::create(db, actor, &keys(), &input, NOW).await.unwrap().id
}

async fn person_count(db: &db::DatabaseConnection, org: &Actor) -> u64 {
    db::entity::person::Entity::find()
        .filter(db::entity::person::Column::OrganizationId.eq(org.organization_id.clone().unwrap()))
        .count(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_import_with_one_bad_row_imports_nothing_and_names_every_bad_row() {
    each_db(async |db, backend| {
        let staff = org_actor(db, HEMEI, Role::OrgStaff).await;
        let before = person_count(db, &staff).await;
        let mut mismatch = row(4, "示例·赵四", &rid("32061319400202971"));
        mismatch.birth_date = "1940-02-03".into();
        let mut unknown = row(5, "示例·钱五", &rid("32061319400303972"));
        unknown.categories = "特困、富裕户".into();
        let rows = vec![
            row(2, "示例·张二", &rid("32061319400101973")),
            row(3, "示例·李三", &bad_check("32061319400101974")),
            mismatch,
            unknown,
            row(6, "示例·张二重复", &rid("32061319400101973")),
        ];
        let report = import(db, &staff, &keys(), &rows, NOW).await.unwrap();
        assert_eq!(report.persons, 0, "{backend}");
        let rows_with_problems: Vec<usize> = report.problems.iter().map(|p| p.row).collect();
        assert_eq!(rows_with_problems, vec![3, 4, 5, 6], "{backend}: {:?}", report.problems);
        let text: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
        assert!(text[0].starts_with("第3行 公民身份号码") && text[0].contains("校验"), "{backend}: {}", text[0]);
        assert!(text[1].contains("出生日期") && text[1].contains("1940-02-02"), "{backend}: {}", text[1]);
        assert!(text[2].contains("富裕户"), "{backend}: {}", text[2]);
        assert!(text[3].contains("与第2行重复"), "{backend}: {}", text[3]);
        assert_eq!(person_count(db, &staff).await, before, "{backend}: nothing written");

        // fixed: everything in one go, two rows forming one household with its head
        let mut head = row(2, "示例·张二", &rid("32061319400101973"));
        head.household = "A1".into();
        head.head = "是".into();
        let mut spouse = row(3, "示例·李三", &rid("32061319400101984"));
        spouse.household = "A1".into();
        let single = row(4, "示例·赵四", &rid("32061319400202971"));
        let report = import(db, &staff, &keys(), &[head, spouse, single], NOW).await.unwrap();
        assert!(report.problems.is_empty(), "{backend}: {:?}", report.problems);
        assert_eq!((report.persons, report.households), (3, 1), "{backend}");
        assert_eq!(person_count(db, &staff).await, before + 3, "{backend}");
        let id = persons::find_by_resident_id(db, &staff, &keys(), &rid("32061319400101973")).await.unwrap().unwrap();
        let p = persons::get(db, &staff, &keys(), &id).await.unwrap();
        assert_eq!(p.categories, vec!["extreme_poverty", "living_alone"], "{backend}");
        assert_eq!(p.care_level, "mild", "{backend}");
        // birth date and gender are read from the ID (17th digit 7: male)
        assert_eq!(
            (p.birth_date, p.gender.as_str()),
            (NaiveDate::from_ymd_opt(1940, 1, 1).unwrap(), "male"),
            "{backend}"
        );
        let h = households::get(db, &staff, &keys(), p.household_id.as_deref().unwrap()).await.unwrap();
        assert_eq!(h.members.len(), 2, "{backend}");
        assert_eq!(h.head_person_id.as_deref(), Some(id.as_str()), "{backend}");
        assert_eq!(h.members[0].id, id, "{backend}: head listed first");
    })
    .await;
}

#[tokio::test]
async fn a_duplicate_from_another_organization_is_reported_without_its_data() {
    each_db(async |db, backend| {
        let hemei = org_actor(db, HEMEI, Role::OrgStaff).await;
        let linli = org_actor(db, LINLI, Role::OrgStaff).await;
        let id = rid("32061319390909981");
        let existing = register(db, &hemei, "示例·孙秘密", &id).await;

        let report = import(db, &linli, &keys(), &[row(2, "示例·孙某", &id)], NOW).await.unwrap();
        assert_eq!(report.problems.len(), 1, "{backend}");
        let p = &report.problems[0];
        assert!(p.message.contains("其他机构登记"), "{backend}: {}", p.message);
        assert!(!p.message.contains("孙秘密") && !p.message.contains(HEMEI), "{backend}: no leak");
        assert_eq!(p.existing_person_id, None, "{backend}: no id of a file out of scope");

        // the registering organization is offered its own file to link
        let report = import(db, &hemei, &keys(), &[row(2, "示例·孙某", &id)], NOW).await.unwrap();
        assert_eq!(report.problems[0].existing_person_id.as_deref(), Some(existing.as_str()), "{backend}");
        assert!(report.problems[0].message.contains("已登记"), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn the_export_is_masked_unless_full_ids_are_asked_for_and_that_is_audited() {
    each_db(async |db, backend| {
        let staff = org_actor(db, HEMEI, Role::OrgStaff).await;
        let worker = org_actor(db, HEMEI, Role::FieldWorker).await;
        let id = rid("32061319380808991");
        register(db, &staff, "示例·周导出", &id).await;
        let find = |rows: &[persons::export::ExportRow]| {
            rows.iter().position(|r| r.person.name == "示例·周导出").expect("exported")
        };
        let audits = async || {
            db::entity::audit_entry::Entity::find()
                .filter(db::entity::audit_entry::Column::Action.eq("person.export_full"))
                .all(db)
                .await
                .unwrap()
        };

        let masked = persons::export::export(db, &staff, &keys(), false, NOW).await.unwrap();
        let i = find(&masked);
        assert_eq!(masked[i].full_resident_id, None, "{backend}");
        assert_eq!(masked[i].person.resident_id_masked, format!("3206**********{}", &id[14..]), "{backend}");
        assert!(audits().await.is_empty(), "{backend}: a masked export is not a reveal");

        // a field worker may not see full IDs: asking for them still gives masked ones
        let by_worker = persons::export::export(db, &worker, &keys(), true, NOW).await.unwrap();
        assert_eq!(by_worker[find(&by_worker)].full_resident_id, None, "{backend}");
        assert!(audits().await.is_empty(), "{backend}");

        let full = persons::export::export(db, &staff, &keys(), true, NOW).await.unwrap();
        assert_eq!(full[find(&full)].full_resident_id.as_deref(), Some(id.as_str()), "{backend}");
        let entries = audits().await;
        assert_eq!(entries.len(), 1, "{backend}");
        assert!(entries[0].after_json.contains(&format!("3206**********{}", &id[14..])), "{backend}");
        assert!(!entries[0].after_json.contains(&id), "{backend}: the audit holds masked IDs only");
    })
    .await;
}

fn answers(t: &templates::Template, pick: impl Fn(&templates::Item) -> usize) -> BTreeMap<String, String> {
    t.items().map(|i| (i.code.clone(), pick(i).to_string())).collect()
}

#[test]
fn every_template_parses_and_the_capability_levels_follow_the_standard_bands() {
    templates::check_all().unwrap();
    assert_eq!(templates::all().len(), 5);
    let t = templates::get("capability").unwrap();
    assert_eq!(t.max_score(), 90);
    // 26 scored items in four sections (32 + 15 + 28 + 15), then the two adjustment questions
    let maxima: Vec<i32> =
        t.sections.iter().map(|s| s.items.iter().map(|i| templates::option_parts(&i.options[0]).0).sum()).collect();
    assert_eq!(maxima, vec![32, 15, 28, 15, 0]);
    assert_eq!(t.sections[..4].iter().map(|s| s.items.len()).sum::<usize>(), 26);
    // the best option everywhere (options are listed best first)
    let best = t.evaluate(&answers(t, |_| 0)).unwrap();
    assert_eq!((best.score, best.result.as_str()), (90, "能力完好"));
    let worst = t.evaluate(&answers(t, |i| i.options.len() - 1)).unwrap();
    assert_eq!((worst.score, worst.result.as_str()), (0, "完全失能"));
    for (score, level) in [
        (89, "轻度失能"),
        (66, "轻度失能"),
        (65, "中度失能"),
        (46, "中度失能"),
        (45, "重度失能"),
        (30, "重度失能"),
        (29, "完全失能"),
    ] {
        assert_eq!(t.band_of(score), level, "{score}");
    }
    // self-care all "needs much help" (1 of 4), everything else best: 90 - 8*3 = 66
    let mixed =
        t.evaluate(&answers(t, |i| if t.sections[0].items.iter().any(|x| x.code == i.code) { 3 } else { 0 })).unwrap();
    assert_eq!((mixed.score, mixed.result.as_str()), (66, "轻度失能"));
    assert_eq!(mixed.sections[0], ("自理能力".to_string(), 8));
    // the level adjustments of the standard: a coma decides outright; a dementia diagnosis or
    // repeated risk events make the level one worse, both together still one
    let pick = |item: &str, option: usize| answers(t, |i| if i.code == item { option } else { 0 });
    let coma = t.evaluate(&pick("consciousness", 3)).unwrap();
    assert_eq!((coma.score, coma.result.as_str()), (88, "完全失能"));
    assert_eq!(coma.adjusted_by, vec!["昏迷，直接评定为完全失能".to_string()]);
    let mut dementia = answers(t, |i| if t.sections[0].items.iter().any(|x| x.code == i.code) { 3 } else { 0 });
    dementia.insert("dementia".into(), "1".into());
    let raised = t.evaluate(&dementia).unwrap();
    assert_eq!((raised.score, raised.result.as_str()), (66, "中度失能"));
    dementia.insert("risk_events".into(), "1".into());
    let both = t.evaluate(&dementia).unwrap();
    assert_eq!((both.result.as_str(), both.adjusted_by.len()), ("中度失能", 2));
    assert_eq!(t.evaluate(&pick("dementia", 1)).unwrap().result, "轻度失能", "能力完好 one worse");

    // an unanswered item is named
    let mut partial = answers(t, |_| 0);
    partial.remove("bathing");
    let Err(AppError::Validation(e)) = t.evaluate(&partial) else { panic!("incomplete accepted") };
    assert_eq!(e[0].field, "bathing");
    assert!(e[0].message.starts_with("洗澡"));
}

#[tokio::test]
async fn assessments_and_risk_grades_are_kept_with_history_and_scope() {
    each_db(async |db, backend| {
        let staff = org_actor(db, HEMEI, Role::OrgStaff).await;
        let other = org_actor(db, LINLI, Role::OrgStaff).await;
        let pid = register(db, &staff, "示例·吴评估", &rid("32061319370707992")).await;
        let t = templates::get("capability").unwrap();
        let input = AssessmentInput {
            template_code: "capability".into(),
            answers: answers(t, |_| 0),
            assessed_on: NaiveDate::from_ymd_opt(2026, 11, 10),
            next_on: None,
        };
        let a = assessments::record(db, &staff, &pid, &input, NOW).await.unwrap();
        assert_eq!((a.score, a.result.as_str()), (90, "能力完好"), "{backend}");
        assert_eq!(a.next_on, NaiveDate::from_ymd_opt(2027, 11, 10), "{backend}: reassessment after 12 months");
        assert!(a.adjusted_by.is_empty(), "{backend}");
        // the later one: a dementia diagnosis makes 能力完好 one level worse, and says why
        let mut dementia = answers(t, |_| 0);
        dementia.insert("dementia".into(), "1".into());
        let later =
            AssessmentInput { assessed_on: NaiveDate::from_ymd_opt(2026, 11, 12), answers: dementia, ..input.clone() };
        assessments::record(db, &staff, &pid, &later, NOW + 1).await.unwrap();
        let history = assessments::history(db, &staff, &pid).await.unwrap();
        assert_eq!(history.len(), 2, "{backend}");
        assert_eq!((history[0].score, history[0].result.as_str()), (90, "轻度失能"), "{backend}");
        assert_eq!(history[0].adjusted_by, vec!["确诊认知障碍/痴呆或精神和行为障碍，加重一级".to_string()]);
        assert_eq!(history[0].assessed_on, NaiveDate::from_ymd_opt(2026, 11, 12).unwrap(), "{backend}: newest first");
        let latest = assessments::latest_on(db, &[pid.clone(), "none".into()]).await.unwrap();
        assert_eq!(latest.get(&pid), NaiveDate::from_ymd_opt(2026, 11, 12).as_ref(), "{backend}");
        assert!(!latest.contains_key("none"), "{backend}");

        let high =
            RiskInputs { guardianship: RiskLevel::High, behaviour: RiskLevel::NoRisk, physiological: RiskLevel::Low };
        let on = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let g = risk::set(db, &staff, &pid, &risk::RiskInput { inputs: high, set_on: on }, NOW).await.unwrap();
        assert_eq!(g.grade, Grade::Red, "{backend}");
        assert!(g.reason.contains("监护风险：高"), "{backend}: {}", g.reason);
        let low =
            RiskInputs { guardianship: RiskLevel::Low, behaviour: RiskLevel::NoRisk, physiological: RiskLevel::NoRisk };
        let later_on = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap();
        let g2 =
            risk::set(db, &staff, &pid, &risk::RiskInput { inputs: low, set_on: later_on }, NOW + 5).await.unwrap();
        assert_eq!(g2.grade, Grade::Blue, "{backend}");
        assert_eq!(g2.set_by_name, staff.username, "{backend}: who set it");
        let hist = risk::history(db, &staff, &pid).await.unwrap();
        assert_eq!(hist.iter().map(|h| h.grade).collect::<Vec<_>>(), vec![Grade::Blue, Grade::Red], "{backend}");
        assert_eq!(risk::latest(db, std::slice::from_ref(&pid)).await.unwrap().get(&pid), Some(&Grade::Blue));

        // another organization's people cannot read or write any of it
        for r in [
            assessments::history(db, &other, &pid).await.map(|_| ()),
            assessments::record(db, &other, &pid, &input, NOW).await.map(|_| ()),
            risk::history(db, &other, &pid).await.map(|_| ()),
            risk::set(db, &other, &pid, &risk::RiskInput { inputs: high, set_on: on }, NOW).await.map(|_| ()),
            persons::set_location(db, &other, &pid, Some(GeoPoint::new(32.0, 120.9)), NOW).await,
        ] {
            assert!(matches!(r, Err(AppError::NotFound(_))), "{backend}: {r:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn households_and_the_home_point() {
    each_db(async |db, backend| {
        let staff = org_actor(db, HEMEI, Role::OrgStaff).await;
        let other = org_actor(db, LINLI, Role::OrgStaff).await;
        let a = register(db, &staff, "示例·郑甲", &rid("32061319360606993")).await;
        let b = register(db, &staff, "示例·郑乙", &rid("32061319360606984")).await;
        let stranger = register(db, &other, "示例·外机构", &rid("32061319360606975")).await;
        let input = HouseholdInput { area_code: Some("320613002".into()), address: "崇川区示例路9号".into() };
        let h = households::create(db, &staff, &input, NOW).await.unwrap();
        households::add_member(db, &staff, &h.id, &a, NOW).await.unwrap();
        households::add_member(db, &staff, &h.id, &b, NOW).await.unwrap();
        households::set_head(db, &staff, &h.id, &b, NOW).await.unwrap();
        let v = households::get(db, &staff, &keys(), &h.id).await.unwrap();
        assert_eq!(
            v.members.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
            vec![b.as_str(), a.as_str()],
            "{backend}"
        );
        assert!(v.members[0].resident_id_masked.contains("**********"), "{backend}: masked");
        // a person of another organization cannot be added; the household is invisible to it
        let r = households::add_member(db, &staff, &h.id, &stranger, NOW).await;
        assert!(matches!(r, Err(AppError::NotFound(_))), "{backend}: {r:?}");
        assert!(matches!(households::get(db, &other, &keys(), &h.id).await, Err(AppError::NotFound(_))), "{backend}");
        households::remove_member(db, &staff, &h.id, &b, NOW).await.unwrap();
        assert_eq!(households::get(db, &staff, &keys(), &h.id).await.unwrap().head_person_id, None, "{backend}");

        assert_eq!(persons::location(db, &a).await.unwrap(), None, "{backend}");
        persons::set_location(db, &staff, &a, Some(GeoPoint::new(32.012345, 120.864567)), NOW).await.unwrap();
        let p = persons::location(db, &a).await.unwrap().unwrap();
        assert!((p.lat - 32.012345).abs() < 1e-9 && (p.lon - 120.864567).abs() < 1e-9, "{backend}: {p:?}");
        let bad = persons::set_location(db, &staff, &a, Some(GeoPoint::new(95.0, 10.0)), NOW).await;
        assert!(matches!(bad, Err(AppError::Validation(_))), "{backend}");
        persons::set_location(db, &staff, &a, None, NOW).await.unwrap();
        assert_eq!(persons::location(db, &a).await.unwrap(), None, "{backend}");
    })
    .await;
}

#[tokio::test]
async fn the_demo_files_households_assessments_and_child_risk_grades() {
    use db::entity::{assessment, household, risk_grade};
    for t in db::testing::all_backends().await {
        let db = &t.db;
        let hash = db::passwords::hash_password("Demo-Pass-2026").unwrap();
        db::demo::load(db, &hash, NOW, |_| {}).await.unwrap();
        db::demo_projects::load_people(db, &keys(), NOW).await.unwrap();
        let made = db::demo_registry::load(db, NOW).await.unwrap();
        assert!(made > 0, "{}", t.backend);
        assert_eq!(db::demo_registry::load(db, NOW).await.unwrap(), 0, "loading twice adds nothing");

        // every household has a head among its members
        let homes = household::Entity::find().all(db).await.unwrap();
        assert!(homes.len() >= 3, "{}", t.backend);
        for h in &homes {
            let head = h.head_person_id.clone().expect("a head");
            let members = db::entity::person::Entity::find()
                .filter(db::entity::person::Column::HouseholdId.eq(h.id.as_str()))
                .all(db)
                .await
                .unwrap();
            assert!(members.len() == 2 && members.iter().any(|m| m.id == head), "{}", t.backend);
        }
        // elders' capability assessments cross the bands of the standard
        let results: std::collections::BTreeSet<String> =
            assessment::Entity::find().all(db).await.unwrap().into_iter().map(|a| a.result).collect();
        for band in ["能力完好", "轻度失能", "中度失能", "重度失能"] {
            assert!(results.contains(band), "{}: {band} missing in {results:?}", t.backend);
        }
        // children get every colour of the risk table
        let grades: std::collections::BTreeSet<String> =
            risk_grade::Entity::find().all(db).await.unwrap().into_iter().map(|g| g.grade).collect();
        assert_eq!(grades.len(), 4, "{}: {grades:?}", t.backend);
        t.drop_database().await;
    }
}
