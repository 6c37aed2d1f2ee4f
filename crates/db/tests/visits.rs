#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Verified visits on every backend: card tokens (forgery, revocation), each anomaly rule,
//! supervisor review (a rejected visit does not count in the output facts), the worker's today
//! list, and scope through the project.

mod visits_support;

use db::visits::{self, VisitFilter, cards};
use db::{AppError, PageRequest};
use domain::delivery::{AnomalyKind, Channel, DeliveryFacts, PersonFacts};
use visits_support::*;

fn kinds(v: &visits::VisitView) -> Vec<AnomalyKind> {
    v.anomalies.iter().map(|a| a.kind).collect()
}

async fn each(n: usize, test: impl AsyncFn(&db::DatabaseConnection, Fixture, &str)) {
    for t in db::testing::all_backends().await {
        let f = fixture(&t.db, n).await;
        test(&t.db, f, t.backend).await;
        t.drop_database().await;
    }
}

#[tokio::test]
async fn forged_tokens_are_rejected_and_revoked_cards_flag_the_visit() {
    each(1, async |db, f, backend| {
        let k = keys();
        let pp = f.people[0].1.clone();
        let card = cards::current_many(db, &f.orgadmin, &k, std::slice::from_ref(&pp), NOW).await.unwrap().remove(0);
        assert_eq!(cards::resolve(db, &k, &card.token).await.unwrap().project_person_id, pp, "{backend}");
        let mut forged = card.token.clone().into_bytes();
        forged[10] = if forged[10] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(forged).unwrap();
        assert!(matches!(cards::resolve(db, &k, &forged).await, Err(AppError::NotFound(_))), "{backend}");
        let other_key = db::crypto::Keys::from_bytes(&[1u8; 32]);
        assert!(cards::resolve(db, &other_key, &card.token).await.is_err(), "{backend}");

        // Reprinting gives the same card until it is revoked.
        let again = cards::current_many(db, &f.orgadmin, &k, std::slice::from_ref(&pp), NOW).await.unwrap().remove(0);
        assert_eq!(again.token, card.token);
        let new = cards::reissue(db, &f.orgadmin, &k, &pp, NOW).await.unwrap();
        assert_ne!(new.token, card.token);

        let old = cards::resolve(db, &k, &card.token).await.unwrap();
        assert!(old.revoked_ms.is_some());
        let v = visits::record(db, &f.worker, &pp, Some(&old), &at_home(0), NOW).await.unwrap();
        assert_eq!(kinds(&v), vec![AnomalyKind::CardRevoked], "{backend}");
        assert_eq!(v.review, "flagged");
        // The lead is told.
        let lead = f.lead.user_id.clone().unwrap();
        assert_eq!(db::notifications::unread_count(db, &lead).await.unwrap(), 1, "{backend}");

        let fresh = cards::resolve(db, &k, &new.token).await.unwrap();
        let v = visits::record(db, &f.worker, &pp, Some(&fresh), &at_home(0), NOW + 120 * MIN).await.unwrap();
        assert!(v.anomalies.is_empty(), "{backend}: {:?}", v.anomalies);
        assert_eq!(v.review, "ok");
    })
    .await;
}

