//! The JSON API under /api/v1 and its OpenAPI document, as a client sees them.

mod common;

use std::collections::HashSet;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp, with_demo};
use serde_json::{Value, json};

/// Every protected route with a sample path.
const PROTECTED: [(&str, &str); 21] = [
    ("DELETE", "/api/v1/auth/token"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/areas"),
    ("GET", "/api/v1/areas/320613"),
    ("GET", "/api/v1/organizations"),
    ("GET", "/api/v1/organizations/x"),
    ("POST", "/api/v1/organizations"),
    ("PUT", "/api/v1/organizations/x"),
    ("GET", "/api/v1/users"),
    ("GET", "/api/v1/users/x"),
    ("POST", "/api/v1/users"),
    ("PUT", "/api/v1/users/x"),
    ("GET", "/api/v1/programs"),
    ("GET", "/api/v1/programs/chongchuan-9"),
    ("POST", "/api/v1/programs"),
    ("PUT", "/api/v1/programs/chongchuan-9"),
    ("POST", "/api/v1/programs/chongchuan-9/publish"),
    ("POST", "/api/v1/programs/chongchuan-9/close"),
    ("GET", "/api/v1/programs/chongchuan-9/items"),
    ("POST", "/api/v1/programs/chongchuan-9/items"),
    ("GET", "/api/v1/items/x"),
];

/// GET a JSON body, asserting 200.
async fn get_ok(app: &TestApp, path: &str, token: &str) -> Value {
    let res = app.api("GET", path, Some(token), None).await;
    assert_eq!(res.status, StatusCode::OK, "{} GET {path}: {}", app.backend, res.body);
    res.json()
}

/// Follow `next_cursor` from `path` (which has a `limit`), checking every page.
async fn walk(app: &TestApp, path: &str, token: &str, limit: usize) -> Vec<Value> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}&after={c}"),
            None => path.to_string(),
        };
        let page = get_ok(app, &url, token).await;
        let items = page["items"].as_array().unwrap().clone();
        assert!(items.len() <= limit, "{url}: page larger than limit");
        all.extend(items.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => {
                assert_eq!(items.len(), limit, "{url}: a short page before the last");
                cursor = Some(c.to_string());
            }
            None => {
                assert!(page["next_cursor"].is_null());
                break;
            }
        }
    }
    all
}

fn field_names(res: &Value) -> Vec<String> {
    res["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect()
}

fn field_message<'a>(res: &'a Value, field: &str) -> &'a str {
    res["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == field)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no field {field} in {res}"))
}

