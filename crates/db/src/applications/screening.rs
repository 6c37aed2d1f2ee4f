//! The eligibility facts of an application (for the engine in `domain::eligibility`), and
//! screening (初筛): an operator or funder records pass / fail / return with reasons; the rule
//! results seen at that moment are stored with the decision.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::eligibility::{
    ApplicationFacts, Counts, OrgFacts, PenaltyRecord, RuleResult, StaffFacts, TeamMember, evaluate_program,
};
use domain::program::ProgramSpec;
use domain::role::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::{covers_program, get_model, set_status, view};
use crate::audit::Event;
use crate::entity::{annual_inspection, application, call_item, organization, program, screening, staff_member};
use crate::{Actor, AppError, AppResult, FieldError, db_err, new_id};

/// Statuses that count as an application of the organization (submitted and not withdrawn).
const COUNTED: [&str; 4] = ["submitted", "returned", "screened_pass", "screened_fail"];

async fn org_facts<C: ConnectionTrait>(db: &C, org_id: &str) -> AppResult<OrgFacts> {
    let Some(o) = organization::Entity::find_by_id(org_id).one(db).await.map_err(db_err)? else {
        return Ok(OrgFacts::default());
    };
    let inspections = annual_inspection::Entity::find()
        .filter(annual_inspection::Column::OrganizationId.eq(org_id))
        .all(db)
        .await
        .map_err(db_err)?;
    let staff = staff_member::Entity::find()
        .filter(staff_member::Column::OrganizationId.eq(org_id))
        .all(db)
        .await
        .map_err(db_err)?;
    let full_time: Vec<&staff_member::Model> = staff.iter().filter(|s| s.full_time).collect();
    Ok(OrgFacts {
        registered_on: o.registered_on,
        registration_authority: Some(o.registration_authority.clone()).filter(|s| !s.is_empty()),
        area_code: o.area_code.clone(),
        certificate_valid_until: None,
        certificate_valid: None,
        rating: o.rating.and_then(|r| u8::try_from(r).ok()),
        annual_inspections: inspections.iter().map(|i| (i.year, i.passed)).collect(),
        abnormal_list: Some(o.abnormal_list),
        blacklisted: Some(o.blacklisted),
        under_investigation: Some(o.under_investigation),
        penalty_record: Some(o.last_penalty_on.map_or(PenaltyRecord::Clean, PenaltyRecord::LastOn)),
        staff: Some(StaffFacts {
            full_time: full_time.len() as u32,
            certified: full_time.iter().filter(|s| !s.certificate_level.is_empty()).count() as u32,
        }),
        previous_project: None,
        filed_at_street: None,
    })
}

/// The organization's other counted applications in the program, by track.
async fn counts<C: ConnectionTrait>(db: &C, m: &application::Model) -> AppResult<Counts> {
    let others = application::Entity::find()
        .filter(application::Column::ProgramId.eq(m.program_id.as_str()))
        .filter(application::Column::OrganizationId.eq(m.organization_id.as_str()))
        .filter(application::Column::Id.ne(m.id.as_str()))
        .filter(application::Column::Status.is_in(COUNTED))
        .all(db)
        .await
        .map_err(db_err)?;
    let mut by_track: BTreeMap<String, u32> = BTreeMap::new();
    for o in &others {
        *by_track.entry(o.track_code.clone()).or_default() += 1;
    }
    // awards (立项) come with the decision step; none are counted yet
    Ok(Counts { applications_by_track: by_track, program_applications: others.len() as u32, ..Default::default() })
}

/// Run the program's rules for an application the actor can see, as of `today`.
pub async fn eligibility<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    today: NaiveDate,
) -> AppResult<Vec<RuleResult>> {
    let m = get_model(db, actor, id).await?;
    evaluate_model(db, &m, today).await
}

