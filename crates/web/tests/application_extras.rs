#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Application extras through the pages: joint applicants confirming, co-funding lines,
//! attachments (multipart upload with CSRF, type checks, scoped download, delete), the version
//! diff, the A4 print view and the Excel export.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Browser, HEMEI, LINLI, TestApp, with_demo};
use db::Actor;
use domain::program::{CallItem, OutputTarget, ProgramStatus};
use domain::role::Role;
use domain::rules::ProgramRules;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn funder(app: &TestApp) -> Actor {
    let org = db::organizations::find_by_name(&app.state.db, "南通市崇川区民政局").await.unwrap().unwrap();
    Actor {
        user_id: None,
        username: "funder".into(),
        role: Role::FunderAdmin,
        organization_id: Some(org.id),
        area_code: Some("320613".into()),
        program_id: None,
    }
}

/// A published Chongchuan program open until 2026-12-10 17:00 with one item (≥ 12 visits).
async fn open_call(app: &TestApp, code: &str, joint: bool) -> String {
    let db = &app.state.db;
    let actor = funder(app).await;
    let now = app.state.now_ms();
    let input = db::programs::ProgramInput {
        code: code.into(),
        name: format!("测试计划 {code}"),
        year: 2026,
        area_code: "320613".into(),
        ..Default::default()
    };
    let pid = db::programs::create(db, &actor, &input, now).await.unwrap();
    let rules = ProgramRules { joint_applications: Some(joint), ..Default::default() };
    db::programs::set_rules(db, &actor, &pid, &rules, now).await.unwrap();
    let output: OutputTarget = serde_json::from_value(serde_json::json!({
        "metric": "visits", "description": "上门探访独居老人", "quantity": 12, "unit": "次"
    }))
    .unwrap();
    let item = CallItem {
        code: "D01".into(),
        track: "directed".into(),
        name: "独居老人探访关爱".into(),
        outputs: vec![output],
        ..Default::default()
    };
    let item_id = db::programs::create_item(db, &actor, &pid, &item, now).await.unwrap();
    let local = chrono::NaiveDateTime::parse_from_str("2026-12-10 17:00", "%Y-%m-%d %H:%M").unwrap();
    db::entity::phase::ActiveModel {
        id: Set(db::new_id()),
        program_id: Set(pid.clone()),
        name: Set("项目申报".into()),
        starts_on: Set(None),
        ends_on: Set(None),
        deadline_ms: Set(Some(domain::clock::shanghai_to_utc(local).timestamp_millis())),
        note: Set(String::new()),
        position: Set(0),
    }
    .insert(db)
    .await
    .unwrap();
    db::programs::set_status(db, &actor, &pid, ProgramStatus::Published, now).await.unwrap();
    item_id
}

fn fields<'a>(title: &'a str, activities: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("summary", "为社区独居老人提供定期探访"),
        ("p_month", "2027-01"),
        ("p_activities", "建档与首次探访"),
        ("o_index", "0"),
        ("o_quantity", "12"),
        ("t_name", "张三"),
        ("t_role", "项目负责人"),
        ("t_certified", "yes"),
        ("t_full_time", "yes"),
        ("lead", "0"),
        ("b_category", "personnel"),
        ("b_amount", "20000"),
        ("b_uses", "社工补贴"),
        ("b_category", "activities"),
        ("b_amount", activities),
        ("b_uses", "探访活动"),
        ("c_source", "街道配套"),
        ("c_amount", "20000"),
        ("c_note", "和平桥街道"),
        ("c_source", "机构自筹"),
        ("c_amount", "5000"),
        ("c_note", ""),
    ]
}

