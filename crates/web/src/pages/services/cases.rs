//! Casework (个案): the list with months open, the intake form, and the case page with its dated
//! stages and the form for the next entry.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::PageRequest;
use db::services::cases::{self, CaseInput, CaseView, EntryInput, EntryView};
use db::services::{WorkerInput, recordable};

use super::{
    Field, FormBox, Header, ListPage, ListQuery, Row, Sent, cell, ctx, form_page, header, people_options, saved,
    web_checked, worker_field,
};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, lines};
use crate::i18n::Tr;
use crate::pages::{Choice, next_href, render, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/records/cases/new", get(new_form).post(create))
        .route("/projects/{id}/records/cases/{rid}", get(show))
        .route("/projects/{id}/records/cases/{rid}/entries", post(add_entry))
}

fn stage_word(t: Tr, code: &str) -> &'static str {
    match code {
        "intake" => t.get("services.stage.intake"),
        "assessment" => t.get("services.stage.assessment"),
        "plan" => t.get("services.stage.plan"),
        "intervention" => t.get("services.stage.intervention"),
        "evaluation" => t.get("services.stage.evaluation"),
        _ => t.get("services.stage.closure"),
    }
}

fn months_text(t: Tr, c: &CaseView) -> String {
    let mark = if c.six_months { t.get("services.six_months_met") } else { "" };
    format!("{} {}", c.months, mark).trim().to_string()
}

pub(super) async fn list(state: &AppState, viewer: &Viewer, id: &str, q: ListQuery) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = db::services::project(&state.db, &actor, id).await?;
    let req = PageRequest { after: q.after.clone(), limit: Some(50) };
    let page = cases::list(&state.db, &actor, id, q.person.as_deref(), &req, state.now_ms()).await?;
    let rows = page
        .items
        .iter()
        .map(|c| Row {
            href: format!("/projects/{id}/records/cases/{}", c.id),
            title: c.title.clone(),
            cells: vec![
                cell(t.get("services.person"), c.person.name.clone()),
                cell(t.get("services.stage_label"), stage_word(t, &c.stage)),
                cell(t.get("services.opened_on"), c.opened_on.to_string()),
                cell(t.get("services.months"), months_text(t, c)),
                cell(t.get("services.worker"), c.worker_name.clone()),
            ],
        })
        .collect();
    let person = q.person.clone().unwrap_or_default();
    let page = ListPage {
        ctx: ctx(viewer, &p, "cases", None).flash_from(q.ok.as_deref()),
        h: header(t, &actor, &p, "cases"),
        kind: "cases",
        title_label: t.get("services.case_title"),
        columns: vec![
            t.get("services.person"),
            t.get("services.stage_label"),
            t.get("services.opened_on"),
            t.get("services.months"),
            t.get("services.worker"),
        ],
        rows,
        next: next_href(&format!("/projects/{id}/records/cases"), &[("person", &person)], page.next_cursor),
        links: Vec::new(),
        extra: None,
    };
    Ok(render(&page))
}

async fn form(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    sent: &Sent<'_>,
    errors: FormErrors,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = recordable(&state.db, &actor, id).await?;
    let chosen = vec![sent.get("person_id")];
    let mut people = people_options(state, &actor, id, &chosen).await?;
    people.insert(0, Choice { value: String::new(), label: t.get("services.choose").into(), selected: false });
    let fields = vec![
        Field::choose("person_id", t.get("services.person"), "select", people),
        Field::new("title", t.get("services.case_title"), "text", sent.get("title")),
        Field::new("opened_on", t.get("services.opened_on"), "date", sent.get("opened_on")),
        worker_field(t, &p, &sent.get("worker_member_id")),
        Field::new("summary", t.get("services.intake_summary"), "textarea", sent.get("summary")),
    ];
    let form = FormBox {
        title: String::new(),
        action: format!("/projects/{id}/records/cases/new"),
        fields,
        errors,
        submit: t.get("services.open_case"),
    };
    Ok(form_page(ctx(viewer, &p, "cases", Some(t.get("services.open_case"))), header(t, &actor, &p, "cases"), form))
}