#[tokio::test]
async fn each_anomaly_rule_flags_the_visit() {
    each(3, async |db, f, backend| {
        let (pp0, pp1, pp2) = (f.people[0].1.clone(), f.people[1].1.clone(), f.people[2].1.clone());
        // far from home: 5 km north
        let mut far = at_home(0);
        far.lat = Some(HOME_LAT + 0.045);
        far.occurred_ms = Some(NOW - 600 * MIN);
        let v = visits::record(db, &f.worker, &pp0, None, &far, NOW).await.unwrap();
        assert_eq!(kinds(&v), vec![AnomalyKind::FarFromHome], "{backend}");
        assert!(v.anomalies[0].message.contains("公里"), "{}", v.anomalies[0].message);

        // too short
        let mut short = at_home(1);
        short.duration_min = 2;
        short.occurred_ms = Some(NOW - 300 * MIN);
        let v = visits::record(db, &f.worker, &pp1, None, &short, NOW).await.unwrap();
        assert_eq!(kinds(&v), vec![AnomalyKind::TooShort], "{backend}");

        // a second visit to the same person within minutes
        let mut again = at_home(1);
        again.occurred_ms = Some(NOW - 290 * MIN);
        let v = visits::record(db, &f.worker, &pp1, None, &again, NOW).await.unwrap();
        assert_eq!(kinds(&v), vec![AnomalyKind::RepeatVisit], "{backend}");

        // one worker in two distant places too quickly: person 2 "visited" 30 km away 5 min after
        let mut jump = at_home(2);
        jump.lat = Some(HOME_LAT + 0.002 + 0.27);
        jump.occurred_ms = Some(NOW - 255 * MIN);
        let v = visits::record(db, &f.worker, &pp2, None, &jump, NOW).await.unwrap();
        assert!(kinds(&v).contains(&AnomalyKind::TooFastTravel), "{backend}: {:?}", v.anomalies);

        // recorded after the fact (3 days later)
        let mut late = at_home(0);
        late.occurred_ms = Some(NOW - 3 * 24 * 60 * MIN);
        let v = visits::record(db, &f.worker, &pp0, None, &late, NOW).await.unwrap();
        assert_eq!(kinds(&v), vec![AnomalyKind::RecordedLate], "{backend}");

        // no location on a home visit
        let mut blind = at_home(0);
        (blind.lat, blind.lng) = (None, None);
        blind.occurred_ms = Some(NOW - 100 * MIN);
        let v = visits::record(db, &f.worker, &pp0, None, &blind, NOW).await.unwrap();
        assert_eq!(kinds(&v), vec![AnomalyKind::NoLocation], "{backend}");

        // a phone contact is not checked for location or duration
        let mut phone = at_home(2);
        phone.channel = Channel::Phone;
        (phone.lat, phone.lng, phone.duration_min) = (None, None, 3);
        let v = visits::record(db, &f.worker, &pp2, None, &phone, NOW).await.unwrap();
        assert!(v.anomalies.is_empty() && v.review == "ok", "{backend}: {:?}", v.anomalies);

        // Nothing is dropped: all seven are listed, six of them flagged for the supervisor.
        let all =
            visits::list(db, &f.orgadmin, &f.project, &VisitFilter::default(), &PageRequest::default()).await.unwrap();
        assert_eq!(all.items.len(), 7);
        let flagged = VisitFilter { review: Some("flagged".into()), ..Default::default() };
        let page = visits::list(db, &f.orgadmin, &f.project, &flagged, &PageRequest::default()).await.unwrap();
        assert_eq!(page.items.len(), 6, "{backend}");
        // keyset paging walks all of them, newest first
        let mut seen = Vec::new();
        let mut req = PageRequest { after: None, limit: Some(3) };
        loop {
            let p = visits::list(db, &f.orgadmin, &f.project, &VisitFilter::default(), &req).await.unwrap();
            seen.extend(p.items.iter().map(|v| v.occurred_ms));
            match p.next_cursor {
                Some(c) => req.after = Some(c),
                None => break,
            }
        }
        assert_eq!(seen.len(), 7);
        assert!(seen.windows(2).all(|w| w[0] >= w[1]), "{seen:?}");
    })
    .await;
}