#[tokio::test]
async fn tokens_are_issued_checked_and_revoked() {
    with_demo(|app| async move {
        let token = app.token("admin").await;
        let me = get_ok(&app, "/api/v1/me", &token).await;
        assert_eq!(me["username"], "admin");
        assert_eq!(me["role"], "sys_admin");
        assert!(me.get("password_hash").is_none());

        let res =
            app.api("POST", "/api/v1/auth/token", None, Some(json!({"username": "admin", "password": "nope"}))).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", app.backend);
        let body = res.json();
        assert_eq!(body["error"]["code"], "unauthenticated");
        assert_eq!(body["error"]["message"], "用户名或密码不正确");

        let res = app
            .api("POST", "/api/v1/auth/token", None, Some(json!({"username": "nobody", "password": PASSWORD})))
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(res.json()["error"]["message"], "用户名或密码不正确");

        let res = app.api("DELETE", "/api/v1/auth/token", Some(&token), None).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT);
        let res = app.api("GET", "/api/v1/me", Some(&token), None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        app
    })
    .await;
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account() {
    with_demo(|app| async move {
        let wrong = json!({"username": "reviewer", "password": "wrong-1234"});
        for _ in 0..5 {
            let res = app.api("POST", "/api/v1/auth/token", None, Some(wrong.clone())).await;
            assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        }
        let right = json!({"username": "reviewer", "password": PASSWORD});
        let res = app.api("POST", "/api/v1/auth/token", None, Some(right)).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
        let body = res.json();
        assert_eq!(body["error"]["code"], "locked");
        assert!(body["error"]["message"].as_str().unwrap().contains("锁定"));
        app
    })
    .await;
}

#[tokio::test]
async fn every_protected_route_needs_a_token() {
    with_demo(|app| async move {
        for (method, path) in PROTECTED {
            for token in [None, Some("not-a-token")] {
                let res = app.api(method, path, token, Some(json!({}))).await;
                assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{method} {path} ({token:?})");
                assert_eq!(res.json()["error"]["code"], "unauthenticated", "{method} {path}");
            }
        }
        let res = app.api("GET", "/api/v1/programs", None, None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        // a web session is not an API token
        let browser = app.login("admin").await;
        let session = browser.cookie.trim_start_matches("gy_session=");
        let res = app.api("GET", "/api/v1/me", Some(session), None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        let res = app.api("GET", "/api/openapi.json", None, None).await;
        assert_eq!(res.status, StatusCode::OK);
        let token = app.token("admin").await;
        let res = app.api("GET", "/api/v1/nothing-here", Some(&token), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(res.json()["error"]["code"], "not_found");
        app
    })
    .await;
}

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
async fn areas_have_names_and_ancestors() {
    with_demo(|app| async move {
        let token = app.token("street").await;
        let a = get_ok(&app, "/api/v1/areas/320613002", &token).await;
        assert_eq!(a["name"], "和平桥街道");
        assert_eq!(a["level"], "street");
        assert_eq!(a["parent_code"], "320613");
        assert_eq!(a["full_name"], "江苏省 南通市 崇川区 和平桥街道");
        let up: Vec<&str> = a["ancestors"].as_array().unwrap().iter().map(|x| x["code"].as_str().unwrap()).collect();
        assert_eq!(up, ["32", "3206", "320613"]);
        let res = app.api("GET", "/api/v1/areas/999999", Some(&token), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = app.api("GET", "/api/v1/areas?parent=999999", Some(&token), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let provinces = get_ok(&app, "/api/v1/areas?limit=200", &token).await;
        assert!(provinces["items"].as_array().unwrap().iter().any(|p| p["code"] == "32"));
        app
    })
    .await;
}

#[tokio::test]
async fn an_organization_sees_only_itself() {
    with_demo(|app| async move {
        let admin = app.token("admin").await;
        let all = walk(&app, "/api/v1/organizations?limit=100", &admin, 100).await;
        let id_of = |name: &str| {
            all.iter()
                .find(|o| o["name"] == name)
                .and_then(|o| o["id"].as_str())
                .unwrap_or_else(|| panic!("no organization {name}"))
                .to_string()
        };
        let hemei = id_of("示例·崇川区和美社会工作服务中心");
        let hub = id_of("示例·崇川区社会组织服务中心");

        let org = app.token("orgadmin").await;
        let mine = get_ok(&app, "/api/v1/organizations", &org).await;
        let items = mine["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{}: {mine}", app.backend);
        assert_eq!(items[0]["id"], hemei.as_str());
        let res = app.api("GET", &format!("/api/v1/organizations/{hub}"), Some(&org), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(res.json()["error"]["code"], "not_found");

        let d = get_ok(&app, &format!("/api/v1/organizations/{hemei}"), &org).await;
        assert_eq!(d["kind"], "social_org");
        assert_eq!(d["rating"], 4);
        assert_eq!(d["area_code"], "320613002");
        assert!(d["uscc"].as_str().unwrap().starts_with("52320613MJ0000002"));
        let years: Vec<i64> =
            d["inspections"].as_array().unwrap().iter().map(|i| i["year"].as_i64().unwrap()).collect();
        assert_eq!(years, [2021, 2020, 2019]);
        let staff: Vec<&str> = d["staff"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
        assert!(staff.contains(&"示例·李晓"), "{staff:?}");

        // the organization edits its own profile but not its rating
        let mut body = d.clone();
        body["address"] = json!("崇川区和平桥街道示例路8号");
        body["rating"] = json!(5);
        let res = app.api("PUT", &format!("/api/v1/organizations/{hemei}"), Some(&org), Some(body)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let after = res.json();
        assert_eq!(after["address"], "崇川区和平桥街道示例路8号");
        assert_eq!(after["rating"], 4);
        let res = app.api("PUT", &format!("/api/v1/organizations/{hub}"), Some(&org), Some(json!({}))).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);

        // the street officer sees organizations of its street only
        let street = app.token("street").await;
        let seen = walk(&app, "/api/v1/organizations?limit=100", &street, 100).await;
        assert!(seen.iter().all(|o| o["area_code"].as_str().is_some_and(|a| a.starts_with("320613002"))));
        assert!(seen.iter().any(|o| o["id"] == hemei.as_str()));
        let funder = app.token("funder").await;
        let found = get_ok(&app, "/api/v1/organizations?q=和美&kind=social_org", &funder).await;
        assert_eq!(found["items"].as_array().unwrap().len(), 1);
        app
    })
    .await;
}

#[tokio::test]
async fn organizations_are_validated_with_chinese_messages() {
    with_demo(|app| async move {
        let funder = app.token("funder").await;
        let bad = json!({"kind": "social_org", "name": "示例·新组织", "uscc": "52320613MJ000000X1", "area_code": "320613002"});
        let res = app.api("POST", "/api/v1/organizations", Some(&funder), Some(bad)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        let body = res.json();
        assert_eq!(body["error"]["code"], "validation");
        assert!(field_message(&body, "uscc").contains("统一社会信用代码"), "{body}");

        let first17 = "52320613MJ0000099";
        let uscc = format!("{first17}{}", domain::ids::Uscc::check_char(first17).unwrap());
        let good = json!({"kind": "social_org", "name": "示例·新组织", "uscc": uscc, "area_code": "320613002", "rating": 3, "rated_on": "2024-01-01"});
        let res = app.api("POST", "/api/v1/organizations", Some(&funder), Some(good.clone())).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let created = res.json();
        assert_eq!(created["uscc"], uscc.as_str());
        assert_eq!(created["inspections"], json!([]));
        let again = app.api("POST", "/api/v1/organizations", Some(&funder), Some(good)).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_message(&again.json(), "uscc").contains("已有组织"));

        let org = app.token("orgadmin").await;
        let res = app.api("POST", "/api/v1/organizations", Some(&org), Some(json!({"kind": "funder", "name": "x"}))).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);

        let res = app.api("POST", "/api/v1/organizations", Some(&funder), Some(json!({"rating": "five"}))).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_names(&res.json()), ["rating"]);
        app
    })
    .await;
}

#[tokio::test]
async fn only_administrators_and_funders_manage_users() {
    with_demo(|app| async move {
        let org = app.token("orgadmin").await;
        let new_user = json!({"username": "street2", "display_name": "示例·新街道用户", "role": "area_officer", "area_code": "320613003", "password": PASSWORD});
        let res = app.api("POST", "/api/v1/users", Some(&org), Some(new_user.clone())).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
        assert_eq!(res.json()["error"]["code"], "forbidden");
        let res = app.api("GET", "/api/v1/users", Some(&org), None).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let me = get_ok(&app, "/api/v1/me", &org).await;
        assert_eq!(me["role"], "org_admin");
        let own = get_ok(&app, &format!("/api/v1/users/{}", me["id"].as_str().unwrap()), &org).await;
        assert_eq!(own["username"], "orgadmin");

        let admin = app.token("admin").await;
        let everyone = walk(&app, "/api/v1/users?limit=100", &admin, 100).await;
        assert_eq!(everyone.len(), 10, "{}", app.backend);

        let funder = app.token("funder").await;
        let res = app.api("POST", "/api/v1/users", Some(&funder), Some(new_user)).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let created = res.json();
        assert_eq!(created["area_code"], "320613003");
        let id = created["id"].as_str().unwrap().to_string();
        let t = app.token("street2").await;
        assert_eq!(get_ok(&app, "/api/v1/me", &t).await["username"], "street2");

        let update = json!({"username": "street2", "display_name": "示例·改名", "role": "area_officer", "area_code": "320613003", "active": false});
        let res = app.api("PUT", &format!("/api/v1/users/{id}"), Some(&funder), Some(update)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()["display_name"], "示例·改名");
        // deactivation ends the user's tokens
        let res = app.api("GET", "/api/v1/me", Some(&t), None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);

        let outside = json!({"username": "far", "display_name": "示例·外区", "role": "area_officer", "area_code": "330122", "password": "Street-Pass-2026"});
        let res = app.api("POST", "/api/v1/users", Some(&funder), Some(outside)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_message(&res.json(), "area_code").contains("管辖区域"));
        let mine = walk(&app, "/api/v1/users?limit=100&role=area_officer", &funder, 100).await;
        assert!(mine.iter().all(|u| u["role"] == "area_officer"));
        assert!(mine.iter().any(|u| u["username"] == "street2"));
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
        assert_eq!(res.json()["error"]["fields"][0]["field"], "body");
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

/// Property names of a schema in components (following allOf for flattened structs).
fn schema_properties(doc: &Value, name: &str) -> HashSet<String> {
    let schema = &doc["components"]["schemas"][name];
    let mut props: HashSet<String> =
        schema["properties"].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        if let Some(r) = part["$ref"].as_str() {
            props.extend(schema_properties(doc, r.trim_start_matches("#/components/schemas/")));
        }
        if let Some(o) = part["properties"].as_object() {
            props.extend(o.keys().cloned());
        }
    }
    assert!(!props.is_empty(), "schema {name} has no properties");
    props
}

fn keys(v: &Value) -> HashSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[tokio::test]
async fn openapi_document_lists_every_path_and_matches_responses() {
    with_demo(|app| async move {
        let res = app.api("GET", "/api/openapi.json", None, None).await;
        assert_eq!(res.status, StatusCode::OK);
        let doc = res.json();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        let paths = doc["paths"].as_object().unwrap();
        for p in [
            "/api/v1/auth/token",
            "/api/v1/me",
            "/api/v1/areas",
            "/api/v1/areas/{code}",
            "/api/v1/organizations",
            "/api/v1/organizations/{id}",
            "/api/v1/users",
            "/api/v1/users/{id}",
            "/api/v1/programs",
            "/api/v1/programs/{id}",
            "/api/v1/programs/{id}/publish",
            "/api/v1/programs/{id}/close",
            "/api/v1/programs/{id}/items",
            "/api/v1/items/{id}",
        ] {
            assert!(paths.contains_key(p), "openapi lacks {p}");
        }
        assert_eq!(keys(&paths["/api/v1/auth/token"]), ["post", "delete"].map(String::from).into());
        assert_eq!(keys(&paths["/api/v1/items/{id}"]), ["get", "put", "delete"].map(String::from).into());
        let mut operations = HashSet::new();
        for item in paths.values() {
            for op in item.as_object().unwrap().values() {
                let id = op["operationId"].as_str().unwrap();
                assert!(operations.insert(id.to_string()), "operationId {id} twice");
                assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{id} untagged");
            }
        }
        assert_eq!(operations.len(), 24);
        assert_eq!(doc["components"]["securitySchemes"]["bearer_token"]["scheme"], "bearer");
        assert_eq!(paths["/api/v1/auth/token"]["post"]["security"], json!([{}]));
        for (method, path) in PROTECTED {
            let template = path.replace("/x", "/{id}").replace("chongchuan-9", "{id}").replace("320613", "{code}");
            assert!(paths[&template][method.to_lowercase()].is_object(), "openapi lacks {method} {template}");
        }

        // the documented schemas are what the API returns
        let token = app.token("admin").await;
        let program = get_ok(&app, "/api/v1/programs/chongchuan-9", &token).await;
        assert_eq!(schema_properties(&doc, "ProgramDetail"), keys(&program));
        assert_eq!(schema_properties(&doc, "Rules"), keys(&program["tracks"][1]["rules"]));
        assert_eq!(schema_properties(&doc, "BudgetRules"), keys(&program["tracks"][1]["rules"]["budget"]));
        assert_eq!(schema_properties(&doc, "Track"), keys(&program["tracks"][1]));
        assert_eq!(schema_properties(&doc, "Phase"), keys(&program["phases"][0]));
        let items = get_ok(&app, "/api/v1/programs/chongchuan-9/items?limit=1", &token).await;
        assert_eq!(schema_properties(&doc, "Item"), keys(&items["items"][0]));
        assert_eq!(schema_properties(&doc, "OutputTarget"), keys(&items["items"][0]["outputs"][0]));
        let orgs = get_ok(&app, "/api/v1/organizations?limit=1", &token).await;
        let org =
            get_ok(&app, &format!("/api/v1/organizations/{}", orgs["items"][0]["id"].as_str().unwrap()), &token).await;
        assert_eq!(schema_properties(&doc, "OrganizationDetail"), keys(&org));
        let me = get_ok(&app, "/api/v1/me", &token).await;
        assert_eq!(schema_properties(&doc, "User"), keys(&me));
        let err = app.api("GET", "/api/v1/programs/none", Some(&token), None).await.json();
        assert_eq!(schema_properties(&doc, "ErrorDetail"), keys(&err["error"]));
        app
    })
    .await;
}