async fn draft(app: &TestApp, b: &Browser, item: &str, form: &[(&str, &str)]) -> String {
    let res = app.post_form(&format!("/applications/new?item={item}"), Some(b), form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.location().trim_start_matches("/applications/").split('?').next().unwrap().to_string()
}

/// An org admin of another demo organization, logged in.
async fn second_org_admin(app: &TestApp, username: &str, org_name: &str) -> Browser {
    let org = db::organizations::find_by_name(&app.state.db, org_name).await.unwrap().unwrap();
    let input = db::users::UserInput {
        username: username.into(),
        display_name: "邻里管理员".into(),
        role: "org_admin".into(),
        organization_id: Some(org.id),
        active: Some(true),
        ..Default::default()
    };
    let hash = db::passwords::hash_password(common::PASSWORD).unwrap();
    db::users::insert_with_hash(&app.state.db, &Actor::system(), &input, Role::OrgAdmin, hash, 0).await.unwrap();
    app.login(username).await
}

async fn upload(app: &TestApp, b: &Browser, id: &str, csrf: &str, kind: &str, name: &str, bytes: &[u8]) -> common::Res {
    let file = common::FilePart { field: "file", filename: name, content_type: "application/octet-stream", bytes };
    app.post_multipart(&format!("/applications/{id}/attachments?_csrf={csrf}"), b, &[("kind", kind)], &file).await
}

#[tokio::test]
async fn joint_applicant_confirms_before_the_application_can_be_submitted() {
    with_demo(|app| async move {
        let item = open_call(&app, "cc-joint", true).await;
        let org = app.login("orgadmin").await;
        let linli = second_org_admin(&app, "linli", LINLI).await;
        let id = draft(&app, &org, &item, &fields("联合探访", "80000")).await;
        let res = app.post_form(&format!("/applications/{id}/joint"), Some(&org), &[("joint", "没有这个组织")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("找不到名称或统一社会信用代码为“没有这个组织”的社会组织"));
        let res = app.post_form(&format!("/applications/{id}/joint"), Some(&org), &[("joint", LINLI)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = app.get(&format!("/applications/{id}"), Some(&org)).await;
        assert!(page.body.contains(LINLI) && page.body.contains("待确认"));

        let res = app.post_form(&format!("/applications/{id}/submit"), Some(&org), &[]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains(&format!("联合申报方尚未确认：{LINLI}")), "{}", res.body);

        // the joint applicant was notified and sees the request on its list
        let linli_user = db::entity::user::Entity::find()
            .filter(db::entity::user::Column::Username.eq("linli"))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let notes = db::entity::notification::Entity::find()
            .filter(db::entity::notification::Column::UserId.eq(linli_user.id.as_str()))
            .count(&app.state.db)
            .await
            .unwrap();
        assert_eq!(notes, 1);
        let list = app.get("/applications", Some(&linli)).await;
        assert!(list.body.contains("联合申报邀请") && list.body.contains("联合探访") && list.body.contains(HEMEI));
        let res = app.post_form(&format!("/applications/{id}/joint/confirm"), Some(&linli), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = app.get(&format!("/applications/{id}"), Some(&org)).await;
        assert!(page.body.contains("已确认"));
        let res = app.post_form(&format!("/applications/{id}/submit"), Some(&org), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        app
    })
    .await;
}

#[tokio::test]
async fn joint_applicants_are_refused_where_the_program_does_not_allow_them() {
    with_demo(|app| async move {
        let item = open_call(&app, "cc-single", false).await;
        let org = app.login("orgadmin").await;
        let id = draft(&app, &org, &item, &fields("单独", "80000")).await;
        let res = app.post_form(&format!("/applications/{id}/joint"), Some(&org), &[("joint", LINLI)]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("联合申报方：本计划不允许联合申报"));
        app
    })
    .await;
}

#[tokio::test]
async fn cofunding_lines_show_with_their_total() {
    with_demo(|app| async move {
        let item = open_call(&app, "cc-cofund", false).await;
        let org = app.login("orgadmin").await;
        let mut bad = fields("配套", "80000");
        bad.push(("c_source", "区总工会"));
        bad.push(("c_amount", "一万"));
        bad.push(("c_note", ""));
        let res = app.post_form(&format!("/applications/new?item={item}"), Some(&org), &bad).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("配套资金第3行 金额"));
        let id = draft(&app, &org, &item, &fields("配套", "80000")).await;
        let page = app.get(&format!("/applications/{id}"), Some(&org)).await;
        assert!(page.body.contains("街道配套") && page.body.contains("和平桥街道"));
        assert!(page.body.contains("25000.00"), "co-funding total");
        assert!(page.body.contains("100000.00"), "the requested amount stays the budget total");
        let edit = app.get(&format!("/applications/{id}/edit"), Some(&org)).await;
        assert!(edit.body.contains("value=\"机构自筹\""));
        app
    })
    .await;
}

#[tokio::test]
async fn attachments_upload_download_scope_and_delete() {
    with_demo(|app| async move {
        let (app, dir) = app.with_temp_store();
        let item = open_call(&app, "cc-files", false).await;
        let org = app.login("orgadmin").await;
        let other = second_org_admin(&app, "linli", LINLI).await;
        let id = draft(&app, &org, &item, &fields("附件", "80000")).await;
        let pdf = b"%PDF-1.4\n%demo".to_vec();

        let res = upload(&app, &org, &id, "wrong-token", "registration", "登记证书.pdf", &pdf).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "CSRF is checked for multipart");
        let res = upload(&app, &org, &id, &org.csrf, "other", "病毒.exe", b"MZ\x90").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("类型不允许"));
        let res = upload(&app, &org, &id, &org.csrf, "other", "伪装.png", b"%PDF-1.4").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("内容与扩展名 .png 不符"));
        let res = upload(&app, &org, &id, &org.csrf, "registration", "登记证书.pdf", &pdf).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(dir.join("files/applications").join(&id).exists(), "stored under <data_dir>/files");

        let page = app.get(&format!("/applications/{id}"), Some(&org)).await;
        assert!(page.body.contains("登记证书.pdf") && page.body.contains("登记证书"));
        let att = page.body.split(&format!("/applications/{id}/attachments/")).nth(1).unwrap();
        let att: String = att.chars().take_while(|c| *c != '"' && *c != '/').collect();
        let res = app.get(&format!("/applications/{id}/attachments/{att}"), Some(&org)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.headers.get(header::CONTENT_TYPE).unwrap(), "application/pdf");
        assert_eq!(res.body.as_bytes(), pdf.as_slice());
        let res = app.get(&format!("/applications/{id}/attachments/{att}"), Some(&other)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "another organization cannot download");

        let res = app.post_form(&format!("/applications/{id}/attachments/{att}/delete"), Some(&org), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let res = app.get(&format!("/applications/{id}/attachments/{att}"), Some(&org)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let _ = std::fs::remove_dir_all(&dir);
        app
    })
    .await;
}

#[tokio::test]
async fn resubmitted_version_is_compared_with_the_previous_one() {
    with_demo(|app| async move {
        let item = open_call(&app, "cc-diff", false).await;
        let org = app.login("orgadmin").await;
        let id = draft(&app, &org, &item, &fields("对比", "80000")).await;
        app.post_form(&format!("/applications/{id}/submit"), Some(&org), &[]).await;
        let op = app.login("operator").await;
        let res = app
            .post_form(
                &format!("/admin/screening/{id}"),
                Some(&op),
                &[("outcome", "return"), ("reasons", "请调整预算")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // the applicant's people hear of the screening
        let orgadmin = db::entity::user::Entity::find()
            .filter(db::entity::user::Column::Username.eq("orgadmin"))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let heard = db::entity::notification::Entity::find()
            .filter(db::entity::notification::Column::UserId.eq(orgadmin.id.as_str()))
            .all(&app.state.db)
            .await
            .unwrap();
        assert!(
            heard.iter().any(|n| n.body == "申报书“对比”的初筛结果已记录" && n.link == format!("/applications/{id}"))
        );
        let mut form = fields("对比", "60000");
        form.push(("t_name", "李四"));
        form.push(("t_role", "社工"));
        let res = app.post_form(&format!("/applications/{id}/edit"), Some(&org), &form).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        app.post_form(&format!("/applications/{id}/submit"), Some(&org), &[]).await;
        let page = app.get(&format!("/applications/{id}"), Some(&org)).await;
        assert!(page.body.contains(&format!("/applications/{id}/versions/2/diff")));
        let diff = app.get(&format!("/applications/{id}/versions/2/diff"), Some(&op)).await;
        assert_eq!(diff.status, StatusCode::OK);
        assert!(diff.body.contains("活动费用“探访活动” 80000.00 元 → 60000.00 元"), "{}", diff.body);
        assert!(diff.body.contains("新增成员 李四"));
        assert!(diff.body.contains("申请金额 100000.00 元 → 80000.00 元"));
        let res = app.get(&format!("/applications/{id}/versions/1/diff"), Some(&op)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "version 1 has nothing before it");
        app
    })
    .await;
}

#[tokio::test]
async fn print_view_has_every_section_totals_and_signature_lines() {
    with_demo(|app| async move {
        let item = open_call(&app, "cc-print", false).await;
        let org = app.login("orgadmin").await;
        let id = draft(&app, &org, &item, &fields("打印", "80000")).await;
        let page = app.get(&format!("/applications/{id}/print"), Some(&org)).await;
        assert_eq!(page.status, StatusCode::OK);
        for text in [
            "项目申报书",
            "@page { size: A4",
            HEMEI,
            "人员费用 小计",
            "20000.00",
            "合计（万元）",
            ">10<",
            "上门探访独居老人",
            "≥ 12次",
            "街道配套",
            "申报单位（盖章）",
            "法定代表人（签字）",
        ] {
            assert!(page.body.contains(text), "{text} missing");
        }
        let other = second_org_admin(&app, "linli", LINLI).await;
        assert_eq!(app.get(&format!("/applications/{id}/print"), Some(&other)).await.status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test]
async fn operators_export_the_application_list_to_excel() {
    with_demo(|app| async move {
        let op = app.login("operator").await;
        let req = Request::get("/admin/applications.xlsx?program=chongchuan-9")
            .header(header::COOKIE, &op.cookie)
            .body(Body::empty())
            .unwrap();
        let res = app.router.clone().oneshot_bytes(req).await;
        assert_eq!(res.0, StatusCode::OK);
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(res.1)).unwrap();
        use calamine::Reader;
        let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        assert_eq!(rows[0][0], "申报单位");
        assert_eq!(rows.len(), 1 + 7, "drafts are not listed for the operator");
        assert!(rows.iter().any(|r| r[0] == HEMEI && r[6] == "通过"));
        assert!(rows.iter().any(|r| r[4] == "已提交" && r[6].is_empty()));
        let org = app.login("orgadmin").await;
        assert_eq!(app.get("/admin/applications.xlsx", Some(&org)).await.status, StatusCode::FORBIDDEN);
        app
    })
    .await;
}

trait OneshotBytes {
    async fn oneshot_bytes(self, req: Request<Body>) -> (StatusCode, Vec<u8>);
}

impl OneshotBytes for axum::Router {
    async fn oneshot_bytes(self, req: Request<Body>) -> (StatusCode, Vec<u8>) {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let res = self.oneshot(req).await.unwrap();
        let status = res.status();
        (status, res.into_body().collect().await.unwrap().to_bytes().to_vec())
    }
}

#[tokio::test]
async fn api_applications_and_screening() {
    with_demo(|app| async move {
        let item = open_call(&app, "cc-api", false).await;
        let org = app.token("orgadmin").await;
        let body = serde_json::json!({
            "call_item_id": item,
            "title": "接口申报",
            "outputs": [{"index": 0, "quantity": 12}],
            "budget": [{"category": "activities", "amount": "30000", "uses": "探访"}],
            "cofunding": [{"source": "街道配套", "amount": "5000"}]
        });
        let res = app.api("POST", "/api/v1/applications", Some(&org), Some(body.clone())).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let id = res.json()["id"].as_str().unwrap().to_string();
        assert_eq!(res.json()["requested"], "30000.00");
        assert_eq!(res.json()["cofunding"][0]["source"], "街道配套");
        let mut bad = body.clone();
        bad["budget"][0]["category"] = "raise".into();
        let res = app.api("PUT", &format!("/api/v1/applications/{id}"), Some(&org), Some(bad)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert_eq!(res.json()["error"]["fields"][0]["field"], "budget.0.category");
        let res = app.api("POST", &format!("/api/v1/applications/{id}/submit"), Some(&org), None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()["status"], "submitted");

        let op = app.token("operator").await;
        let res = app.api("GET", "/api/v1/applications?status=submitted", Some(&op), None).await;
        assert!(res.json()["items"].as_array().unwrap().iter().any(|a| a["id"] == id.as_str()), "{}", res.body);
        let res = app
            .api(
                "POST",
                &format!("/api/v1/applications/{id}/screenings"),
                Some(&op),
                Some(serde_json::json!({"outcome": "pass"})),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let res = app.api("GET", &format!("/api/v1/applications/{id}/screenings"), Some(&org), None).await;
        assert_eq!(res.json()[0]["outcome"], "pass");
        // the org cannot screen; another organization cannot read
        let res = app
            .api(
                "POST",
                &format!("/api/v1/applications/{id}/screenings"),
                Some(&org),
                Some(serde_json::json!({"outcome": "pass"})),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        second_org_admin(&app, "linli", LINLI).await;
        let other = app.token("linli").await;
        assert_eq!(
            app.api("GET", &format!("/api/v1/applications/{id}"), Some(&other), None).await.status,
            StatusCode::NOT_FOUND
        );
        let doc = app.api("GET", "/api/openapi.json", None, None).await;
        assert!(doc.json()["paths"]["/api/v1/applications/{id}/screenings"]["post"].is_object());
        app
    })
    .await;
}
