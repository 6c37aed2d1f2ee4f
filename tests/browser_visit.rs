#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A home visit verified by the service card, in headless chromium at phone width: the
//! project team prints a person's card, the field worker opens the card's URL (what scanning the
//! QR code does), the browser reports a (mocked) location, one tap saves the visit, and the
//! project page's visit count rises.

mod support;

use std::sync::Arc;

use fantoccini::{Client, Locator};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use support::*;

/// The home visits the project page counts under its visit output ("已记录上门探访N次"), which
/// links to the visits behind it.
async fn visit_count(c: &Client, base: &str, project: &str) -> u64 {
    let text = open(c, base, &format!("/projects/{project}"), "已记录上门探访").await;
    find(c, Locator::Css("a.num[href*='/visits']")).await;
    let after = text.split("已记录上门探访").nth(1).unwrap();
    after.chars().take_while(|ch| ch.is_ascii_digit()).collect::<String>().parse().unwrap_or_else(|_| panic!("{text}"))
}

#[tokio::test]
async fn scanning_a_card_on_a_phone_records_a_visit_that_counts() {
    let Some(driver) = driver_or_skip() else { return };
    let g = start_gongyi_at(Arc::new(domain::clock::SystemClock), "visit").await;
    let (_guard, c) = start_browser(&driver).await;
    let base = g.base.as_str();

    // the Hangzhou elder-visit project of the demo and one of its elders
    let hangzhou = db::programs::get(&g.db, None, "hangzhou-2021").await.unwrap();
    let project = db::entity::project::Entity::find()
        .filter(db::entity::project::Column::ProgramId.eq(hangzhou.id.as_str()))
        .order_by_asc(db::entity::project::Column::Id)
        .one(&g.db)
        .await
        .unwrap()
        .expect("a demo project of the Hangzhou program");
    let enrolment = db::entity::project_person::Entity::find()
        .filter(db::entity::project_person::Column::ProjectId.eq(project.id.as_str()))
        .order_by_asc(db::entity::project_person::Column::Id)
        .one(&g.db)
        .await
        .unwrap()
        .expect("demo people");

    // the worker's team prints the card (the worker is a member of this project): its QR code
    // holds only a URL
    login(&c, base, "worker").await;
    open(&c, base, &format!("/projects/{}/people/{}/card", project.id, enrolment.id), "投诉").await;
    let url = find(&c, Locator::Css(".svc-card .url")).await.text().await.unwrap();
    let path = &url[url.find("/c/").expect("a card URL")..];
    assert!(!path.contains(&enrolment.person_id), "no personal data in the card URL");

    // the field worker scans it
    let before = visit_count(&c, base, &project.id).await;
    c.goto(&format!("{base}{path}")).await.unwrap();
    wait_for(&c, "确认探访").await;
    // the phone's location, mocked (headless chromium has none): the page asks again at the tap
    c.execute(
        "Object.defineProperty(navigator, 'geolocation', { value: { getCurrentPosition: function (ok) {
            ok({ coords: { latitude: 30.274100, longitude: 120.155100, accuracy: 12 } }); } } });",
        vec![],
    )
    .await
    .unwrap();
    assert!(fits_phone(&c).await <= 0, "the check-in page fits a 360-px screen");
    click(&c, Locator::Css("button.primary.big")).await;
    wait_for(&c, "探访已记录").await;

    let after = visit_count(&c, base, &project.id).await;
    assert_eq!(after, before + 1, "the project page counts the new visit");
    let visit = db::entity::visit::Entity::find()
        .filter(db::entity::visit::Column::ProjectPersonId.eq(enrolment.id.as_str()))
        .order_by_desc(db::entity::visit::Column::Id)
        .one(&g.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((visit.lat_e6, visit.lng_e6), (Some(30_274_100), Some(120_155_100)), "the location was recorded");
    assert_eq!(visit.channel, "home");

    c.close().await.ok();
    let _ = std::fs::remove_dir_all(&g.dir);
}
