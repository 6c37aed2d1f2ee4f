//! Admin pages for organizations, users, areas, the audit log and the holiday calendar: what
//! each role sees and may change, forms that keep the input and name the field on an error.
// a failed lookup in a test helper is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{Browser, HEMEI, LINLI, TestApp, with_demo};

/// The id of a demo organization by name.
async fn org_id(app: &TestApp, name: &str) -> String {
    db::organizations::find_by_name(&app.state.db, name)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no organization {name}"))
        .id
}

/// The id of a user by user name.
async fn user_id(app: &TestApp, username: &str) -> Option<String> {
    let filter = db::users::UserFilter { q: Some(username.to_string()), role: None };
    db::users::list(&app.state.db, &db::Actor::system(), &filter, &Default::default(), 0)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|u| u.username == username)
        .map(|u| u.id)
}

async fn status(app: &TestApp, path: &str, b: &Browser) -> StatusCode {
    app.get(path, Some(b)).await.status
}

#[tokio::test]
async fn organization_list_is_scoped_by_role() {
    with_demo(|app| async move {
        let admin = app.login("admin").await;
        let res = app.get("/admin/organizations", Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK);
        for name in [HEMEI, LINLI, "杭州市民政局", "示例·房山区阳光社会工作事务所"] {
            assert!(res.body.contains(name), "admin sees {name}");
        }
        assert!(res.body.contains("4A"), "ratings shown");
        assert!(res.body.contains("/admin/organizations/new"), "admin may create");

        let filtered = app.get("/admin/organizations?q=邻里&kind=social_org", Some(&admin)).await;
        assert!(filtered.body.contains(LINLI));
        assert!(!filtered.body.contains(HEMEI), "name filter applies");
        let by_area = app.get("/admin/organizations?area_code=110111", Some(&admin)).await;
        assert!(by_area.body.contains("示例·房山区阳光社会工作事务所"));
        assert!(!by_area.body.contains(HEMEI), "area filter applies");

        let orgadmin = app.login("orgadmin").await;
        let res = app.get("/admin/organizations", Some(&orgadmin)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains(HEMEI));
        assert!(!res.body.contains(LINLI), "an organization sees only itself");
        assert!(!res.body.contains("/admin/organizations/new"), "no New button");

        let anonymous = app.get("/admin/organizations", None).await;
        assert_eq!(anonymous.location(), "/login", "log in first");

        let street = app.login("street").await;
        let res = app.get("/admin/organizations", Some(&street)).await;
        assert!(res.body.contains(HEMEI), "和美 is in the street 320613002");
        assert!(!res.body.contains(LINLI), "邻里 is in another street");
        app
    })
    .await;
}

#[tokio::test]
async fn organization_detail_shows_staff_and_inspections_within_scope_only() {
    with_demo(|app| async move {
        let hemei = org_id(&app, HEMEI).await;
        let linli = org_id(&app, LINLI).await;
        let orgadmin = app.login("orgadmin").await;
        let res = app.get(&format!("/admin/organizations/{hemei}"), Some(&orgadmin)).await;
        assert_eq!(res.status, StatusCode::OK);
        for text in ["示例·李晓", "社会工作师", "示例-SW-0001", "2021", "合格", "和平桥街道", "4A"] {
            assert!(res.body.contains(text), "detail shows {text}");
        }
        assert!(res.body.contains("data-confirm"), "removing staff asks first");
        assert!(!res.body.contains("/inspections\""), "an organization does not grade itself");
        let other = format!("/admin/organizations/{linli}");
        assert_eq!(status(&app, &other, &orgadmin).await, StatusCode::NOT_FOUND);
        assert_eq!(status(&app, &format!("{other}/edit"), &orgadmin).await, StatusCode::NOT_FOUND);
        assert_eq!(status(&app, "/admin/organizations/new", &orgadmin).await, StatusCode::FORBIDDEN);

        let street = app.login("street").await;
        assert_eq!(status(&app, &other, &street).await, StatusCode::NOT_FOUND);
        let res = app.get(&format!("/admin/organizations/{hemei}"), Some(&street)).await;
        assert_eq!(res.status, StatusCode::OK, "the street reads 和美");
        assert!(!res.body.contains("/staff\""), "but cannot change its staff");
        let edit = format!("/admin/organizations/{hemei}/edit");
        assert_eq!(status(&app, &edit, &street).await, StatusCode::FORBIDDEN);
        app
    })
    .await;
}