#[tokio::test]
async fn rejected_visits_do_not_count_and_review_is_for_supervisors() {
    each(1, async |db, f, backend| {
        let (person, pp) = f.people[0].clone();
        let mut short = at_home(0);
        short.duration_min = 1;
        short.occurred_ms = Some(NOW - 24 * 60 * MIN);
        let doubtful = visits::record(db, &f.worker, &pp, None, &short, NOW).await.unwrap();
        visits::record(db, &f.worker, &pp, None, &at_home(0), NOW).await.unwrap();

        let facts = async || {
            let mut facts = DeliveryFacts {
                people: vec![PersonFacts { id: person.clone(), ..Default::default() }],
                ..Default::default()
            };
            visits::add_facts(db, &f.project, &mut facts, d(2026, 11, 22)).await.unwrap();
            facts.people[0].contacts.len()
        };
        assert_eq!(facts().await, 2, "{backend}");

        // the worker may not review their own visit; a rejection needs a reason
        let own = visits::decide(db, &f.worker, &doubtful.id, "rejected", "太短", NOW).await;
        assert!(matches!(own, Err(AppError::Forbidden)), "{backend}");
        let bare = visits::decide(db, &f.lead, &doubtful.id, "rejected", " ", NOW).await;
        assert!(matches!(bare, Err(AppError::Validation(_))), "{backend}");

        let v = visits::decide(db, &f.lead, &doubtful.id, "rejected", "时长1分钟，电话核实未上门", NOW).await.unwrap();
        assert_eq!(v.review, "rejected");
        assert_eq!(facts().await, 1, "{backend}");
        let v = visits::decide(db, &f.orgadmin, &doubtful.id, "confirmed", "", NOW).await.unwrap();
        assert_eq!(v.review, "confirmed");
        assert_eq!(facts().await, 2, "{backend}");
        // matched by enrolment id too, and nothing after the as-of day
        let mut facts =
            DeliveryFacts { people: vec![PersonFacts { id: pp.clone(), ..Default::default() }], ..Default::default() };
        visits::add_facts(db, &f.project, &mut facts, d(2026, 11, 21)).await.unwrap();
        assert_eq!(facts.people[0].contacts.len(), 1, "{backend}");

        // the tallies kept with each write equal a rebuild from the visits themselves
        let kept = visits::tally::of_project(db, &f.project).await.unwrap();
        assert_eq!(visits::tally::rebuild_all(db).await.unwrap(), 1);
        assert_eq!(visits::tally::of_project(db, &f.project).await.unwrap(), kept, "{backend}");
    })
    .await;
}

