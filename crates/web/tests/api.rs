//! The JSON API under /api/v1 and its OpenAPI document, as a client sees them.
// helpers outside #[test] functions unwrap too: a panic is a test failure
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "api/programs.rs"]
mod programs;
#[path = "api/scope.rs"]
mod scope;

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
        // every route the API serves is documented (read from the route tables of the handlers)
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
        let mut routes = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for part in text.split(".route(\"").skip(1) {
                let route = part.split('"').next().unwrap();
                if route == "/openapi.json" {
                    continue;
                }
                routes += 1;
                assert!(paths.contains_key(&format!("/api/v1{route}")), "/api/v1{route} is served but not documented");
            }
        }
        assert!(routes >= 50 && operations.len() >= routes, "{routes} routes, {} operations", operations.len());
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
