//! The field-delivery API around a person and a project: needs assessments by template, the
//! child risk grade, and volunteers with their teams and service time. Each endpoint: the happy
//! path (and its audit entry), bad input as 422 naming the field in Chinese, and a user of
//! another organization getting 404.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::{HEMEI, Res, TestApp, with_demo};
use db::Actor;
use serde_json::{Value, json};

/// A demo project of 和美 with its enrolled people loaded: (project id, a person id).
async fn hemei_project(app: &TestApp) -> (String, String) {
    db::demo_projects::load_people(&app.state.db, &app.state.keys, app.state.now_ms()).await.unwrap();
    let all =
        db::projects::list(&app.state.db, &Actor::system(), &Default::default(), &Default::default()).await.unwrap();
    let org = db::organizations::find_by_name(&app.state.db, HEMEI).await.unwrap().unwrap().id;
    for p in all.items.iter().filter(|p| p.organization_id == org && p.title.starts_with("示例·")) {
        let people = db::projects::people(&app.state.db, &Actor::system(), &p.id).await.unwrap();
        if let Some(e) = people.first() {
            return (p.id.clone(), e.person_id.clone());
        }
    }
    panic!("{}: no demo project of 和美 with people", app.backend);
}

/// An API token of a staff user of 邻里 (another organization).
async fn outsider_token(app: &TestApp) -> String {
    app.outsider("reg_api_outsider").await.1
}

fn ok(app: &TestApp, res: &Res, status: StatusCode, what: &str) -> Value {
    assert_eq!(res.status, status, "{} {what}: {}", app.backend, res.body);
    res.json()
}

/// The 422's field → message.
fn fields(app: &TestApp, res: &Res, what: &str) -> Vec<(String, String)> {
    let body = ok(app, res, StatusCode::UNPROCESSABLE_ENTITY, what);
    assert_eq!(body["error"]["code"], "validation", "{what}");
    body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string()))
        .collect()
}

fn message<'a>(list: &'a [(String, String)], field: &str) -> &'a str {
    list.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str()).unwrap_or_else(|| panic!("no {field} in {list:?}"))
}

/// The documented properties of a schema and the keys of a response object are the same.
async fn matches_schema(app: &TestApp, schema: &str, value: &Value) {
    let doc = app.api("GET", "/api/openapi.json", None, None).await.json();
    let documented: BTreeSet<&String> =
        doc["components"]["schemas"][schema]["properties"].as_object().unwrap().keys().collect();
    let returned: BTreeSet<&String> = value.as_object().unwrap().keys().collect();
    assert_eq!(documented, returned, "{schema}");
}

