//! The registry pages and API around a person's file: assessments and the child risk grade on
//! the person page, the home point, households, the all-or-nothing Excel import, the masked and
//! the audited full export, the persons API, and another organization's person being 404
//! everywhere.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{StatusCode, header};
use common::{Browser, Res, TestApp, with_demo};

/// A valid resident ID from its first 17 characters (GB 11643-1999 check digit).
fn rid(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = first17.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    format!("{first17}{}", C[(sum % 11) as usize])
}

async fn register(app: &TestApp, b: &Browser, name: &str, id: &str) -> String {
    let res = app
        .post_form(
            "/persons/new",
            Some(b),
            &[("name", name), ("resident_id", id), ("area_code", "320613002"), ("categories", "child_in_difficulty")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.location().split('?').next().unwrap().trim_start_matches("/persons/").to_string()
}

async fn other_org_staff(app: &TestApp) -> (Browser, String) {
    app.outsider("linli_staff").await
}

#[tokio::test]
async fn assessment_risk_grade_and_location_show_on_the_person_page() {
    with_demo(|app| async move {
        let staff = app.login("orgstaff").await;
        let id = register(&app, &staff, "示例·评估儿童", &rid("32061320150101971")).await;
        let form = app.get(&format!("/persons/{id}/assessments/new?template=capability"), Some(&staff)).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("自理能力") && form.body.contains("感知觉与社会参与"));
        let t = db::assessments::templates::get("capability").unwrap();
        let mut fields: Vec<(String, String)> = t.items().map(|i| (i.code.clone(), "0".to_string())).collect();
        fields.push(("template_code".into(), "capability".into()));
        fields.push(("assessed_on".into(), "2026-11-10".into()));
        // one item left out: the form comes back naming it, nothing saved
        let partial: Vec<(&str, &str)> =
            fields.iter().filter(|(k, _)| k != "bathing").map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let res = app.post_form(&format!("/persons/{id}/assessments/new"), Some(&staff), &partial).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("洗澡：请选择一项"));
        let all: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let res = app.post_form(&format!("/persons/{id}/assessments/new"), Some(&staff), &all).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let shown = app.get(res.location(), Some(&staff)).await;
        assert!(shown.body.contains("能力完好") && shown.body.contains("2027-11-10"), "level and reassessment date");

        // the same with repeated risk events: one level worse, and the page says why
        let mut risky = all.clone();
        risky.retain(|(k, _)| *k != "risk_events");
        risky.push(("risk_events", "1"));
        let res = app.post_form(&format!("/persons/{id}/assessments/new"), Some(&staff), &risky).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let shown = app.get(res.location(), Some(&staff)).await;
        assert!(shown.body.contains("轻度失能") && shown.body.contains("近30天照护风险事件2次及以上，加重一级"));

        let res = app
            .post_form(
                &format!("/persons/{id}/risk"),
                Some(&staff),
                &[
                    ("guardianship", "medium"),
                    ("behaviour", "medium"),
                    ("physiological", "none"),
                    ("set_on", "2026-11-11"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let res = app
            .post_form(&format!("/persons/{id}/location"), Some(&staff), &[("lat", "32.012345"), ("lng", "120.864567")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

        let page = app.get(&format!("/persons/{id}"), Some(&staff)).await;
        for text in [
            "老年人能力评估（GB/T 42195-2022）",
            "90/90",
            "能力完好",
            "红色",
            "多重困境叠加",
            "2026-11-11",
            "orgstaff",
            "32.012345",
            "120.864567",
        ] {
            assert!(page.body.contains(text), "person page shows {text}");
        }
        assert_eq!(
            db::persons::location(&app.state.db, &id).await.unwrap().map(|p| (p.lat * 1e6).round()),
            Some(32012345.0)
        );
        app
    })
    .await;
}

#[tokio::test]
async fn another_organizations_person_and_household_are_404_by_page_and_api() {
    with_demo(|app| async move {
        let staff = app.login("orgstaff").await;
        let id = register(&app, &staff, "示例·本机构", &rid("32061320140202972")).await;
        let res = app
            .post_form("/households/new", Some(&staff), &[("address", "崇川区示例路3号"), ("area_code", "320613002")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let household = res.location().split('?').next().unwrap().to_string();
        let (other, token) = other_org_staff(&app).await;
        for path in [
            format!("/persons/{id}"),
            format!("/persons/{id}/risk"),
            format!("/persons/{id}/assessments/new?template=capability"),
            household.clone(),
        ] {
            assert_eq!(app.get(&path, Some(&other)).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        let res = app.post_form(&format!("/persons/{id}/location"), Some(&other), &[("lat", "1"), ("lng", "1")]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let hid = household.trim_start_matches("/households/");
        for path in [format!("/api/v1/persons/{id}"), format!("/api/v1/households/{hid}")] {
            assert_eq!(app.api("GET", &path, Some(&token), None).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        let res = app.api("POST", &format!("/api/v1/persons/{id}/reveal"), Some(&token), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let list = app.api("GET", "/api/v1/persons?limit=200", Some(&token), None).await;
        assert!(!list.body.contains("示例·本机构"));
        // the owner sees it
        let mine = app.get(&household, Some(&staff)).await;
        assert_eq!(mine.status, StatusCode::OK);
        app
    })
    .await;
}

fn workbook(rows: &[[&str; 11]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("服务对象").unwrap();
    let header = [
        "姓名",
        "公民身份号码",
        "出生日期",
        "联系电话",
        "居住地址",
        "区划代码",
        "人员类别",
        "护理等级",
        "知情同意日期",
        "户编号",
        "是否户主",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

async fn upload(app: &TestApp, b: &Browser, file: &[u8]) -> Res {
    let part =
        common::FilePart { field: "file", filename: "p.xlsx", content_type: "application/octet-stream", bytes: file };
    app.post_multipart("/persons/import", b, &[("_csrf", &b.csrf)], &part).await
}

#[tokio::test]
async fn an_excel_import_is_all_or_nothing_and_the_export_of_full_ids_is_audited() {
    with_demo(|app| async move {
        let staff = app.login("orgstaff").await;
        let template = app.get("/persons/import/template.xlsx", Some(&staff)).await;
        assert_eq!(template.status, StatusCode::OK);
        assert!(template.headers[header::CONTENT_TYPE].to_str().unwrap().contains("spreadsheetml"));

        let (a, b) = (rid("32061319300101973"), rid("32061319300101984"));
        let mut broken = b.clone();
        broken.replace_range(17.., if b.ends_with('1') { "2" } else { "1" });
        let head = [
            "示例·导入甲",
            a.as_str(),
            "1930-01-01",
            "13812345678",
            "崇川区示例路5号",
            "320613002 示例街道",
            "特困、独居",
            "中度失能",
            "",
            "H1",
            "是",
        ];
        let bad = ["示例·导入乙", broken.as_str(), "", "", "崇川区示例路5号", "320613002", "孤儿", "", "", "H1", "否"];
        let res = upload(&app, &staff, &workbook(&[head, bad])).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("第3行 公民身份号码") && res.body.contains("未导入任何数据"), "{}", res.body);
        let listed = app.get("/persons?q=%E7%A4%BA%E4%BE%8B%C2%B7%E5%AF%BC%E5%85%A5", Some(&staff)).await;
        assert!(!listed.body.contains("<strong>示例·导入甲</strong>"), "nothing imported");

        let good = ["示例·导入乙", b.as_str(), "", "", "崇川区示例路5号", "320613002", "孤儿", "", "", "H1", "否"];
        let res = upload(&app, &staff, &workbook(&[head, good])).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let done = app.get(res.location(), Some(&staff)).await;
        assert!(done.body.contains("导入完成：服务对象 2 人，家庭档案 1 户"), "{}", done.body);
        let list = app.get("/persons?q=%E7%A4%BA%E4%BE%8B%C2%B7%E5%AF%BC%E5%85%A5", Some(&staff)).await;
        for text in ["<strong>示例·导入甲</strong>", "<strong>示例·导入乙</strong>", "中度失能"] {
            assert!(list.body.contains(text), "{text}");
        }

        // the same file again: each row is a registered duplicate, with a link to the file
        let res = upload(&app, &staff, &workbook(&[head, good])).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("第2行") && res.body.contains("已登记") && res.body.contains("打开已有档案"),
            "{}",
            res.body
        );

        // exports: masked ones are not audited; full ones are
        let masked = app.get("/persons/export.xlsx", Some(&staff)).await;
        assert_eq!(masked.status, StatusCode::OK);
        assert_eq!(app.audit_count("person.export_full").await, 0);
        let full = app.get("/persons/export.xlsx?full=1", Some(&staff)).await;
        assert_eq!(full.status, StatusCode::OK);
        assert_eq!(app.audit_count("person.export_full").await, 1);
        // a field worker asking for full IDs gets a masked export and no reveal is recorded
        let worker = app.login("worker").await;
        assert_eq!(app.get("/persons/export.xlsx?full=1", Some(&worker)).await.status, StatusCode::OK);
        assert_eq!(app.audit_count("person.export_full").await, 1);
        assert_eq!(app.get("/persons/import", Some(&worker)).await.status, StatusCode::FORBIDDEN);
        app
    })
    .await;
}

#[tokio::test]
async fn the_persons_api_is_masked_and_reveals_with_an_audit_entry_and_keeps_households() {
    with_demo(|app| async move {
        let token = app.token("orgstaff").await;
        let id = rid("32061319500505971");
        let body = serde_json::json!({"name": "示例·接口", "resident_id": id, "phone": "13912345678", "area_code": "320613002", "categories": ["dibao"]});
        let res = app.api("POST", "/api/v1/persons", Some(&token), Some(body.clone())).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let pid = res.json()["id"].as_str().unwrap().to_string();
        assert!(!res.body.contains(&id) && res.json()["phone_masked"] == "139****5678", "{}", res.body);
        let again = app.api("POST", "/api/v1/persons", Some(&token), Some(body)).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(again.json()["error"]["fields"][0]["field"], "resident_id");

        let list = app.api("GET", "/api/v1/persons?q=%E7%A4%BA%E4%BE%8B%C2%B7%E6%8E%A5%E5%8F%A3", Some(&token), None).await;
        assert_eq!(list.json()["items"][0]["id"], pid.as_str());
        assert!(!list.body.contains(&id));
        let before = app.audit_count("person.reveal").await;
        let shown = app.api("POST", &format!("/api/v1/persons/{pid}/reveal"), Some(&token), None).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        assert_eq!(shown.json()["resident_id"], id.as_str());
        assert_eq!(app.audit_count("person.reveal").await, before + 1);

        let h = app
            .api("POST", "/api/v1/households", Some(&token), Some(serde_json::json!({"address": "崇川区示例路7号", "area_code": "320613002"})))
            .await;
        assert_eq!(h.status, StatusCode::CREATED, "{}", h.body);
        let hid = h.json()["id"].as_str().unwrap().to_string();
        let m = serde_json::json!({"person_id": pid});
        let res = app.api("POST", &format!("/api/v1/households/{hid}/members"), Some(&token), Some(m.clone())).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let res = app.api("POST", &format!("/api/v1/households/{hid}/head"), Some(&token), Some(m)).await;
        assert_eq!(res.json()["head_person_id"], pid.as_str());
        assert_eq!(res.json()["members"][0]["name"], "示例·接口");

        let doc = app.api("GET", "/api/openapi.json", None, None).await;
        for p in ["/api/v1/persons", "/api/v1/persons/{id}/reveal", "/api/v1/households/{id}/head"] {
            assert!(doc.json()["paths"][p].is_object(), "{p} documented");
        }
        app
    })
    .await;
}

async fn upload_photo(app: &TestApp, b: &Browser, id: &str, file: &[u8]) -> Res {
    let part = common::FilePart { field: "photo", filename: "p.png", content_type: "image/png", bytes: file };
    app.post_multipart(&format!("/persons/{id}/photo"), b, &[("_csrf", &b.csrf)], &part).await
}

#[tokio::test]
async fn a_photo_is_stored_shown_in_scope_only_and_must_be_an_image() {
    with_demo(|app| async move {
        let (app, dir) = app.with_temp_store();
        let staff = app.login("orgstaff").await;
        let id = register(&app, &staff, "示例·照片", &rid("32061319450505973")).await;
        let before = app.get(&format!("/persons/{id}"), Some(&staff)).await;
        assert!(before.body.contains("未上传照片"));
        let res = upload_photo(&app, &staff, &id, b"not an image at all").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("照片：请上传 JPG、PNG 或 WebP"), "{}", res.body);
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
        let res = upload_photo(&app, &staff, &id, &png).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let shown = app.get(&format!("/persons/{id}/photo"), Some(&staff)).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert_eq!(shown.headers[header::CONTENT_TYPE], "image/png");
        let page = app.get(&format!("/persons/{id}"), Some(&staff)).await;
        assert!(page.body.contains(&format!("src=\"/persons/{id}/photo\"")));
        let (other, _) = other_org_staff(&app).await;
        assert_eq!(app.get(&format!("/persons/{id}/photo"), Some(&other)).await.status, StatusCode::NOT_FOUND);
        assert!(dir.join("files/persons").join(&id).exists(), "stored under <data_dir>/files");
        let _ = std::fs::remove_dir_all(&dir);
        app
    })
    .await;
}