pub(crate) async fn evaluate_model<C: ConnectionTrait>(
    db: &C,
    m: &application::Model,
    today: NaiveDate,
) -> AppResult<Vec<RuleResult>> {
    // the application is in scope, so its program may be read whatever its status
    let p = crate::programs::get(db, Some(&Actor::system()), &m.program_id).await?;
    let item = match &m.call_item_id {
        Some(i) => {
            call_item::Entity::find_by_id(i.as_str()).one(db).await.map_err(db_err)?.map(crate::programs::item_view)
        }
        None => None,
    };
    let v = view(m);
    let lead = v.input.team.iter().find(|t| t.lead);
    let app = ApplicationFacts {
        program_code: p.code.clone(),
        track_code: m.track_code.clone(),
        item_code: item.as_ref().map(|i| i.item.code.clone()),
        requested: v.requested,
        budget_lines: v.input.budget.clone(),
        lead_certified: lead.map(|l| l.certified),
        team: v.input.team.iter().map(|t| TeamMember { name: t.name.clone(), certified: t.certified }).collect(),
        subcontracting: None,
        joint_applicants: super::joint::names(db, &m.id).await?,
    };
    let spec = ProgramSpec {
        code: p.code.clone(),
        name: p.name.clone(),
        funder: p.funder_id.clone(),
        operator: p.operator_id.clone(),
        year: p.year,
        area_code: p.area_code.clone(),
        description: String::new(),
        status: p.status,
        budget: p.budget,
        source: String::new(),
        tracks: p.tracks.clone(),
        phases: Vec::new(),
        rules: p.rules.clone(),
        items: item.into_iter().map(|i| i.item).collect(),
    };
    let org = org_facts(db, &m.organization_id).await?;
    Ok(evaluate_program(&spec, &org, &app, &counts(db, m).await?, today))
}

/// A screening decision as the applicant and the operator see it.
#[derive(Debug, Clone, Serialize)]
pub struct ScreeningView {
    pub outcome: String,
    pub reasons: String,
    pub results: Vec<RuleResult>,
    pub at_ms: i64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ScreeningInput {
    /// pass / fail / return.
    pub outcome: String,
    #[serde(default)]
    pub reasons: String,
}

/// The screening decisions of an application, oldest first.
pub async fn screenings<C: ConnectionTrait>(db: &C, actor: &Actor, id: &str) -> AppResult<Vec<ScreeningView>> {
    let m = get_model(db, actor, id).await?;
    let rows = screening::Entity::find()
        .filter(screening::Column::ApplicationId.eq(m.id.as_str()))
        .order_by_asc(screening::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|r| ScreeningView {
            outcome: r.outcome,
            reasons: r.reasons,
            results: serde_json::from_str(&r.rule_results_json).unwrap_or_default(),
            at_ms: r.at_ms,
        })
        .collect())
}

/// The latest screening of each of `ids` (applications the caller already read in scope), in
/// one query: application id → (outcome, reasons).
pub async fn latest_screenings<C: ConnectionTrait>(
    db: &C,
    ids: &[String],
) -> AppResult<BTreeMap<String, (String, String)>> {
    let rows = screening::Entity::find()
        .filter(screening::Column::ApplicationId.is_in(ids.iter().cloned()))
        .order_by_asc(screening::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    // ids are time-ordered: a later row overwrites an earlier one
    Ok(rows.into_iter().map(|r| (r.application_id, (r.outcome, r.reasons))).collect())
}

/// Record a screening decision on a submitted application. Operators and funders covering the
/// program (or scoped to it); fail and return need reasons; return reopens the application.
pub async fn record_screening<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: &str,
    input: &ScreeningInput,
    today: NaiveDate,
    now_ms: i64,
) -> AppResult<()> {
    actor.require(&[Role::Operator, Role::FunderAdmin])?;
    let m = get_model(db, actor, id).await?;
    let p = program::Entity::find_by_id(m.program_id.as_str())
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("计划".into()))?;
    if !covers_program(actor, &p) {
        return Err(AppError::Forbidden);
    }
    if m.status != "submitted" {
        return Err(AppError::Conflict("只有已提交的申报书可以初筛".into()));
    }
    let status = match input.outcome.as_str() {
        "pass" => "screened_pass",
        "fail" => "screened_fail",
        "return" => "returned",
        _ => return Err(AppError::field("outcome", "初筛结果：请选择通过、不通过或退回补充材料")),
    };
    let reasons = input.reasons.trim();
    if input.outcome != "pass" && reasons.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("reasons", "理由：不通过或退回时必须填写理由")]));
    }
    let results = evaluate_model(db, &m, today).await?;
    screening::ActiveModel {
        id: Set(new_id()),
        application_id: Set(m.id.clone()),
        outcome: Set(input.outcome.clone()),
        reasons: Set(reasons.to_string()),
        rule_results_json: Set(serde_json::to_string(&results).unwrap_or_default()),
        actor_id: Set(actor.user_id.clone()),
        at_ms: Set(now_ms),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    let before = m.status.clone();
    let text = format!("申报书“{}”的初筛结果已记录", m.title);
    crate::notifications::notify_organization(
        db,
        &m.organization_id,
        "screening",
        &text,
        &format!("/applications/{id}"),
        now_ms,
    )
    .await?;
    set_status(db, m, status, now_ms, |_| {}).await?;
    Event::new(actor, now_ms, "application.screen", "application", id).before(&before).after(input).write(db).await
}