async fn new_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let pairs = vec![("opened_on".to_string(), super::today(&state))];
    form(&state, &viewer, &id, &Sent(&pairs), FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let sent = Sent(&f.pairs);
    let mut e = Vec::new();
    let opened_on = sent.date("opened_on", "接案日期", &mut e);
    let input = CaseInput {
        person_id: sent.get("person_id"),
        title: sent.get("title"),
        opened_on,
        worker: WorkerInput { worker_member_id: Some(sent.get("worker_member_id")), worker_name: String::new() },
        summary: sent.get("summary"),
    };
    let result = async {
        web_checked(e)?;
        cases::create(&state.db, &actor, &id, &input, state.now_ms()).await
    }
    .await;
    saved(
        result,
        |c| format!("/projects/{id}/records/cases/{}?ok=created", c.id),
        async |errors| form(&state, &viewer, &id, &sent, errors).await,
    )
    .await
}

struct EntryRow {
    stage: &'static str,
    date: String,
    summary: String,
    goals: Vec<String>,
}

#[derive(Template)]
#[template(path = "services/case.html")]
struct CasePage {
    ctx: Ctx,
    h: Header,
    c: CaseView,
    stage: &'static str,
    months: String,
    entries: Vec<EntryRow>,
    form: Option<FormBox>,
}

fn entry_form(t: Tr, id: &str, rid: &str, sent: &Sent<'_>, errors: FormErrors) -> FormBox {
    let stages = Choice::list(
        cases::STAGES.iter().skip(1).map(|(code, _)| (code.to_string(), stage_word(t, code).to_string())),
        &sent.get("stage"),
    );
    FormBox {
        title: t.get("services.add_entry").to_string(),
        action: format!("/projects/{id}/records/cases/{rid}/entries"),
        fields: vec![
            Field::choose("stage", t.get("services.stage_label"), "select", stages),
            Field::new("entry_on", t.get("services.date"), "date", sent.get("entry_on")),
            Field::new("summary", t.get("services.entry_summary"), "textarea", sent.get("summary")),
            Field::new("goals", t.get("services.goals"), "textarea", sent.get("goals"))
                .hint(t.get("services.goals_hint")),
        ],
        errors,
        submit: t.get("common.save"),
    }
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    rid: &str,
    sent: &Sent<'_>,
    errors: FormErrors,
    ok: Option<&str>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = db::services::project(&state.db, &actor, id).await?;
    let (c, entries): (CaseView, Vec<EntryView>) = cases::get(&state.db, &actor, id, rid, state.now_ms()).await?;
    let h = header(t, &actor, &p, "cases");
    let failed = !errors.is_empty();
    let form = (h.can_record && c.closed_on.is_none()).then(|| entry_form(t, id, rid, sent, errors));
    let page = CasePage {
        ctx: ctx(viewer, &p, "cases", Some(&c.title)).flash_from(ok),
        stage: stage_word(t, &c.stage),
        months: months_text(t, &c),
        entries: entries
            .into_iter()
            .map(|e| EntryRow {
                stage: stage_word(t, &e.stage),
                date: e.entry_on.to_string(),
                summary: e.summary,
                goals: e.goals,
            })
            .collect(),
        h,
        c,
        form,
    };
    Ok(unprocessable_if(failed, render(&page)))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    ok: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<ShowQuery>,
) -> PageResult<Response> {
    let pairs = vec![("entry_on".to_string(), super::today(&state))];
    page(&state, &viewer, &id, &rid, &Sent(&pairs), FormErrors::default(), q.ok.as_deref()).await
}

async fn add_entry(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let sent = Sent(&f.pairs);
    let mut e = Vec::new();
    let entry_on = sent.date("entry_on", "日期", &mut e);
    let input = EntryInput {
        stage: sent.get("stage"),
        entry_on,
        summary: sent.get("summary"),
        goals: lines(&sent.get("goals")),
    };
    let result = async {
        web_checked(e)?;
        cases::add_entry(&state.db, &actor, &id, &rid, &input, state.now_ms()).await
    }
    .await;
    saved(
        result,
        |_| format!("/projects/{id}/records/cases/{rid}?ok=saved"),
        async |errors| page(&state, &viewer, &id, &rid, &sent, errors, None).await,
    )
    .await
}
