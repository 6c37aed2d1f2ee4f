#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Funder pages for programs and call items: create, validate, publish, Excel out and in.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Browser, TestApp, with_demo};

async fn create_program(app: &TestApp, b: &Browser, code: &str) -> String {
    let res = app
        .post_form(
            "/admin/programs/new",
            Some(b),
            &[
                ("code", code),
                ("name", "崇川区第十届社区公益助力计划"),
                ("year", "2026"),
                ("area_code", "320613"),
                ("budget_wan", "100"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.location().trim_start_matches("/admin/programs/").split('?').next().unwrap().to_string()
}

#[tokio::test]
async fn funder_creates_a_draft_that_the_public_cannot_see_until_published() {
    with_demo(|app| async move {
        let funder = app.login("funder").await;
        let id = create_program(&app, &funder, "chongchuan-10").await;
        let page = app.get(&format!("/admin/programs/{id}"), Some(&funder)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("草稿"));
        assert!(page.body.contains("100 万元"), "budget in 万元");
        assert_eq!(app.get("/calls/chongchuan-10", None).await.status, StatusCode::NOT_FOUND, "draft is not public");

        // an item with a structured output
        let res = app
            .post_form(
                &format!("/admin/programs/{id}/items/new"),
                Some(&funder),
                &[
                    ("code", "D01"),
                    ("track", ""),
                    ("name", "独居老人探访关爱"),
                    ("cap_wan", "5"),
                    ("o_metric", "visits"),
                    ("o_description", "每月上门探访不少于1次"),
                    ("o_quantity", "1"),
                    ("o_unit", "次"),
                    ("o_period", "month"),
                    ("o_per_beneficiary", "yes"),
                    ("o_min_per_year", ""),
                    ("o_within_days", ""),
                    ("o_quantity_max", ""),
                    ("o_extra", ""),
                ],
            )
            .await;
        // an item must belong to a track: the field is named
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("所属板块"), "{}", res.body);
        assert!(res.body.contains("每月上门探访不少于1次"), "the typed output is kept");
        let res = app
            .post_form(
                &format!("/admin/programs/{id}/items/new"),
                Some(&funder),
                &[
                    ("code", "D01"),
                    ("track", "directed"),
                    ("name", "独居老人探访关爱"),
                    ("o_description", "每月上门探访不少于1次"),
                    ("o_metric", "visits"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let res =
            app.post_form(&format!("/admin/programs/{id}/status"), Some(&funder), &[("status", "published")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let public = app.get("/calls/chongchuan-10", None).await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(public.body.contains("独居老人探访关爱") && public.body.contains("公益定投"));
        app
    })
    .await;
}

#[tokio::test]
async fn funder_adds_an_item_to_a_track_and_publishing_shows_it_publicly() {
    with_demo(|app| async move {
        let funder = app.login("funder").await;
        let res = app
            .post_form(
                "/admin/programs/chongchuan-9/items/new",
                Some(&funder),
                &[
                    ("code", "D99"),
                    ("track", "directed"),
                    ("name", "社区助餐点建设（测试）"),
                    ("cap_wan", "15"),
                    ("slots", "2"),
                    ("o_metric", "activities"),
                    ("o_description", "开展社区活动不少于10场"),
                    ("o_quantity", "10"),
                    ("o_unit", "场"),
                    ("o_period", ""),
                    ("o_per_beneficiary", "no"),
                    ("o_min_per_year", ""),
                    ("o_within_days", ""),
                    ("o_quantity_max", ""),
                    ("o_extra", ""),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let public = app.get("/calls/chongchuan-9", None).await;
        assert!(public.body.contains("社区助餐点建设（测试）"));
        let item_path = res.location().split('?').next().unwrap().to_string();
        let page = app.get(&item_path, Some(&funder)).await;
        assert!(page.body.contains("≥10 场"), "structured output shown: {}", page.body);
        // duplicate code refused with the field named
        let dup = app
            .post_form(
                "/admin/programs/chongchuan-9/items/new",
                Some(&funder),
                &[("code", "D99"), ("track", "directed"), ("name", "重复")],
            )
            .await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(dup.body.contains("项目编号"));
        app
    })
    .await;
}

#[tokio::test]
async fn invalid_program_form_keeps_input_and_names_fields() {
    with_demo(|app| async move {
        let funder = app.login("funder").await;
        let res = app
            .post_form(
                "/admin/programs/new",
                Some(&funder),
                &[
                    ("code", "bad code!"),
                    ("name", "我的计划"),
                    ("year", "二〇二六"),
                    ("area_code", "110111"),
                    ("budget_wan", ""),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("年度：应为整数"), "{}", res.body);
        assert!(res.body.contains("我的计划"), "input kept");
        let res = app
            .post_form(
                "/admin/programs/new",
                Some(&funder),
                &[("code", "bj-1"), ("name", "北京"), ("year", "2026"), ("area_code", "110111")],
            )
            .await;
        assert!(res.body.contains("超出您的管辖范围"), "funder of 崇川 cannot create a program in 房山");
        app
    })
    .await;
}

#[tokio::test]
async fn organizations_cannot_manage_programs() {
    with_demo(|app| async move {
        let org = app.login("orgadmin").await;
        assert_eq!(app.get("/admin/programs/new", Some(&org)).await.status, StatusCode::FORBIDDEN);
        let res = app.post_form("/admin/programs/chongchuan-9/status", Some(&org), &[("status", "closed")]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(app.get("/calls?status=published", None).await.body.contains("崇川区第九届"), "still open");
        // another area's funder cannot edit Chongchuan either; not logged in → login page
        assert_eq!(app.get("/admin/programs", None).await.location(), "/login");
        app
    })
    .await;
}

#[tokio::test]
async fn rules_are_stored_as_data_and_validated() {
    with_demo(|app| async move {
        let funder = app.login("funder").await;
        let page = app.get("/admin/programs/chongchuan-9/rules", Some(&funder)).await;
        assert_eq!(page.status, StatusCode::OK);
        let bad = "[[tranches]]\npercent = 40\nwhen = \"签约后\"\n[[tranches]]\npercent = 40\nwhen = \"中期后\"\n";
        let res = app.post_form("/admin/programs/chongchuan-9/rules", Some(&funder), &[("rules", bad)]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("100%"), "{}", res.body);
        let good = "one_application_per_org = true\nnotice = { unit = \"working_days\", length = 3 }\n[budget]\ncap = \"15万\"\npersonnel_max_percent = 30\n";
        let res = app.post_form("/admin/programs/chongchuan-9/rules", Some(&funder), &[("rules", good)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let public = app.get("/calls/chongchuan-9", None).await;
        assert!(public.body.contains("人员经费不超过申请资金的 30%"));
        assert!(public.body.contains("评审结果公示 3 个工作日"));
        app
    })
    .await;
}

fn multipart(csrf: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "gongyiboundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n").as_bytes(),
    );
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &TestApp, b: &Browser, program: &str, file: &[u8]) -> common::Res {
    let (ct, body) = multipart(&b.csrf, file);
    let req = Request::post(format!("/admin/programs/{program}/import"))
        .header(header::COOKIE, &b.cookie)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap();
    app.request(req).await
}

#[tokio::test]
async fn excel_export_and_import_round_trip_and_bad_rows_import_nothing() {
    with_demo(|app| async move {
        let funder = app.login("funder").await;
        let export = app.get("/admin/programs/chongchuan-9/items.xlsx", Some(&funder)).await;
        assert_eq!(export.status, StatusCode::OK);
        // the body went through String; fetch raw bytes instead
        let req = Request::get("/admin/programs/chongchuan-9/items.xlsx")
            .header(header::COOKIE, &funder.cookie)
            .body(Body::empty())
            .unwrap();
        let res = app.router.clone().oneshot_bytes(req).await;
        let rows = web::excel::read_catalog(&res).unwrap();
        assert_eq!(rows.len(), 20, "15 directed items and 5 micro-venture scopes");

        // change one name, break another row's cap: nothing is imported, both problems… the bad row is named
        let mut items: Vec<_> = rows.into_iter().map(|(_, i)| i).collect();
        items[0].name = "改过的名称".into();
        let tracks = db::programs::get(&app.state.db, None, "chongchuan-9").await.unwrap().tracks;
        let good = web::excel::write_catalog(&items, &tracks).unwrap();
        items[1].track = "no_such_track".into();
        let bad = web::excel::write_catalog(&items, &tracks).unwrap();
        let res = upload(&app, &funder, "chongchuan-9", &bad).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("第3行"), "{}", res.body);
        assert!(!app.get("/calls/chongchuan-9", None).await.body.contains("改过的名称"), "nothing imported");

        let res = upload(&app, &funder, "chongchuan-9", &good).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let public = app.get("/calls/chongchuan-9", None).await;
        assert!(public.body.contains("改过的名称"));
        // a wrong CSRF token is refused
        let forged = Browser { cookie: funder.cookie.clone(), csrf: "forged".into() };
        assert_eq!(upload(&app, &forged, "chongchuan-9", &good).await.status, StatusCode::FORBIDDEN);
        app
    })
    .await;
}

/// Raw bytes of a response (the xlsx body is binary).
trait OneshotBytes {
    async fn oneshot_bytes(self, req: Request<Body>) -> Vec<u8>;
}

impl OneshotBytes for axum::Router {
    async fn oneshot_bytes(self, req: Request<Body>) -> Vec<u8> {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let res = self.oneshot(req).await.unwrap();
        res.into_body().collect().await.unwrap().to_bytes().to_vec()
    }
}
