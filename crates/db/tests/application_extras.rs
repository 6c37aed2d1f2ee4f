#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Application extras on every backend: joint applicants and their confirmation, co-funding
//! lines, attachments in a temp-dir file store with type and size checks, version diffs, and the
//! demo applications of chongchuan-9.

use db::applications::{ApplicationInput, CoFunding, PlanMonth, TeamEntry};
use db::files::FileStore;
use db::{Actor, AppError};
use domain::eligibility::{BudgetCategory, BudgetLine};
use domain::money::Fen;
use domain::program::{CallItem, ProgramStatus};
use domain::role::Role;
use domain::rules::ProgramRules;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// 2026-11-18 (before the test program's deadline).
const NOW: i64 = 1_795_000_000_000;

async fn each_demo_db(test: impl AsyncFn(&db::DatabaseConnection, &str)) {
    for t in db::testing::all_backends().await {
        let hash = db::passwords::hash_password("Demo-Pass-2026").unwrap();
        db::demo::load(&t.db, &hash, NOW, |_| {}).await.unwrap();
        test(&t.db, t.backend).await;
        t.drop_database().await;
    }
}

async fn org_actor(db: &db::DatabaseConnection, name: &str, user: &str) -> Actor {
    let org = db::organizations::find_by_name(db, name).await.unwrap().unwrap();
    Actor {
        program_id: None,
        user_id: Some(user.into()),
        username: user.into(),
        role: Role::OrgAdmin,
        organization_id: Some(org.id),
        area_code: None,
    }
}

const HEMEI: &str = "示例·崇川区和美社会工作服务中心";
const LINLI: &str = "示例·崇川区邻里互助服务社";

/// An open Chongchuan program (deadline 2026-12-31) allowing joint applications or not.
async fn open_item(db: &db::DatabaseConnection, code: &str, joint: bool) -> String {
    let funder = db::organizations::find_by_name(db, "南通市崇川区民政局").await.unwrap().unwrap();
    let actor = Actor {
        user_id: None,
        username: "funder".into(),
        role: Role::FunderAdmin,
        organization_id: Some(funder.id),
        area_code: Some("320613".into()),
        program_id: None,
    };
    let input = db::programs::ProgramInput {
        code: code.into(),
        name: format!("测试计划 {code}"),
        year: 2026,
        area_code: "320613".into(),
        ..Default::default()
    };
    let pid = db::programs::create(db, &actor, &input, NOW).await.unwrap();
    let rules = ProgramRules { joint_applications: Some(joint), ..Default::default() };
    db::programs::set_rules(db, &actor, &pid, &rules, NOW).await.unwrap();
    let item = CallItem { code: "D01".into(), track: "directed".into(), name: "探访".into(), ..Default::default() };
    let item_id = db::programs::create_item(db, &actor, &pid, &item, NOW).await.unwrap();
    db::entity::phase::ActiveModel {
        id: Set(db::new_id()),
        program_id: Set(pid.clone()),
        name: Set("项目申报".into()),
        starts_on: Set(None),
        ends_on: Set(None),
        deadline_ms: Set(Some(1_798_700_000_000)),
        note: Set(String::new()),
        position: Set(0),
    }
    .insert(db)
    .await
    .unwrap();
    db::programs::set_status(db, &actor, &pid, ProgramStatus::Published, NOW).await.unwrap();
    item_id
}

fn input(title: &str) -> ApplicationInput {
    ApplicationInput {
        title: title.into(),
        plan: vec![PlanMonth { month: "2027-01".into(), activities: "建档".into() }],
        team: vec![TeamEntry { name: "张三".into(), role: "负责人".into(), lead: true, ..Default::default() }],
        budget: vec![BudgetLine {
            category: BudgetCategory::Activities,
            amount: Fen(1_200_000),
            uses: "探访活动".into(),
        }],
        ..Default::default()
    }
}