#[tokio::test]
async fn a_bad_uscc_is_refused_naming_the_field_and_a_good_one_is_created_and_audited() {
    with_demo(|app| async move {
        let funder = app.login("funder").await;
        assert_eq!(status(&app, "/admin/organizations/new", &funder).await, StatusCode::OK);
        let fields = |uscc: &'static str| {
            vec![
                ("kind", "social_org"),
                ("name", "示例·崇川区新芽社会工作服务中心"),
                ("uscc", uscc),
                ("registered_on", "2024-03-01"),
                ("area_code", "320613003"),
                ("address", "崇川区示例路99号"),
            ]
        };
        let res = app.post_form("/admin/organizations/new", Some(&funder), &fields("91350100M000100Y44")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("统一社会信用代码"), "{}", res.body);
        assert!(res.body.contains("校验位"));
        assert!(res.body.contains("崇川区示例路99号"), "the typed address is kept");
        assert!(res.body.contains("value=\"2024-03-01\""), "the typed date is kept");
        let none = db::organizations::find_by_name(&app.state.db, "示例·崇川区新芽社会工作服务中心").await.unwrap();
        assert!(none.is_none(), "nothing created");

        let res = app.post_form("/admin/organizations/new", Some(&funder), &fields("91350100M000100Y43")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(res.location().ends_with("?ok=created"));
        let page = app.get(res.location(), Some(&funder)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("示例·崇川区新芽社会工作服务中心"));
        assert!(page.body.contains("91350100M000100Y43"));
        assert!(page.body.contains("已创建"));

        // outside the funder's area: refused with the field named
        let mut outside = fields("");
        outside[1].1 = "示例·房山区某服务社";
        outside[4].1 = "110111001";
        outside[0].1 = "operator";
        let res = app.post_form("/admin/organizations/new", Some(&funder), &outside).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("超出您的管辖范围"));

        let admin = app.login("admin").await;
        let audit = app.get("/admin/audit", Some(&admin)).await;
        assert_eq!(audit.status, StatusCode::OK);
        assert!(audit.body.contains("organization.create"));
        let mine = app.get("/admin/audit?actor=funder&action=organization.create", Some(&admin)).await;
        assert!(mine.body.contains("91350100M000100Y43"), "the new record is in the entry");
        assert!(mine.body.contains("2026-11-22 10:00:00"), "time in Asia/Shanghai");
        let none = app.get("/admin/audit?actor=nobody", Some(&admin)).await;
        assert!(!none.body.contains("organization.create</code>"));
        app
    })
    .await;
}

