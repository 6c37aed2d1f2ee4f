//! Demo files (一户一档) for the demo beneficiaries, after `demo_projects::load_people`: a few
//! households with a head, a GB/T 42195-2022 capability assessment for most elders (spread over
//! the bands, a few due for reassessment) and a child risk grade for every child. Once: projects
//! whose people already have an assessment or a grade are skipped.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use domain::delivery::{RiskInputs, RiskLevel};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait};

use crate::assessments::risk::RiskInput;
use crate::assessments::{AssessmentInput, templates};
use crate::entity::{assessment, person, project, project_person, risk_grade};
use crate::households::HouseholdInput;
use crate::{AppResult, db_err};

/// Elders per project with a capability assessment.
const ASSESSED: usize = 12;
/// Households per project, of two people each (the first is the head).
const HOUSEHOLDS: usize = 3;

/// The answers of the i-th demo elder: everyone starts able; each step down the list loses
/// more of the self-care and motor items, so the totals cross every band.
fn capability_answers(i: usize) -> BTreeMap<String, String> {
    let Some(t) = templates::get("capability") else { return BTreeMap::new() };
    let mut answers = BTreeMap::new();
    for (section, s) in t.sections.iter().enumerate() {
        for item in &s.items {
            let worst = item.options.len().saturating_sub(1);
            let loss = match section {
                0 | 1 => i / 2,
                2 => i / 4,
                3 => i / 3,
                // the level adjustments: one elder has a dementia diagnosis
                _ => usize::from(i == 5 && item.code == "dementia"),
            };
            answers.insert(item.code.clone(), loss.min(worst).to_string());
        }
    }
    answers
}

/// Guardianship, behaviour and physiological risk of the i-th demo child (red to green).
fn child_risk(i: usize) -> RiskInputs {
    use RiskLevel::*;
    let [guardianship, behaviour, physiological] = match i % 5 {
        0 => [High, Medium, Low],
        1 => [Medium, Low, NoRisk],
        2 => [NoRisk, Low, NoRisk],
        _ => [NoRisk, NoRisk, NoRisk],
    };
    RiskInputs { guardianship, behaviour, physiological }
}

/// Households, assessments and risk grades for the demo projects' people. Returns the records made.
pub async fn load(db: &sea_orm::DatabaseConnection, now_ms: i64) -> AppResult<usize> {
    let txn = db.begin().await.map_err(db_err)?;
    let projects =
        project::Entity::find().filter(project::Column::Title.starts_with("示例·")).all(&txn).await.map_err(db_err)?;
    let mut made = 0;
    for p in &projects {
        let ids: Vec<String> = project_person::Entity::find()
            .filter(project_person::Column::ProjectId.eq(p.id.as_str()))
            .all(&txn)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|pp| pp.person_id)
            .collect();
        let people = person::Entity::find()
            .filter(person::Column::Id.is_in(ids.iter().map(String::as_str)))
            .order_by_asc(person::Column::Name)
            .all(&txn)
            .await
            .map_err(db_err)?;
        if people.is_empty() {
            continue;
        }
        let done = assessment::Entity::find()
            .filter(assessment::Column::PersonId.is_in(ids.iter().map(String::as_str)))
            .count(&txn)
            .await
            .map_err(db_err)?
            + risk_grade::Entity::find()
                .filter(risk_grade::Column::PersonId.is_in(ids.iter().map(String::as_str)))
                .count(&txn)
                .await
                .map_err(db_err)?;
        if done > 0 {
            continue;
        }
        let actor = crate::demo_projects::demo_actor(&p.organization_id);
        for pair in people.chunks(2).take(HOUSEHOLDS) {
            let input = HouseholdInput { area_code: pair[0].area_code.clone(), address: pair[0].address.clone() };
            let h = crate::households::create(&txn, &actor, &input, now_ms).await?;
            for m in pair {
                crate::households::add_member(&txn, &actor, &h.id, &m.id, now_ms).await?;
            }
            crate::households::set_head(&txn, &actor, &h.id, &pair[0].id, now_ms).await?;
            made += 1;
        }
        let elders = people.iter().any(|x| !x.care_level.is_empty());
        for (i, x) in people.iter().enumerate() {
            // assessed in the project's first weeks; the earliest ones are due again soon
            let on = p.start_on.checked_add_signed(Duration::days(i as i64)).unwrap_or(p.start_on).min(today(now_ms));
            if elders && i < ASSESSED {
                let next_on = (i < 2).then(|| on.checked_add_signed(Duration::days(60))).flatten();
                let input = AssessmentInput {
                    template_code: "capability".into(),
                    answers: capability_answers(i),
                    assessed_on: Some(on),
                    next_on,
                };
                crate::assessments::record(&txn, &actor, &x.id, &input, now_ms).await?;
                made += 1;
            } else if !elders {
                let input = RiskInput { inputs: child_risk(i), set_on: on };
                crate::assessments::risk::set(&txn, &actor, &x.id, &input, now_ms).await?;
                made += 1;
            }
        }
    }
    txn.commit().await.map_err(db_err)?;
    Ok(made)
}

fn today(now_ms: i64) -> NaiveDate {
    crate::visits::local_date(now_ms)
}