#[tokio::test]
async fn joint_applicants_must_confirm_before_submit() {
    each_demo_db(async |db, backend| {
        let hemei = org_actor(db, HEMEI, "u-hemei").await;
        let linli = org_actor(db, LINLI, "u-linli").await;
        let closed = open_item(db, "no-joint", false).await;
        let a = db::applications::create(db, &hemei, &closed, &input("单独"), NOW).await.unwrap();
        let err = db::applications::set_joint_applicants(db, &hemei, &a, &[LINLI.into()], NOW).await.unwrap_err();
        assert_eq!(err.field_errors()[0].message, "联合申报方：本计划不允许联合申报", "{backend}");

        let item = open_item(db, "joint-ok", true).await;
        let id = db::applications::create(db, &hemei, &item, &input("联合探访"), NOW).await.unwrap();
        let err =
            db::applications::set_joint_applicants(db, &hemei, &id, &["不存在的组织".into()], NOW).await.unwrap_err();
        assert!(err.field_errors()[0].message.contains("找不到"), "{backend}");
        // by USCC as well as by name
        let uscc = db::organizations::find_by_name(db, LINLI).await.unwrap().unwrap().uscc.unwrap();
        db::applications::set_joint_applicants(db, &hemei, &id, &[uscc], NOW).await.unwrap();
        let listed = db::applications::joint_applicants(db, &hemei, &id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!((listed[0].organization_name.as_str(), listed[0].status.as_str()), (LINLI, "pending"));

        // the joint applicant sees the request and can read the application
        let requests = db::applications::joint_requests(db, &linli).await.unwrap();
        assert_eq!(requests[0].application_title, "联合探访", "{backend}");
        assert_eq!(requests[0].lead_organization, HEMEI);
        db::applications::get(db, &linli, &id).await.unwrap();

        let err = db::applications::submit(db, &hemei, &id, NOW).await.unwrap_err();
        assert_eq!(err.to_string(), format!("联合申报方尚未确认：{LINLI}；全部确认后才能提交"), "{backend}");
        assert!(db::applications::joint_applicant_ids(db, &id).await.unwrap().is_empty());

        db::applications::answer_joint(db, &linli, &id, true, NOW).await.unwrap();
        assert_eq!(
            db::applications::joint_applicant_ids(db, &id).await.unwrap(),
            vec![linli.organization_id.clone().unwrap()]
        );
        // only the applicant edits: the joint applicant cannot submit
        assert!(matches!(db::applications::submit(db, &linli, &id, NOW).await, Err(AppError::Forbidden)));
        assert_eq!(db::applications::submit(db, &hemei, &id, NOW).await.unwrap(), 1, "{backend}");
        // the engine sees the joint applicant
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 18).unwrap();
        let r = db::applications::eligibility(db, &hemei, &id, today).await.unwrap();
        assert!(r.iter().any(|r| r.rule == "joint_applications" && r.explanation.contains(LINLI)), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn cofunding_lines_are_kept_and_checked() {
    each_demo_db(async |db, backend| {
        let hemei = org_actor(db, HEMEI, "u-hemei").await;
        let item = open_item(db, "cofund", false).await;
        let mut inp = input("配套");
        inp.cofunding = vec![
            CoFunding { source: "街道配套".into(), amount: Fen(2_000_000), note: "和平桥街道".into() },
            CoFunding { source: "机构自筹".into(), amount: Fen(500_000), note: String::new() },
        ];
        let id = db::applications::create(db, &hemei, &item, &inp, NOW).await.unwrap();
        let a = db::applications::get(db, &hemei, &id).await.unwrap();
        assert_eq!(a.input.cofunding, inp.cofunding, "{backend}");
        assert_eq!(a.input.cofunding_total(), Fen(2_500_000));
        assert_eq!(a.requested, Fen(1_200_000), "co-funding is not part of the request");
        inp.cofunding[1].source = " ".into();
        let err = db::applications::update(db, &hemei, &id, &inp, NOW).await.unwrap_err();
        assert_eq!(err.field_errors()[0].message, "配套资金第2行 来源：不能为空");
    })
    .await;
}

fn temp_store() -> (std::path::PathBuf, FileStore) {
    let dir = std::env::temp_dir().join(format!("gongyi-test-{}", db::new_id()));
    let store = FileStore::open(&dir, None).unwrap();
    (dir, store)
}

#[tokio::test]
async fn attachments_are_checked_scoped_and_deleted_while_draft() {
    each_demo_db(async |db, backend| {
        let (dir, store) = temp_store();
        let hemei = org_actor(db, HEMEI, "u-hemei").await;
        let linli = org_actor(db, LINLI, "u-linli").await;
        let item = open_item(db, "attach", false).await;
        let id = db::applications::create(db, &hemei, &item, &input("附件"), NOW).await.unwrap();
        let pdf = b"%PDF-1.7\nhello".to_vec();
        let up = |kind: &'static str, name: &'static str, bytes: Vec<u8>| {
            let (store, hemei, id) = (&store, &hemei, &id);
            async move { db::applications::upload_attachment(db, store, hemei, id, kind, name, bytes, NOW).await }
        };
        let att = up("registration", "登记证书.pdf", pdf.clone()).await.unwrap();
        // the extension alone is not enough: the bytes must match
        let err = up("other", "假的.pdf", b"MZ\x90\x00".to_vec()).await.unwrap_err();
        assert_eq!(err.field_errors()[0].message, "附件：“假的.pdf”的内容与扩展名 .pdf 不符，请上传原始文件");
        let err = up("other", "脚本.exe", b"MZ".to_vec()).await.unwrap_err();
        assert!(err.field_errors()[0].message.contains("类型不允许"), "{backend}");
        let mut big = b"%PDF-".to_vec();
        big.resize(10 * 1024 * 1024 + 1, 0);
        let err = up("other", "大.pdf", big).await.unwrap_err();
        assert!(err.field_errors()[0].message.contains("超过 10 MB"));
        let png = [&[0x89u8, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..], b"data"].concat();
        up("certificate", "C:\\证书\\资质.PNG", png).await.unwrap();

        let list = db::applications::attachments(db, &hemei, &id).await.unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!((list[1].file_name.as_str(), list[1].content_type.as_str()), ("资质.PNG", "image/png"));
        let (v, bytes) = db::applications::attachment(db, &store, &hemei, &id, &att).await.unwrap();
        assert_eq!((v.kind.as_str(), bytes), ("registration", pdf));
        // another organization: not found
        let err = db::applications::attachment(db, &store, &linli, &id, &att).await.unwrap_err();
        assert!(matches!(err, AppError::NotFound(_)), "{backend}");

        db::applications::delete_attachment(db, &store, &hemei, &id, &att, NOW).await.unwrap();
        assert_eq!(db::applications::attachments(db, &hemei, &id).await.unwrap().len(), 1);
        db::applications::submit(db, &hemei, &id, NOW).await.unwrap();
        let left = db::applications::attachments(db, &hemei, &id).await.unwrap()[0].id.clone();
        let err = db::applications::delete_attachment(db, &store, &hemei, &id, &left, NOW).await.unwrap_err();
        assert!(matches!(err, AppError::Conflict(_)), "{backend}");
        let _ = std::fs::remove_dir_all(&dir);
    })
    .await;
}

#[tokio::test]
async fn version_diff_names_what_changed() {
    let mut old = input("探访");
    old.plan.push(PlanMonth { month: "2027-02".into(), activities: "小组".into() });
    let mut new = old.clone();
    new.summary = "新的概述".into();
    new.plan.retain(|p| p.month != "2027-02");
    new.plan.push(PlanMonth { month: "2027-03".into(), activities: "回访".into() });
    new.team.push(TeamEntry { name: "李四".into(), role: "社工".into(), certified: true, ..Default::default() });
    new.budget[0].amount = Fen(1_500_000);
    new.budget.push(BudgetLine { category: BudgetCategory::Personnel, amount: Fen(300_000), uses: "补贴".into() });
    let texts: Vec<String> =
        db::applications::diff(&old, &new).into_iter().map(|c| format!("{}｜{}", c.section, c.text)).collect();
    assert_eq!(
        texts,
        vec![
            "基本信息｜项目概述已修改：“” → “新的概述”",
            "实施计划｜新增 2027-03 月：回访",
            "实施计划｜删除 2027-02 月：小组",
            "执行团队｜新增成员 李四（社工，持证：是）",
            "项目预算｜活动费用“探访活动” 12000.00 元 → 15000.00 元",
            "项目预算｜新增 人员费用“补贴” 3000.00 元",
            "项目预算｜申请金额 12000.00 元 → 18000.00 元",
        ]
    );
    assert!(db::applications::diff(&old, &old).is_empty());
}

#[tokio::test]
async fn demo_has_chongchuan_applications_for_screening_and_review() {
    each_demo_db(async |db, backend| {
        let pid = db::programs::get(db, None, "chongchuan-9").await.unwrap().id;
        let rows = db::entity::application::Entity::find()
            .filter(db::entity::application::Column::ProgramId.eq(pid.as_str()))
            .all(db)
            .await
            .unwrap();
        let count = |s: &str| rows.iter().filter(|r| r.status == s).count();
        assert_eq!((rows.len(), count("screened_pass"), count("submitted"), count("draft")), (8, 6, 1, 1), "{backend}");
        let hemei = org_actor(db, HEMEI, "u-hemei").await;
        let mine = rows.iter().find(|r| r.organization_id == hemei.organization_id.clone().unwrap()).unwrap();
        let s = db::applications::screenings(db, &hemei, &mine.id).await.unwrap();
        assert_eq!(s[0].outcome, "pass");
        assert!(!s[0].results.is_empty(), "the rule results of the screening day are stored");
        assert_eq!(db::applications::versions(db, &hemei, &mine.id).await.unwrap().len(), 1);
    })
    .await;
}