#[tokio::test]
async fn a_forged_form_is_refused() {
    with_demo(|app| async move {
        let funder = app.login("funder").await;
        let res = app
            .post_form(
                "/admin/organizations/new",
                Some(&funder),
                &[("_csrf", "forged"), ("kind", "funder"), ("name", "示例·伪造")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(db::organizations::find_by_name(&app.state.db, "示例·伪造").await.unwrap().is_none());
        app
    })
    .await;
}

#[tokio::test]
async fn an_organization_keeps_its_own_profile_and_staff() {
    with_demo(|app| async move {
        let hemei = org_id(&app, HEMEI).await;
        let orgadmin = app.login("orgadmin").await;
        let edit = format!("/admin/organizations/{hemei}/edit");
        let form = app.get(&edit, Some(&orgadmin)).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("崇川区和平桥街道示例社区服务中心二楼"), "current values filled in");
        assert!(!form.body.contains("name=\"kind\""), "kind is the funder's to set");
        assert!(!form.body.contains("name=\"rating\""), "rating is the funder's to set");
        assert!(!form.body.contains("name=\"blacklisted\""), "listings are the funder's to set");

        let res = app
            .post_form(
                &edit,
                Some(&orgadmin),
                &[
                    ("name", HEMEI),
                    ("uscc", ""),
                    ("address", "崇川区和平桥街道示例路2号"),
                    ("kind", "funder"),
                    ("rating", "5"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "a social organization needs its USCC");
        assert!(res.body.contains("社会组织必须填写"));
        assert!(res.body.contains("崇川区和平桥街道示例路2号"), "input kept");

        let uscc = db::organizations::find_by_name(&app.state.db, HEMEI).await.unwrap().unwrap().uscc.unwrap();
        let res = app
            .post_form(
                &edit,
                Some(&orgadmin),
                &[
                    ("name", HEMEI),
                    ("uscc", &uscc),
                    ("address", "崇川区和平桥街道示例路2号"),
                    ("kind", "funder"),
                    ("rating", "5"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = app.get(res.location(), Some(&orgadmin)).await;
        assert!(page.body.contains("崇川区和平桥街道示例路2号"));
        assert!(page.body.contains("已保存"));
        let org = db::organizations::find_by_name(&app.state.db, HEMEI).await.unwrap().unwrap();
        assert_eq!((org.kind.as_str(), org.rating), ("social_org", Some(4)), "kind and rating unchanged");

        // staff: a certified member needs the certificate number
        let staff = format!("/admin/organizations/{hemei}/staff");
        let res = app
            .post_form(
                &staff,
                Some(&orgadmin),
                &[("name", "示例·周新"), ("certificate_level", "assistant"), ("certificate_no", "")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("证书编号"));
        assert!(res.body.contains("示例·周新"), "the typed name is kept");
        let res = app
            .post_form(
                &staff,
                Some(&orgadmin),
                &[
                    ("name", "示例·周新"),
                    ("position", "社工"),
                    ("certificate_level", "assistant"),
                    ("certificate_no", "示例-ASW-9"),
                    ("full_time", "on"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let members = db::organizations::staff(&app.state.db, &db::Actor::system(), &hemei).await.unwrap();
        let added = members.iter().find(|s| s.name == "示例·周新").expect("added");
        assert!(added.full_time);
        let page = app.get(&format!("/admin/organizations/{hemei}"), Some(&orgadmin)).await;
        assert!(page.body.contains("示例-ASW-9"));
        let res = app.post_form(&format!("{staff}/{}/delete", added.id), Some(&orgadmin), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = app.get(&format!("/admin/organizations/{hemei}"), Some(&orgadmin)).await;
        assert!(!page.body.contains("示例-ASW-9"), "removed");

        // inspections are the funder's
        let inspections = format!("/admin/organizations/{hemei}/inspections");
        let res = app.post_form(&inspections, Some(&orgadmin), &[("year", "2022"), ("passed", "1")]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let orgstaff = app.login("orgstaff").await;
        assert_eq!(status(&app, &edit, &orgstaff).await, StatusCode::FORBIDDEN, "staff only read");
        let funder = app.login("funder").await;
        let res = app.post_form(&inspections, Some(&funder), &[("year", "22"), ("passed", "0")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("四位年份"));
        let res = app
            .post_form(&inspections, Some(&funder), &[("year", "2022"), ("passed", "0"), ("note", "示例·材料不全")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = app.get(&format!("/admin/organizations/{hemei}"), Some(&funder)).await;
        assert!(page.body.contains("示例·材料不全"));
        assert!(page.body.contains("不合格"));
        app
    })
    .await;
}

#[tokio::test]
async fn only_managers_reach_users_and_only_the_administrator_audit_and_calendar() {
    with_demo(|app| async move {
        let orgadmin = app.login("orgadmin").await;
        for path in ["/admin/users", "/admin/users/new", "/admin/audit", "/admin/calendar", "/admin/areas"] {
            let res = app.get(path, Some(&orgadmin)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "orgadmin {path}");
            assert!(res.body.contains("没有权限"));
        }
        let street_id = user_id(&app, "street").await.unwrap();
        let edit = format!("/admin/users/{street_id}/edit");
        assert_eq!(status(&app, &edit, &orgadmin).await, StatusCode::FORBIDDEN);
        let funder = app.login("funder").await;
        assert_eq!(status(&app, "/admin/audit", &funder).await, StatusCode::FORBIDDEN);
        assert_eq!(status(&app, "/admin/calendar", &funder).await, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/admin/users", None).await.status, StatusCode::SEE_OTHER, "login first");

        let admin = app.login("admin").await;
        let res = app.get("/admin/users", Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK);
        for name in ["示例·评审专家", "示例·和美社工 管理员", "示例·和平桥街道 社工站"] {
            assert!(res.body.contains(name), "admin sees {name}");
        }
        assert!(res.body.contains("街道/社区工作人员"), "roles translated");
        let reviewers = app.get("/admin/users?role=reviewer", Some(&admin)).await;
        assert!(reviewers.body.contains("示例·评审专家"));
        assert!(!reviewers.body.contains("示例·和平桥街道 社工站"), "role filter applies");
        let form = app.get("/admin/users/new", Some(&admin)).await;
        assert!(form.body.contains("value=\"sys_admin\""), "the administrator may grant administrator");
        app
    })
    .await;
}

#[tokio::test]
async fn a_funder_manages_users_within_its_area() {
    with_demo(|app| async move {
        let funder = app.login("funder").await;
        let res = app.get("/admin/users", Some(&funder)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("示例·和平桥街道 社工站"), "a user in the area");
        assert!(!res.body.contains("示例·评审专家"), "a user outside the area");
        let form = app.get("/admin/users/new", Some(&funder)).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(!form.body.contains("value=\"sys_admin\""), "only the administrator grants that role");
        assert!(form.body.contains(HEMEI), "organizations in the area to choose from");
        assert!(!form.body.contains("示例·房山区阳光社会工作事务所"));

        let fields = |area: &'static str| {
            vec![
                ("username", "renggang"),
                ("display_name", "示例·任港街道 社工站"),
                ("role", "area_officer"),
                ("organization_id", ""),
                ("area_code", area),
                ("password", "Renggang-2026"),
                ("active", "on"),
            ]
        };
        let res = app.post_form("/admin/users/new", Some(&funder), &fields("110111")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("超出您的管辖范围"));
        assert!(res.body.contains("示例·任港街道 社工站"), "input kept");
        assert!(user_id(&app, "renggang").await.is_none(), "nothing created");

        let res = app.post_form("/admin/users/new", Some(&funder), &fields("320613003")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let list = app.get(res.location(), Some(&funder)).await;
        assert!(list.body.contains("renggang"));
        assert!(list.body.contains("任港街道"), "area named");
        let id = user_id(&app, "renggang").await.unwrap();
        let edit = format!("/admin/users/{id}/edit");
        assert_eq!(status(&app, &edit, &funder).await, StatusCode::OK);
        let mut changed = fields("320613003");
        changed[1].1 = "示例·任港街道 社工站站长";
        changed[5].1 = "";
        changed.pop(); // unticked: disabled
        let res = app.post_form(&edit, Some(&funder), &changed).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let list = app.get("/admin/users?q=renggang", Some(&funder)).await;
        assert!(list.body.contains("示例·任港街道 社工站站长"));
        assert!(list.body.contains("停用"));
        let reviewer_id = user_id(&app, "reviewer").await.unwrap();
        let outside = format!("/admin/users/{reviewer_id}/edit");
        assert_eq!(status(&app, &outside, &funder).await, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test]
async fn areas_are_browsed_added_and_renamed_within_scope() {
    with_demo(|app| async move {
        let funder = app.login("funder").await;
        let top = app.get("/admin/areas", Some(&funder)).await;
        assert_eq!(top.status, StatusCode::OK);
        assert!(top.body.contains("江苏省"));
        assert!(!top.body.contains("/admin/areas/32/rename"), "a province is outside the funder's area");
        let county = app.get("/admin/areas?parent=320613", Some(&funder)).await;
        assert!(county.body.contains("和平桥街道"));
        assert!(county.body.contains("南通市"), "breadcrumb path");
        assert!(county.body.contains("/admin/areas/320613002/rename"));

        let res =
            app.post_form("/admin/areas", Some(&funder), &[("code", "320613002999"), ("name", "示例·新建社区")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let street = app.get(res.location(), Some(&funder)).await;
        assert!(street.body.contains("示例·新建社区"));
        assert!(street.body.contains("已创建"));
        let res =
            app.post_form("/admin/areas", Some(&funder), &[("code", "110111001999"), ("name", "示例·房山社区")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("超出您的管辖范围"), "{}", res.body);
        assert!(res.body.contains("示例·房山社区"), "input kept");

        let rename = "/admin/areas/320613002999/rename";
        let res = app.post_form(rename, Some(&funder), &[("name", "示例·改名社区")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let street = app.get("/admin/areas?parent=320613002", Some(&funder)).await;
        assert!(street.body.contains("示例·改名社区"));
        let res = app.post_form(rename, Some(&funder), &[("name", " ")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("名称：不能为空"));
        let res = app.post_form("/admin/areas/110111001/rename", Some(&funder), &[("name", "x")]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(status(&app, "/admin/areas?parent=999999", &funder).await, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test]
async fn the_calendar_computes_notice_periods_and_takes_a_new_year() {
    with_demo(|app| async move {
        let admin = app.login("admin").await;
        let res = app.get("/admin/calendar", Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("2026") && res.body.contains("春节"), "stored years listed");

        // 春节 2024: 02-10..02-17 off, Sunday 02-18 a make-up workday
        let res = app.get("/admin/calendar?published=2024-02-08&working_days=3&days=", Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("<strong>2024-02-09</strong>"), "first day");
        assert!(res.body.contains("<strong>2024-02-19</strong>"), "last day");
        let res = app.get("/admin/calendar?published=2026-12-25&working_days=5", Some(&admin)).await;
        assert!(res.body.contains("2027年的节假日安排尚未录入"), "{}", res.body);
        let res = app.get("/admin/calendar?published=2024-02-08&working_days=3&days=7", Some(&admin)).await;
        assert!(res.body.contains("只填写一项"));

        let bad = "[[year]]\nyear = 2027\nholidays = [ { name = \"元旦\", from = \"2027-01-03\", to = \"2027-01-01\" } ]\n";
        let res = app.post_form("/admin/calendar", Some(&admin), &[("toml", bad)]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("晚于结束日期"), "{}", res.body);
        assert!(res.body.contains("2027-01-03"), "the pasted text is kept");
        let res = app.post_form("/admin/calendar", Some(&admin), &[("toml", "year = ")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("日历数据格式不正确"));

        let good = "[[year]]\nyear = 2027\nsource = \"示例\"\nholidays = [ { name = \"元旦\", from = \"2027-01-01\", to = \"2027-01-03\" } ]\nworkdays = []\n";
        let res = app.post_form("/admin/calendar", Some(&admin), &[("toml", good)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let res = app.get("/admin/calendar?published=2026-12-25&working_days=5", Some(&admin)).await;
        assert!(!res.body.contains("尚未录入"));
        // 12-28..12-31 then 01-01..01-03 off: the fifth working day is Monday 01-04
        assert!(res.body.contains("<strong>2027-01-04</strong>"), "{}", res.body);
        let audit = app.get("/admin/audit?action=calendar.save_year", Some(&admin)).await;
        assert!(audit.body.contains("calendar.save_year"));
        app
    })
    .await;
}

#[tokio::test]
async fn admin_pages_read_in_english() {
    with_demo(|app| async move {
        let admin = app.login("admin").await;
        let res = app.get("/lang/en", Some(&admin)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        for (path, text) in [
            ("/admin/organizations", "Unified social credit code"),
            ("/admin/users", "User name"),
            ("/admin/areas", "Division code"),
            ("/admin/audit", "Record type"),
            ("/admin/calendar", "Make-up workdays"),
        ] {
            let res = app.get(path, Some(&admin)).await;
            assert_eq!(res.status, StatusCode::OK, "{path}");
            assert!(res.body.contains(text), "{path} in English");
        }
        app
    })
    .await;
}

#[tokio::test]
async fn long_lists_page_and_keep_their_filters() {
    with_demo(|app| async move {
        for i in 0..55 {
            let input = db::organizations::OrganizationInput {
                kind: "co_funder".into(),
                name: format!("示例·分页单位{i:02}"),
                area_code: Some("320613".into()),
                ..Default::default()
            };
            db::organizations::create(&app.state.db, &db::Actor::system(), &input, 0).await.unwrap();
        }
        let admin = app.login("admin").await;
        let first = app.get("/admin/organizations?q=分页单位", Some(&admin)).await;
        assert_eq!(first.body.matches("示例·分页单位").count(), 50, "a page holds 50");
        let next = first.body.split("class=\"pager\"><a class=\"button\" href=\"").nth(1).unwrap();
        let next = next.split('"').next().unwrap().replace("&#38;", "&").replace("&amp;", "&");
        assert!(next.contains("after="), "{next}");
        let second = app.get(&next, Some(&admin)).await;
        assert_eq!(second.status, StatusCode::OK);
        assert_eq!(second.body.matches("示例·分页单位").count(), 5, "the filter is kept on the next page: {next}");
        assert!(!second.body.contains("class=\"pager\""), "the last page");
        app
    })
    .await;
}