#[tokio::test]
async fn today_lists_overdue_people_until_they_are_visited() {
    each(2, async |db, f, backend| {
        let day = d(2026, 11, 22);
        let list = visits::today(db, &f.worker, day).await.unwrap();
        assert_eq!(list.len(), 2, "{backend}");
        assert!(list[0].overdue && list[0].reason.contains("逾期"), "{}", list[0].reason);
        let pp = f.people[0].1.clone();
        visits::record(db, &f.worker, &pp, None, &at_home(0), NOW).await.unwrap();
        let list = visits::today(db, &f.worker, day).await.unwrap();
        assert_eq!(list.len(), 1, "{backend}");
        assert_ne!(list[0].project_person_id, pp);
        assert!(visits::today(db, &f.outsider, day).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_green_risk_grade_moves_a_by_risk_person_to_quarterly_visits() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
    each(2, async |db, f, backend| {
        let day = d(2026, 11, 22);
        let (person, pp) = f.people[0].clone();
        let overdue = async || {
            let list = visits::today(db, &f.worker, day).await.unwrap();
            list.iter().any(|i| i.project_person_id == pp && i.overdue)
        };
        // joined on 1 November, by risk grade, not graded yet: visited weekly, so overdue
        let row = db::entity::project_person::Entity::find_by_id(pp.clone()).one(db).await.unwrap().unwrap();
        let mut a = row.into_active_model();
        let rule = domain::delivery::VisitRule::ByRisk(domain::delivery::visit::RiskVisitTable::default());
        a.visit_rule_json = Set(serde_json::to_string(&rule).unwrap());
        a.enrolled_on = Set(d(2026, 11, 1));
        a.update(db).await.unwrap();
        assert!(overdue().await, "{backend}: ungraded is weekly");
        // graded green: one visit a quarter, not overdue in the middle of the quarter
        db::entity::risk_grade::ActiveModel {
            id: Set(db::new_id()),
            person_id: Set(person),
            inputs_json: Set("{}".into()),
            grade: Set("green".into()),
            reason: Set(String::new()),
            set_on: Set(d(2026, 11, 1)),
            set_by: Set(None),
            set_by_name: Set("测试".into()),
            created_ms: Set(NOW),
        }
        .insert(db)
        .await
        .unwrap();
        assert!(!overdue().await, "{backend}: green is quarterly");
    })
    .await;
}

#[tokio::test]
async fn a_worker_outside_the_project_sees_and_records_nothing() {
    each(1, async |db, f, backend| {
        let pp = f.people[0].1.clone();
        let r = visits::record(db, &f.outsider, &pp, None, &at_home(0), NOW).await;
        assert!(matches!(r, Err(AppError::NotFound(_))), "{backend}: {r:?}");
        let v = visits::record(db, &f.worker, &pp, None, &at_home(0), NOW).await.unwrap();
        let l = visits::list(db, &f.outsider, &f.project, &VisitFilter::default(), &PageRequest::default()).await;
        assert!(matches!(l, Err(AppError::NotFound(_))), "{backend}");
        assert!(matches!(visits::get(db, &f.outsider, &v.id).await, Err(AppError::NotFound(_))));
        assert!(visits::decide(db, &f.outsider, &v.id, "confirmed", "", NOW).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn a_program_sets_its_own_visit_check_thresholds() {
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    each(2, async |db, f, backend| {
        // 300 m from home passes the default 500 m check …
        let mut near = at_home(0);
        near.lat = Some(HOME_LAT + 0.0027);
        near.occurred_ms = Some(NOW - 600 * MIN);
        let v = visits::record(db, &f.worker, &f.people[0].1, None, &near, NOW).await.unwrap();
        assert!(v.anomalies.is_empty(), "{backend}: {:?}", v.anomalies);

        // … but not in a program whose rules allow 100 m and ask for 20-minute visits.
        let program = db::entity::program::Entity::find().one(db).await.unwrap().unwrap();
        let mut rules = db::programs::parse_rules(&program.rules_json);
        rules.visit_checks = Some(toml::from_str("far_m = 100.0\nmin_minutes = 20").unwrap());
        let mut am: db::entity::program::ActiveModel = program.clone().into();
        am.rules_json = Set(serde_json::to_string(&rules).unwrap());
        am.update(db).await.unwrap();
        let mut pm: db::entity::project::ActiveModel =
            db::entity::project::Entity::find_by_id(f.project.clone()).one(db).await.unwrap().unwrap().into();
        pm.program_id = Set(Some(program.id.clone()));
        pm.update(db).await.unwrap();

        let mut near = at_home(1);
        near.lat = Some(HOME_LAT + 0.001 + 0.0027);
        near.duration_min = 15;
        near.occurred_ms = Some(NOW - 300 * MIN);
        let v = visits::record(db, &f.worker, &f.people[1].1, None, &near, NOW).await.unwrap();
        assert_eq!(kinds(&v), vec![AnomalyKind::FarFromHome, AnomalyKind::TooShort], "{backend}");
        assert!(v.anomalies[0].message.contains("100"), "{}", v.anomalies[0].message);
        assert_eq!(v.review, "flagged", "{backend}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn check_ins_for_one_person_at_the_same_moment_are_all_counted() {
    each(1, async |db, f, backend| {
        let pp = f.people[0].1.clone();
        let tasks: Vec<_> = (0..24)
            .map(|i| {
                let (db, worker, pp) = (db.clone(), f.worker.clone(), pp.clone());
                tokio::spawn(async move {
                    let mut input = at_home(0);
                    input.occurred_ms = Some(NOW - (100 - i) * MIN);
                    visits::record(&db, &worker, &pp, None, &input, NOW).await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let tallied: usize =
            visits::tally::of_project(db, &f.project).await.unwrap().iter().map(|(_, _, c)| c.len()).sum();
        assert_eq!(tallied, 24, "{backend}: every concurrent check-in is in the tally");
    })
    .await;
}

#[tokio::test]
async fn the_demo_visits_count_in_the_projects_progress() {
    use sea_orm::EntityTrait;
    for t in db::testing::all_backends().await {
        let db = &t.db;
        let hash = db::passwords::hash_password("Demo-Pass-2026").unwrap();
        db::demo::load(db, &hash, NOW, |_| {}).await.unwrap();
        db::demo_projects::load_people(db, &keys(), NOW).await.unwrap();
        let made = visits::demo::load(db, NOW).await.unwrap();
        assert!(made > 0, "{}", t.backend);
        let mut counted = 0;
        for p in db::entity::project::Entity::find().all(db).await.unwrap() {
            let people = db::projects::people(db, &db::Actor::system(), &p.id).await.unwrap();
            let facts = db::progress::facts(db, &p.id, &people, d(2026, 12, 31)).await.unwrap();
            counted += facts.people.iter().map(|x| x.contacts.len()).sum::<usize>();
        }
        assert_eq!(counted, made, "{}: every demo visit counts (none is rejected yet)", t.backend);
        t.drop_database().await;
    }
}
