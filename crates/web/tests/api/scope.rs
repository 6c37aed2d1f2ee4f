//! Areas, organizations and users: what each role sees and may change.

use axum::http::StatusCode;
use serde_json::json;

use super::common::{PASSWORD, with_demo};
use super::{field_message, field_names, get_ok, walk};

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
        let hub = id_of("南通市崇川爱德社会组织建设中心");

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
        let stored = {
            use sea_orm::{EntityTrait, PaginatorTrait};
            db::entity::user::Entity::find().count(&app.state.db).await.unwrap() as usize
        };
        assert!(stored >= 10, "the demo users");
        assert_eq!(everyone.len(), stored, "an administrator pages through every user ({})", app.backend);

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
