//! Programs and their call items: lists, detail, paging, changes, validation.

use std::collections::HashSet;

use axum::http::StatusCode;
use serde_json::json;

use super::common::with_demo;
use super::{field_message, field_names, get_ok, walk};

#[tokio::test]
async fn programs_list_and_detail_show_the_demo_programs() {
    with_demo(|app| async move {
        let token = app.token("admin").await;
        let list = get_ok(&app, "/api/v1/programs", &token).await;
        let codes: HashSet<&str> =
            list["items"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
        let expected: HashSet<&str> =
            ["hangzhou-2021", "fangshan-2020", "chongchuan-9", "qingtongxia-2023", "chengguan-2023"].into();
        assert_eq!(codes, expected, "{}", app.backend);
        assert!(list["next_cursor"].is_null());
        let cc = list["items"].as_array().unwrap().iter().find(|p| p["code"] == "chongchuan-9").unwrap();
        assert_eq!(cc["name"], "崇川区第九届社区公益助力计划");
        assert_eq!(cc["status"], "published");
        assert_eq!(cc["year"], 2021);

        let p = get_ok(&app, "/api/v1/programs/chongchuan-9", &token).await;
        assert_eq!(p["area_code"], "320613");
        let tracks: Vec<&str> = p["tracks"].as_array().unwrap().iter().map(|t| t["code"].as_str().unwrap()).collect();
        assert_eq!(tracks, ["street_plan", "directed", "micro_venture"]);
        let directed = &p["tracks"][1];
        assert_eq!(directed["kind"], "directed");
        assert_eq!(directed["name"], "公益定投");
        assert_eq!(directed["rules"]["budget"]["cap"], "150000.00");
        assert_eq!(directed["rules"]["budget"]["personnel_max_percent"], 30);
        let tranches: Vec<u64> =
            directed["rules"]["tranches"].as_array().unwrap().iter().map(|t| t["percent"].as_u64().unwrap()).collect();
        assert_eq!(tranches, [40, 40, 20]);
        assert_eq!(directed["rules"]["notice"], json!({"unit": "working_days", "length": 3}));
        assert_eq!(p["tracks"][2]["rules"]["budget"]["cap"], "50000.00");
        let phases = p["phases"].as_array().unwrap();
        assert_eq!(phases.len(), 10);
        assert_eq!(phases[0]["name"], "需求摸查");
        assert_eq!(phases[9]["ends_on"], "2021-12-31");

        // by id as well as by code
        let id = p["id"].as_str().unwrap();
        let by_id = get_ok(&app, &format!("/api/v1/programs/{id}"), &token).await;
        assert_eq!(by_id["code"], "chongchuan-9");

        let res = app.api("GET", "/api/v1/programs/no-such", Some(&token), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(res.json()["error"]["message"], "计划不存在");
        app
    })
    .await;
}

#[tokio::test]
async fn program_items_carry_codes_caps_and_outputs() {
    with_demo(|app| async move {
        let token = app.token("funder").await;
        let page = get_ok(&app, "/api/v1/programs/chongchuan-9/items?limit=200", &token).await;
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 20, "{}", app.backend);
        let by_code = |code: &str| items.iter().find(|i| i["code"] == code).unwrap_or_else(|| panic!("no {code}"));
        let d01 = by_code("D01");
        assert_eq!(d01["name"], "文明城市创建宣传计划");
        assert_eq!(d01["track"], "directed");
        assert_eq!(d01["funding_cap"], "20000.00");
        assert_eq!(d01["slots"], 1);
        assert_eq!(d01["support_units"], json!(["崇川区文明办"]));
        assert_eq!(d01["period_end"], "2021-11-15");
        assert_eq!(d01["outputs"][0]["metric"], "activities");
        assert_eq!(d01["outputs"][0]["quantity"], 25);
        assert_eq!(d01["outputs"][0]["unit"], "场");
        let d14 = by_code("D14");
        assert_eq!(d14["name"], "居家安全隐患改善计划");
        assert_eq!(d14["funding_cap"], "150000.00");
        assert_eq!(by_code("M01")["track"], "micro_venture");

        let one = get_ok(&app, &format!("/api/v1/items/{}", d01["id"].as_str().unwrap()), &token).await;
        assert_eq!(one["code"], "D01");
        assert_eq!(one["program_id"], d01["program_id"]);
        app
    })
    .await;
}

#[tokio::test]
async fn lists_page_by_cursor_without_overlap() {
    with_demo(|app| async move {
        let token = app.token("admin").await;
        let first = get_ok(&app, "/api/v1/programs/chongchuan-9/items?limit=2", &token).await;
        assert_eq!(first["items"].as_array().unwrap().len(), 2);
        assert!(first["next_cursor"].is_string());

        let items = walk(&app, "/api/v1/programs/chongchuan-9/items?limit=2", &token, 2).await;
        let ids: HashSet<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(items.len(), 20, "{}", app.backend);
        assert_eq!(ids.len(), 20, "pages overlap");
        let codes: HashSet<&str> = items.iter().map(|i| i["code"].as_str().unwrap()).collect();
        assert!(codes.contains("D01") && codes.contains("D15") && codes.contains("M05"));

        let programs = walk(&app, "/api/v1/programs?limit=2", &token, 2).await;
        let ids: HashSet<&str> = programs.iter().map(|p| p["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 5);

        let streets = walk(&app, "/api/v1/areas?parent=320613&limit=5", &token, 5).await;
        assert_eq!(streets.len(), 19);
        assert!(streets.iter().any(|a| a["code"] == "320613002" && a["name"] == "和平桥街道"));

        let res = app.api("GET", "/api/v1/programs?limit=abc", Some(&token), None).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_names(&res.json()), ["limit"]);
        let res = app.api("GET", "/api/v1/programs?status=open", Some(&token), None).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_names(&res.json()), ["status"]);
        let published = get_ok(&app, "/api/v1/programs?status=published&year=2021&q=崇川", &token).await;
        assert_eq!(published["items"].as_array().unwrap().len(), 1);
        app
    })
    .await;
}

#[tokio::test]
async fn funders_manage_call_items() {
    with_demo(|app| async move {
        let funder = app.token("funder").await;
        let item = json!({
            "code": "D16",
            "track": "directed",
            "name": "示例·社区助餐服务",
            "category": "为老服务类",
            "beneficiaries": "辖区高龄独居老人",
            "funding_cap": "8万",
            "slots": 2,
            "period_end": "2021-11-15",
            "outputs": [{"metric": "service_records", "description": "助餐服务不少于1000人次", "quantity": 1000, "unit": "人次"}],
            "support_units": ["崇川区民政局"]
        });
        let res = app.api("POST", "/api/v1/programs/chongchuan-9/items", Some(&funder), Some(item.clone())).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}: {}", app.backend, res.body);
        let created = res.json();
        assert_eq!(created["funding_cap"], "80000.00");
        assert_eq!(created["outputs"][0]["quantity"], 1000);
        let id = created["id"].as_str().unwrap().to_string();

        let all = walk(&app, "/api/v1/programs/chongchuan-9/items?limit=50", &funder, 50).await;
        assert_eq!(all.len(), 21);
        assert!(all.iter().any(|i| i["id"] == id.as_str() && i["code"] == "D16" && i["name"] == "示例·社区助餐服务"));

        // an organization reads items but does not change them
        let org = app.token("orgadmin").await;
        let seen = get_ok(&app, &format!("/api/v1/items/{id}"), &org).await;
        assert_eq!(seen["code"], "D16");
        let res = app.api("PUT", &format!("/api/v1/items/{id}"), Some(&org), Some(item.clone())).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = app.api("POST", "/api/v1/programs/chongchuan-9/items", Some(&org), Some(item.clone())).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);

        let mut changed = item.clone();
        changed["name"] = json!("示例·社区助餐与送餐服务");
        changed["funding_cap"] = json!(90000);
        let res = app.api("PUT", &format!("/api/v1/items/{id}"), Some(&funder), Some(changed)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()["funding_cap"], "90000.00");
        assert_eq!(get_ok(&app, &format!("/api/v1/items/{id}"), &funder).await["name"], "示例·社区助餐与送餐服务");

        // the same code twice is refused
        let res = app.api("POST", "/api/v1/programs/chongchuan-9/items", Some(&funder), Some(item)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_message(&res.json(), "code").contains("D16"));

        let res = app.api("DELETE", &format!("/api/v1/items/{id}"), Some(&funder), None).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT);
        let res = app.api("GET", &format!("/api/v1/items/{id}"), Some(&funder), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test]
async fn invalid_items_name_every_field() {
    with_demo(|app| async move {
        let funder = app.token("funder").await;
        let empty_name = json!({"code": "D17", "track": "directed", "name": "  ", "funding_cap": "5万"});
        let res = app.api("POST", "/api/v1/programs/chongchuan-9/items", Some(&funder), Some(empty_name)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        let body = res.json();
        assert_eq!(body["error"]["code"], "validation");
        assert_eq!(field_names(&body), ["name"]);
        assert!(field_message(&body, "name").contains("项目名称"));

        let many = json!({"code": "", "track": "nope", "name": "x", "period_start": "2021-06-01", "period_end": "2021-01-01", "outputs": [{"metric": "visits", "description": ""}]});
        let res = app.api("POST", "/api/v1/programs/chongchuan-9/items", Some(&funder), Some(many)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = field_names(&res.json());
        for f in ["code", "track", "period_end", "outputs.0.description"] {
            assert!(fields.iter().any(|x| x == f), "{f} missing in {fields:?}");
        }

        let res = app.api("POST", "/api/v1/programs/chongchuan-9/items", Some(&funder), Some(json!({"funding_cap": "lots"}))).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.json();
        assert_eq!(field_names(&body), ["funding_cap"]);
        assert!(body["error"]["message"].as_str().unwrap().contains("funding_cap"));

        let res = app
            .request(
                axum::http::Request::post("/api/v1/programs/chongchuan-9/items")
                    .header("authorization", format!("Bearer {funder}"))
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from("{not json"))
                    .unwrap(),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.json();
        assert_eq!(body["error"]["fields"][0]["field"], "body");
        assert_eq!(body["error"]["message"], "请求内容：不是合法的JSON");
        let res = app
            .request(
                axum::http::Request::post("/api/v1/programs/chongchuan-9/items")
                    .header("authorization", format!("Bearer {funder}"))
                    .body(axum::body::Body::from("{}"))
                    .unwrap(),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.json()["error"]["message"].as_str().unwrap().contains("application/json"));
        app
    })
    .await;
}

#[tokio::test]
async fn a_program_goes_from_draft_to_published_to_closed() {
    with_demo(|app| async move {
        let funder = app.token("funder").await;
        let org = app.token("orgadmin").await;
        let body = json!({"code": "chongchuan-10", "name": "崇川区第十届社区公益助力计划", "year": 2026, "area_code": "320613", "budget": "200万"});
        let res = app.api("POST", "/api/v1/programs", Some(&funder), Some(body.clone())).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}: {}", app.backend, res.body);
        let p = res.json();
        assert_eq!(p["status"], "draft");
        assert_eq!(p["budget"], "2000000.00");
        assert!(p["tracks"].is_array());

        let res = app.api("GET", "/api/v1/programs/chongchuan-10", Some(&org), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "a draft is not public");
        let res = app.api("POST", "/api/v1/programs/chongchuan-10/publish", Some(&org), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);

        let mut renamed = body.clone();
        renamed["name"] = json!("崇川区第十届社区公益助力计划（2026）");
        let res = app.api("PUT", "/api/v1/programs/chongchuan-10", Some(&funder), Some(renamed)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()["name"], "崇川区第十届社区公益助力计划（2026）");

        let res = app.api("POST", "/api/v1/programs/chongchuan-10/publish", Some(&funder), None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()["status"], "published");
        assert_eq!(get_ok(&app, "/api/v1/programs/chongchuan-10", &org).await["status"], "published");
        let res = app.api("POST", "/api/v1/programs/chongchuan-10/close", Some(&org), None).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = app.api("POST", "/api/v1/programs/chongchuan-10/close", Some(&funder), None).await;
        assert_eq!(res.json()["status"], "closed");

        let res = app.api("POST", "/api/v1/programs", Some(&funder), Some(body)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_message(&res.json(), "code").contains("计划代码"));
        let far = json!({"code": "far-away", "name": "外区计划", "year": 2026, "area_code": "330122"});
        let res = app.api("POST", "/api/v1/programs", Some(&funder), Some(far)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_names(&res.json()), ["area_code"]);
        let res = app.api("POST", "/api/v1/programs", Some(&org), Some(json!({}))).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        app
    })
    .await;
}
