//! An application's page: every section, budget subtotals and total, the eligibility checks,
//! screening outcomes with reasons, submitted versions, and the submit / withdraw actions.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use db::AppError;
use db::applications::{ApplicationView, JointView};
use domain::eligibility::overall;

use super::form::{OutputRow, category_label, output_rows};
use super::{Check, checks, item_of, outcome_label, shanghai_time, status_label};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::pages::unprocessable_if;
use crate::pages::{ListQuery, render, see_other};
use crate::state::AppState;
use crate::view::Ctx;

struct Money {
    label: &'static str,
    amount: String,
}

struct BudgetShow {
    category: &'static str,
    amount: String,
    uses: String,
}

pub(super) struct AttachmentRow {
    pub id: String,
    pub kind: &'static str,
    pub file_name: String,
    pub size: String,
}

/// A file size as people read it: "812 KB", "2.4 MB".
pub(super) fn size_label(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1048576.0)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

pub(super) fn kind_label(tr: crate::i18n::Tr, kind: &str) -> &'static str {
    tr.get(match kind {
        "registration" => "applications.kind.registration",
        "certificate" => "applications.kind.certificate",
        _ => "applications.kind.other",
    })
}

/// A joint applicant with its status label.
pub(super) struct JointRow {
    pub j: JointView,
    pub label: &'static str,
}

pub(super) fn joint_label(tr: crate::i18n::Tr, status: &str) -> &'static str {
    tr.get(match status {
        "confirmed" => "applications.joint_status.confirmed",
        "declined" => "applications.joint_status.declined",
        _ => "applications.joint_status.pending",
    })
}

struct ScreeningShow {
    outcome: &'static str,
    reasons: String,
    at: String,
}

#[derive(Template)]
#[template(path = "applications/show.html")]
struct ShowPage {
    ctx: Ctx,
    a: ApplicationView,
    status_label: &'static str,
    item_label: String,
    outputs: Vec<OutputRow>,
    budget: Vec<BudgetShow>,
    subtotals: Vec<Money>,
    total: String,
    checks: Vec<Check>,
    overall: &'static str,
    overall_label: &'static str,
    screenings: Vec<ScreeningShow>,
    versions: Vec<(i32, String, String)>,
    deadline: String,
    can_edit: bool,
    can_withdraw: bool,
    errors: FormErrors,
    joint: Vec<JointRow>,
    joint_text: String,
    /// The viewer's organization is a joint applicant still asked to answer.
    joint_pending_mine: bool,
    cofunding: Vec<(String, String, String)>,
    cofunding_total: String,
    attachments: Vec<AttachmentRow>,
    kinds: Vec<(&'static str, &'static str)>,
}

pub(super) async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    ok: Option<&str>,
    errors: FormErrors,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let tr = viewer.tr;
    let a = db::applications::get(&state.db, &actor, id).await?;
    let item = item_of(state, &a).await?;
    let results = db::applications::eligibility(&state.db, &actor, id, state.clock.today()).await?;
    let deadline = db::applications::application_deadline(&state.db, &a.program_id).await?;
    let mine = matches!(actor.role, domain::role::Role::OrgAdmin | domain::role::Role::OrgStaff)
        && actor.organization_id.as_deref() == Some(a.organization_id.as_str());
    let open = deadline.as_ref().is_none_or(|d| state.now_ms() < d.at_ms);
    let screenings = db::applications::screenings(&state.db, &actor, id)
        .await?
        .into_iter()
        .map(|s| ScreeningShow {
            outcome: tr.get(match s.outcome.as_str() {
                "pass" => "applications.outcome.pass",
                "fail" => "applications.outcome.fail",
                _ => "applications.outcome.return",
            }),
            reasons: s.reasons,
            at: shanghai_time(s.at_ms),
        })
        .collect();
    let versions = db::applications::versions(&state.db, &actor, id)
        .await?
        .into_iter()
        .map(|v| (v.version, shanghai_time(v.created_ms), v.actor))
        .collect();
    let joint: Vec<JointRow> = db::applications::joint_applicants(&state.db, &actor, id)
        .await?
        .into_iter()
        .map(|j| JointRow { label: joint_label(tr, &j.status), j })
        .collect();
    let joint_pending_mine = actor.role == domain::role::Role::OrgAdmin
        && joint.iter().any(|JointRow { j, .. }| {
            Some(j.organization_id.as_str()) == actor.organization_id.as_deref() && j.status == "pending"
        });
    let attachments = db::applications::attachments(&state.db, &actor, id)
        .await?
        .into_iter()
        .map(|v| AttachmentRow {
            kind: kind_label(tr, &v.kind),
            size: size_label(v.size_bytes),
            id: v.id,
            file_name: v.file_name,
        })
        .collect();
    let o = overall(&results);
    let ctx = Ctx::new(viewer, "applications", a.input.title.clone())
        .crumb("/applications", tr.get("applications.title"))
        .crumb("", a.input.title.clone())
        .flash_from(ok);
    let failed = !errors.is_empty();
    Ok(unprocessable_if(
        failed,
        render(&ShowPage {
            ctx,
            status_label: status_label(tr, &a.status),
            item_label: item.as_ref().map(|i| format!("{} {}", i.item.code, i.item.name)).unwrap_or_default(),
            outputs: output_rows(item.as_ref(), &a.input.outputs),
            budget: a
                .input
                .budget
                .iter()
                .map(|b| BudgetShow {
                    category: category_label(tr, b.category),
                    amount: b.amount.yuan_string(),
                    uses: b.uses.clone(),
                })
                .collect(),
            subtotals: a
                .input
                .subtotals()
                .into_iter()
                .map(|(c, f)| Money { label: category_label(tr, c), amount: f.yuan_string() })
                .collect(),
            total: a.input.total().yuan_string(),
            checks: checks(tr, &results),
            overall: o.as_str(),
            overall_label: outcome_label(tr, o),
            screenings,
            versions,
            deadline: deadline.map(|d| d.label).unwrap_or_default(),
            can_edit: mine && (a.status == "draft" || a.status == "returned"),
            can_withdraw: mine && open && ["draft", "submitted", "returned"].contains(&a.status.as_str()),
            joint_text: joint.iter().map(|r| r.j.organization_name.clone()).collect::<Vec<_>>().join("\n"),
            joint,
            joint_pending_mine,
            cofunding: a
                .input
                .cofunding
                .iter()
                .map(|c| (c.source.clone(), c.amount.yuan_string(), c.note.clone()))
                .collect(),
            cofunding_total: a.input.cofunding_total().yuan_string(),
            attachments,
            kinds: db::applications::ATTACHMENT_KINDS.iter().map(|k| (*k, kind_label(tr, k))).collect(),
            a,
            errors,
        }),
    ))
}

pub(super) async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    show_page(&state, &viewer, &id, q.ok.as_deref(), FormErrors::default()).await
}

/// Submit: a refusal (deadline, outputs) is shown on the application page.
pub(super) async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    match db::applications::submit(&state.db, &actor, &id, state.now_ms()).await {
        Ok(_) => Ok(see_other(&format!("/applications/{id}?ok=submitted"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            show_page(&state, &viewer, &id, None, FormErrors::from_app(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn withdraw(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    match db::applications::withdraw(&state.db, &actor, &id, state.now_ms()).await {
        Ok(()) => Ok(see_other(&format!("/applications/{id}?ok=withdrawn"))),
        Err(e @ AppError::Conflict(_)) => show_page(&state, &viewer, &id, None, FormErrors::from_app(&e)).await,
        Err(e) => Err(e.into()),
    }
}