fn not_found(app: &TestApp, res: &Res, what: &str) {
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{} {what}: {}", app.backend, res.body);
    assert_eq!(res.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn assessments_are_recorded_by_template_and_scoped() {
    with_demo(|app| async move {
        let (_, person) = hemei_project(&app).await;
        let staff = app.token("orgstaff").await;

        // the templates, with every option's index and score
        let res = app.api("GET", "/api/v1/assessment-templates", Some(&staff), None).await;
        let list = ok(&app, &res, StatusCode::OK, "templates");
        let codes: Vec<&str> = list.as_array().unwrap().iter().map(|t| t["code"].as_str().unwrap()).collect();
        assert_eq!(codes.len(), db::assessments::templates::all().len());
        let t = list.as_array().unwrap().iter().find(|t| t["code"] == "capability").unwrap();
        let template = db::assessments::templates::get("capability").unwrap();
        assert_eq!(t["name"], template.name.as_str());
        assert_eq!(t["reassess_months"], template.reassess_months);
        assert_eq!(t["max_score"], template.max_score());
        assert!(!t["bands"].as_array().unwrap().is_empty() && t["bands"][0]["result"].is_string());
        let first = &t["sections"][0]["items"][0];
        assert!(first["code"].is_string() && first["name"].is_string());
        assert_eq!(first["options"][0]["index"], 0);
        assert!(first["options"][0]["score"].is_i64() && first["options"][0]["text"].is_string());
        matches_schema(&app, "AssessmentTemplate", t).await;
        matches_schema(&app, "TemplateItem", first).await;
        matches_schema(&app, "TemplateOption", &first["options"][0]).await;
        matches_schema(&app, "TemplateBand", &t["bands"][0]).await;
        let res = app.api("GET", "/api/v1/assessment-templates", None, None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);

        let base = format!("/api/v1/persons/{person}/assessments");
        let res = app.api("GET", &base, Some(&staff), None).await;
        assert_eq!(ok(&app, &res, StatusCode::OK, "history"), json!([]));

        // bad input: every problem named, nothing saved
        let mut answers = serde_json::Map::new();
        for i in template.items() {
            answers.insert(i.code.clone(), json!(0));
        }
        let missing_item = template.items().nth(1).unwrap();
        let mut partial = answers.clone();
        partial.remove(&missing_item.code);
        let res = app
            .api("POST", &base, Some(&staff), Some(json!({"template_code": "capability", "answers": partial})))
            .await;
        let errs = fields(&app, &res, "partial assessment");
        assert_eq!(message(&errs, &format!("answers.{}", missing_item.code)), format!("{}：请选择一项", missing_item.name));
        assert_eq!(message(&errs, "assessed_on"), "评估日期：不能为空");
        let res = app.api("POST", &base, Some(&staff), Some(json!({"template_code": "nope", "answers": {}}))).await;
        assert_eq!(message(&fields(&app, &res, "unknown template"), "template_code"), "评估表：请从列表中选择");
        let body = json!({"template_code": "capability", "answers": answers, "assessed_on": "2026-13-01"});
        let res = app.api("POST", &base, Some(&staff), Some(body)).await;
        assert!(message(&fields(&app, &res, "bad date"), "assessed_on").contains("字段 assessed_on"));
        let body = json!({"template_code": "capability", "answers": answers, "assessed_on": "2026-11-10", "next_on": "2026-11-01"});
        let res = app.api("POST", &base, Some(&staff), Some(body)).await;
        assert_eq!(message(&fields(&app, &res, "early next_on"), "next_on"), "复评日期：应晚于评估日期");
        assert_eq!(app.audit_count("assessment.create").await, 0);

        // the happy path: option indexes as numbers or strings, scored by the template
        let mut mixed = answers.clone();
        mixed.insert(missing_item.code.clone(), json!("0"));
        let body = json!({"template_code": "capability", "answers": mixed, "assessed_on": "2026-11-10"});
        let res = app.api("POST", &base, Some(&staff), Some(body.clone())).await;
        let a = ok(&app, &res, StatusCode::CREATED, "record");
        let expected: i32 =
            template.items().map(|i| db::assessments::templates::option_parts(&i.options[0]).0).sum();
        assert_eq!(a["score"], expected);
        assert_eq!(a["max_score"], template.max_score());
        assert_eq!(a["result"], template.band_of(expected).as_str());
        assert_eq!(a["template_name"], template.name.as_str());
        assert_eq!(a["assessed_on"], "2026-11-10");
        let next = chrono::NaiveDate::from_ymd_opt(2026, 11, 10)
            .unwrap()
            .checked_add_months(chrono::Months::new(template.reassess_months))
            .unwrap();
        assert_eq!(a["next_on"], next.to_string());
        assert_eq!(a["assessor_name"], "orgstaff");
        assert_eq!(a["answers"][&missing_item.code], missing_item.options[0].as_str());
        assert_eq!(app.audit_count("assessment.create").await, 1);
        matches_schema(&app, "Assessment", &a).await;
        let aid = a["id"].as_str().unwrap();

        let res = app.api("GET", &base, Some(&staff), None).await;
        let history = ok(&app, &res, StatusCode::OK, "history");
        assert_eq!(history.as_array().unwrap().len(), 1);
        assert_eq!(history[0]["id"], aid);
        let res = app.api("GET", &format!("{base}/{aid}"), Some(&staff), None).await;
        assert_eq!(ok(&app, &res, StatusCode::OK, "one"), a);
        not_found(&app, &app.api("GET", &format!("{base}/no-such-assessment"), Some(&staff), None).await, "unknown");

        // another organization: the person does not exist for it
        let other = outsider_token(&app).await;
        not_found(&app, &app.api("GET", &base, Some(&other), None).await, "outsider history");
        not_found(&app, &app.api("GET", &format!("{base}/{aid}"), Some(&other), None).await, "outsider one");
        not_found(&app, &app.api("POST", &base, Some(&other), Some(body)).await, "outsider record");
        let res = app.api("POST", &base, Some(&other), Some(json!({"template_code": "nope"}))).await;
        not_found(&app, &res, "outsider bad record");
        assert_eq!(app.audit_count("assessment.create").await, 1);
        app
    })
    .await;
}

#[tokio::test]
async fn risk_grades_are_set_with_date_and_author_and_scoped() {
    with_demo(|app| async move {
        use domain::delivery::{RiskInputs, RiskLevel, RiskTable, grade};
        let (_, person) = hemei_project(&app).await;
        let staff = app.token("orgstaff").await;
        let base = format!("/api/v1/persons/{person}/risk-grades");
        let res = app.api("GET", &base, Some(&staff), None).await;
        assert_eq!(ok(&app, &res, StatusCode::OK, "history"), json!([]));

        let bad = json!({"guardianship": "extreme", "behaviour": "none", "physiological": "low"});
        let errs = fields(&app, &app.api("POST", &base, Some(&staff), Some(bad)).await, "bad grade");
        assert!(message(&errs, "guardianship").starts_with("监护风险："), "{errs:?}");
        assert_eq!(message(&errs, "set_on"), "评定日期：不能为空");
        assert_eq!(errs.len(), 2, "{errs:?}");
        let bad = json!({"guardianship": "high", "behaviour": "none", "physiological": "low", "set_on": "20-11-2026"});
        let errs = fields(&app, &app.api("POST", &base, Some(&staff), Some(bad)).await, "bad date");
        assert!(message(&errs, "set_on").contains("字段 set_on"), "{errs:?}");
        assert_eq!(app.audit_count("risk_grade.set").await, 0);

        let body = json!({"guardianship": "high", "behaviour": "none", "physiological": "low", "set_on": "2026-11-01"});
        let res = app.api("POST", &base, Some(&staff), Some(body.clone())).await;
        let g = ok(&app, &res, StatusCode::CREATED, "set");
        let inputs =
            RiskInputs { guardianship: RiskLevel::High, behaviour: RiskLevel::NoRisk, physiological: RiskLevel::Low };
        let (expected, reason) = grade(&RiskTable::chongchuan_default(), &inputs);
        assert_eq!(g["grade"], serde_json::to_value(expected).unwrap());
        assert_eq!(g["grade_label"], expected.label());
        assert_eq!(g["reason"], reason.as_str());
        assert_eq!(g["set_on"], "2026-11-01");
        assert_eq!(g["set_by_name"], "orgstaff");
        matches_schema(&app, "RiskGrade", &g).await;
        assert_eq!(g["inputs"], json!({"guardianship": "high", "behaviour": "none", "physiological": "low"}));
        // the Chinese level words are accepted too; the later date comes first
        let body2 = json!({"guardianship": "无", "behaviour": "无", "physiological": "无", "set_on": "2026-11-20"});
        let res = app.api("POST", &base, Some(&staff), Some(body2)).await;
        let g2 = ok(&app, &res, StatusCode::CREATED, "set again");
        assert_eq!(g2["inputs"]["behaviour"], "none");
        assert_eq!(app.audit_count("risk_grade.set").await, 2);
        let res = app.api("GET", &base, Some(&staff), None).await;
        let history = ok(&app, &res, StatusCode::OK, "history");
        let ids: Vec<&Value> = history.as_array().unwrap().iter().map(|x| &x["id"]).collect();
        assert_eq!(ids, [&g2["id"], &g["id"]]);

        let other = outsider_token(&app).await;
        not_found(&app, &app.api("GET", &base, Some(&other), None).await, "outsider history");
        not_found(&app, &app.api("POST", &base, Some(&other), Some(body)).await, "outsider set");
        not_found(&app, &app.api("POST", &base, Some(&other), Some(json!({}))).await, "outsider bad set");
        assert_eq!(app.audit_count("risk_grade.set").await, 2);
        app
    })
    .await;
}

#[tokio::test]
async fn volunteers_teams_and_hours_with_masked_phones_and_scope() {
    with_demo(|app| async move {
        let (project, person) = hemei_project(&app).await;
        let staff = app.token("orgstaff").await;
        let base = format!("/api/v1/projects/{project}");

        // teams
        let res = app.api("POST", &format!("{base}/volunteer-teams"), Some(&staff), Some(json!({"name": " "}))).await;
        assert!(message(&fields(&app, &res, "empty team"), "name").starts_with("志愿服务队名称"));
        let res = app
            .api("POST", &format!("{base}/volunteer-teams"), Some(&staff), Some(json!({"name": "示例·青年志愿服务队"})))
            .await;
        let team = ok(&app, &res, StatusCode::CREATED, "team");
        assert_eq!(team["name"], "示例·青年志愿服务队");
        matches_schema(&app, "TeamView", &team).await;
        let team_id = team["id"].as_str().unwrap().to_string();
        let res = app.api("GET", &format!("{base}/volunteer-teams"), Some(&staff), None).await;
        let teams = ok(&app, &res, StatusCode::OK, "teams");
        assert!(teams.as_array().unwrap().iter().any(|t| t["id"] == team_id.as_str()));
        assert_eq!(app.audit_count("volunteer_team.create").await, 1);

        // a volunteer: bad input named, then registered with the phone masked
        let bad = json!({"name": "", "phone": "12345", "team_id": "no-such-team", "person_ids": ["no-such-person"]});
        let errs = fields(&app, &app.api("POST", &format!("{base}/volunteers"), Some(&staff), Some(bad)).await, "bad");
        assert!(message(&errs, "name").starts_with("姓名"), "{errs:?}");
        assert!(!message(&errs, "phone").is_empty());
        assert_eq!(message(&errs, "team_id"), "志愿服务队：不是本项目的服务队");
        assert!(message(&errs, "person_ids").contains("结对服务对象"), "{errs:?}");
        let res = app.api("POST", &format!("{base}/volunteers"), Some(&staff), Some(json!({"name": ["x"]}))).await;
        assert_eq!(fields(&app, &res, "wrong type")[0].0, "name");
        assert_eq!(app.audit_count("volunteer.create").await, 0);
        let body = json!({"name": "示例·志愿者甲", "phone": "13812345678", "team_id": team_id, "person_ids": [person]});
        let res = app.api("POST", &format!("{base}/volunteers"), Some(&staff), Some(body.clone())).await;
        assert!(!res.body.contains("13812345678"), "the full phone never leaves: {}", res.body);
        let v = ok(&app, &res, StatusCode::CREATED, "volunteer");
        assert_eq!(v["phone_masked"], "138****5678");
        assert_eq!(v["team_name"], "示例·青年志愿服务队");
        assert_eq!(v["paired"][0]["id"], person.as_str());
        assert_eq!(v["minutes"], 0);
        matches_schema(&app, "VolunteerView", &v).await;
        let vid = v["id"].as_str().unwrap().to_string();
        assert_eq!(app.audit_count("volunteer.create").await, 1);
        let res =
            app.api("POST", &format!("{base}/volunteers"), Some(&staff), Some(json!({"name": "示例·志愿者乙"}))).await;
        let solo = ok(&app, &res, StatusCode::CREATED, "volunteer without team");
        assert!(solo["phone_masked"].is_null());

        let res = app.api("GET", &format!("{base}/volunteers?limit=1"), Some(&staff), None).await;
        let page = ok(&app, &res, StatusCode::OK, "list");
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        assert!(page["next_cursor"].is_string());
        let res = app.api("GET", &format!("{base}/volunteers?team_id={team_id}"), Some(&staff), None).await;
        assert!(!res.body.contains("13812345678"));
        let page = ok(&app, &res, StatusCode::OK, "team list");
        let ids: Vec<&str> = page["items"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [vid.as_str()]);
        let res = app.api("GET", &format!("{base}/volunteers?limit=x"), Some(&staff), None).await;
        assert!(message(&fields(&app, &res, "bad limit"), "limit").starts_with("查询参数：字段 limit"));

        // service time
        let hours = format!("{base}/volunteers/{vid}/hours");
        let errs = fields(&app, &app.api("POST", &hours, Some(&staff), Some(json!({"minutes": 0}))).await, "bad hours");
        assert_eq!(message(&errs, "served_on"), "服务日期：请填写日期");
        assert_eq!(message(&errs, "minutes"), "服务时长（分钟）：应大于0");
        let body_h = json!({"served_on": "2099-01-01", "minutes": 30});
        let errs = fields(&app, &app.api("POST", &hours, Some(&staff), Some(body_h)).await, "future hours");
        assert_eq!(message(&errs, "served_on"), "服务日期：不能晚于今天");
        let today = db::visits::local_date(app.state.now_ms()).to_string();
        let body_h = json!({"served_on": today, "minutes": 90, "notes": "陪伴老人"});
        let res = app.api("POST", &hours, Some(&staff), Some(body_h.clone())).await;
        let h = ok(&app, &res, StatusCode::CREATED, "hours");
        assert_eq!(h["minutes"], 90);
        matches_schema(&app, "HoursView", &h).await;
        assert_eq!(h["volunteer_id"], vid.as_str());
        assert_eq!(app.audit_count("volunteer.hours").await, 1);
        let res = app.api("GET", &format!("{base}/volunteers/{vid}"), Some(&staff), None).await;
        assert!(!res.body.contains("13812345678"));
        let d = ok(&app, &res, StatusCode::OK, "one");
        assert_eq!(d["phone_masked"], "138****5678");
        assert_eq!(d["minutes"], 90);
        matches_schema(&app, "VolunteerDetail", &d).await;
        assert_eq!(d["hours"][0]["notes"], "陪伴老人");
        not_found(
            &app,
            &app.api("GET", &format!("{base}/volunteers/no-such-one"), Some(&staff), None).await,
            "unknown",
        );

        // another organization: the project does not exist for it
        let other = outsider_token(&app).await;
        for path in
            [format!("{base}/volunteers"), format!("{base}/volunteers/{vid}"), format!("{base}/volunteer-teams")]
        {
            not_found(&app, &app.api("GET", &path, Some(&other), None).await, &path);
        }
        not_found(&app, &app.api("POST", &format!("{base}/volunteers"), Some(&other), Some(body)).await, "new");
        not_found(&app, &app.api("POST", &hours, Some(&other), Some(body_h)).await, "hours");
        let res =
            app.api("POST", &format!("{base}/volunteer-teams"), Some(&other), Some(json!({"name": "示例·外队"}))).await;
        not_found(&app, &res, "team");
        let res = app.api("POST", &hours, Some(&other), Some(json!({"minutes": 0}))).await;
        not_found(&app, &res, "bad hours");
        assert_eq!(app.audit_count("volunteer.create").await, 2);
        assert_eq!(app.audit_count("volunteer.hours").await, 1);
        assert_eq!(app.audit_count("volunteer_team.create").await, 1);
        app
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_describes_the_registry_endpoints() {
    with_demo(|app| async move {
        let doc = app.api("GET", "/api/openapi.json", None, None).await.json();
        let paths = &doc["paths"];
        for (path, methods) in [
            ("/api/v1/assessment-templates", &["get"][..]),
            ("/api/v1/persons/{id}/assessments", &["get", "post"]),
            ("/api/v1/persons/{id}/assessments/{aid}", &["get"]),
            ("/api/v1/persons/{id}/risk-grades", &["get", "post"]),
            ("/api/v1/projects/{id}/volunteers", &["get", "post"]),
            ("/api/v1/projects/{id}/volunteers/{vid}", &["get"]),
            ("/api/v1/projects/{id}/volunteers/{vid}/hours", &["post"]),
            ("/api/v1/projects/{id}/volunteer-teams", &["get", "post"]),
        ] {
            for m in methods {
                assert!(paths[path][m].is_object(), "openapi lacks {m} {path}");
            }
        }
        let schemas = &doc["components"]["schemas"];
        for s in ["AssessmentTemplate", "Assessment", "AssessmentBody", "RiskGrade", "RiskGradeBody", "VolunteerDetail"]
        {
            assert!(schemas[s].is_object(), "openapi lacks schema {s}");
        }
        let volunteer = schemas["VolunteerView"]["properties"].as_object().unwrap();
        assert!(volunteer.contains_key("phone_masked") && !volunteer.contains_key("phone"));
        app
    })
    .await;
}
