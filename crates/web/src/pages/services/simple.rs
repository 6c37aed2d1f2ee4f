//! Trainings (培训) and supervision (督导): one row per session, listed and edited in place.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use db::services::supervision::{self, SupervisionInput};
use db::services::trainings::{self, TrainingInput};
use db::services::{WorkerInput, recordable};
use db::{AppError, PageRequest};

use super::{
    Field, FormBox, ListPage, ListQuery, Row, Sent, cell, ctx, form_page, header, hours, saved, web_checked,
    worker_field,
};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::pages::{next_href, render};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/records/trainings/new", get(new_training).post(create_training))
        .route("/projects/{id}/records/trainings/{rid}", get(edit_training).post(update_training))
        .route("/projects/{id}/records/supervision/new", get(new_supervision).post(create_supervision))
        .route("/projects/{id}/records/supervision/{rid}", get(edit_supervision).post(update_supervision))
}

pub(super) async fn list_trainings(state: &AppState, viewer: &Viewer, id: &str, q: ListQuery) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = db::services::project(&state.db, &actor, id).await?;
    let page = trainings::list(&state.db, &actor, id, &PageRequest { after: q.after.clone(), limit: Some(50) }).await?;
    let rows = page
        .items
        .iter()
        .map(|r| Row {
            href: format!("/projects/{id}/records/trainings/{}", r.id),
            title: r.title.clone(),
            cells: vec![
                cell(t.get("services.date"), r.held_on.to_string()),
                cell(t.get("services.class_hours"), hours(i64::from(r.minutes))),
                cell(t.get("services.trainees"), r.trainees.to_string()),
                cell(t.get("services.pass_rate"), r.pass_rate.map(|p| format!("{p}%")).unwrap_or_default()),
            ],
        })
        .collect();
    let page = ListPage {
        ctx: ctx(viewer, &p, "trainings", None).flash_from(q.ok.as_deref()),
        h: header(t, &actor, &p, "trainings"),
        kind: "trainings",
        title_label: t.get("services.training_title"),
        columns: vec![
            t.get("services.date"),
            t.get("services.class_hours"),
            t.get("services.trainees"),
            t.get("services.pass_rate"),
        ],
        rows,
        next: next_href(&format!("/projects/{id}/records/trainings"), &[], page.next_cursor),
        links: Vec::new(),
        extra: None,
    };
    Ok(render(&page))
}

pub(super) async fn list_supervision(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    q: ListQuery,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = db::services::project(&state.db, &actor, id).await?;
    let page =
        supervision::list(&state.db, &actor, id, &PageRequest { after: q.after.clone(), limit: Some(50) }).await?;
    let rows = page
        .items
        .iter()
        .map(|r| Row {
            href: format!("/projects/{id}/records/supervision/{}", r.id),
            title: r.topic.clone(),
            cells: vec![
                cell(t.get("services.date"), r.held_on.to_string()),
                cell(t.get("services.hours"), hours(i64::from(r.minutes))),
                cell(t.get("services.supervisees"), r.supervisees.to_string()),
                cell(t.get("services.supervisor"), r.worker_name.clone()),
            ],
        })
        .collect();
    let page = ListPage {
        ctx: ctx(viewer, &p, "supervision", None).flash_from(q.ok.as_deref()),
        h: header(t, &actor, &p, "supervision"),
        kind: "supervision",
        title_label: t.get("services.topic"),
        columns: vec![
            t.get("services.date"),
            t.get("services.hours"),
            t.get("services.supervisees"),
            t.get("services.supervisor"),
        ],
        rows,
        next: next_href(&format!("/projects/{id}/records/supervision"), &[], page.next_cursor),
        links: Vec::new(),
        extra: None,
    };
    Ok(render(&page))
}

/// The form of either kind; `rid` when editing.
async fn form(
    state: &AppState,
    viewer: &Viewer,
    kind: &'static str,
    id: &str,
    rid: Option<&str>,
    sent: &Sent<'_>,
    errors: FormErrors,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = recordable(&state.db, &actor, id).await?;
    let fields = if kind == "trainings" {
        vec![
            Field::new("title", t.get("services.training_title"), "text", sent.get("title")),
            Field::new("held_on", t.get("services.date"), "date", sent.get("held_on")),
            Field::new("minutes", t.get("services.minutes"), "number", sent.get("minutes"))
                .hint(t.get("services.class_hour_hint")),
            Field::new("trainees", t.get("services.trainees"), "number", sent.get("trainees")),
            Field::new("examined", t.get("services.examined"), "number", sent.get("examined")),
            Field::new("passed", t.get("services.passed"), "number", sent.get("passed")),
            worker_field(t, &p, &sent.get("worker_member_id")),
            Field::new("participants", t.get("services.participant_names"), "textarea", sent.get("participants")),
            Field::new("notes", t.get("services.notes"), "textarea", sent.get("notes")),
        ]
    } else {
        vec![
            Field::new("topic", t.get("services.topic"), "text", sent.get("topic")),
            Field::new("held_on", t.get("services.date"), "date", sent.get("held_on")),
            Field::new("minutes", t.get("services.minutes"), "number", sent.get("minutes")),
            Field::new("supervisees", t.get("services.supervisees"), "number", sent.get("supervisees")),
            Field::new(
                "supervisee_names",
                t.get("services.supervisee_names"),
                "textarea",
                sent.get("supervisee_names"),
            ),
            worker_field(t, &p, &sent.get("worker_member_id")),
            Field::new("notes", t.get("services.notes"), "textarea", sent.get("notes")),
        ]
    };
    let action = match rid {
        Some(r) => format!("/projects/{id}/records/{kind}/{r}"),
        None => format!("/projects/{id}/records/{kind}/new"),
    };
    let title = if rid.is_some() { t.get("services.edit") } else { t.get("services.new") };
    let form = FormBox { title: String::new(), action, fields, errors, submit: t.get("common.save") };
    Ok(form_page(ctx(viewer, &p, kind, Some(title)), header(t, &actor, &p, kind), form))
}

fn worker(sent: &Sent<'_>) -> WorkerInput {
    WorkerInput { worker_member_id: Some(sent.get("worker_member_id")), worker_name: String::new() }
}

fn training_input(sent: &Sent<'_>) -> Result<TrainingInput, AppError> {
    let mut e = Vec::new();
    let input = TrainingInput {
        title: sent.get("title"),
        held_on: sent.date("held_on", "培训日期", &mut e),
        minutes: sent.int("minutes", "培训时长（分钟）", &mut e),
        trainees: sent.int("trainees", "参训人数", &mut e),
        examined: sent.int("examined", "参加考核人数", &mut e),
        passed: sent.int("passed", "考核合格人数", &mut e),
        participants: sent.get("participants"),
        worker: worker(sent),
        notes: sent.get("notes"),
    };
    web_checked(e).map(|()| input)
}

fn supervision_input(sent: &Sent<'_>) -> Result<SupervisionInput, AppError> {
    let mut e = Vec::new();
    let input = SupervisionInput {
        topic: sent.get("topic"),
        held_on: sent.date("held_on", "督导日期", &mut e),
        minutes: sent.int("minutes", "督导时长（分钟）", &mut e),
        supervisees: sent.int("supervisees", "受督导人数", &mut e),
        supervisee_names: sent.get("supervisee_names"),
        worker: worker(sent),
        notes: sent.get("notes"),
    };
    web_checked(e).map(|()| input)
}

/// Parse the sent form and write it: back to the list after a save, or the form again with its
/// errors.
#[allow(clippy::too_many_arguments)]
async fn save<I>(
    state: &AppState,
    viewer: &Viewer,
    kind: &'static str,
    id: &str,
    rid: Option<&str>,
    pairs: &[(String, String)],
    parse: fn(&Sent<'_>) -> Result<I, AppError>,
    write: impl AsyncFnOnce(&db::Actor, I) -> Result<(), AppError>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let sent = Sent(pairs);
    let result = async { write(&actor, parse(&sent)?).await }.await;
    let done = |()| format!("/projects/{id}/records/{kind}?ok=saved");
    saved(result, done, async |errors| form(state, viewer, kind, id, rid, &sent, errors).await).await
}

/// The form's fields filled from a stored record.
fn filled<const N: usize>(fields: [(&str, String); N]) -> Vec<(String, String)> {
    fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

async fn new_training(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let pairs = vec![("held_on".to_string(), super::today(&state))];
    form(&state, &viewer, "trainings", &id, None, &Sent(&pairs), FormErrors::default()).await
}

async fn create_training(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let write =
        async |actor: &db::Actor, i| trainings::create(&state.db, actor, &id, &i, state.now_ms()).await.map(|_| ());
    save(&state, &viewer, "trainings", &id, None, &f.pairs, training_input, write).await
}

async fn edit_training(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let r = trainings::get(&state.db, &actor, &id, &rid).await?;
    let pairs = filled([
        ("title", r.title),
        ("held_on", r.held_on.to_string()),
        ("minutes", r.minutes.to_string()),
        ("trainees", r.trainees.to_string()),
        ("examined", r.examined.to_string()),
        ("passed", r.passed.to_string()),
        ("participants", r.participants),
        ("worker_member_id", r.worker_member_id.unwrap_or_default()),
        ("notes", r.notes),
    ]);
    form(&state, &viewer, "trainings", &id, Some(&rid), &Sent(&pairs), FormErrors::default()).await
}

async fn update_training(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let write = async |actor: &db::Actor, i| {
        trainings::update(&state.db, actor, &id, &rid, &i, state.now_ms()).await.map(|_| ())
    };
    save(&state, &viewer, "trainings", &id, Some(&rid), &f.pairs, training_input, write).await
}

async fn new_supervision(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> PageResult<Response> {
    let pairs = vec![("held_on".to_string(), super::today(&state))];
    form(&state, &viewer, "supervision", &id, None, &Sent(&pairs), FormErrors::default()).await
}

async fn create_supervision(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let write =
        async |actor: &db::Actor, i| supervision::create(&state.db, actor, &id, &i, state.now_ms()).await.map(|_| ());
    save(&state, &viewer, "supervision", &id, None, &f.pairs, supervision_input, write).await
}

async fn edit_supervision(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let r = supervision::get(&state.db, &actor, &id, &rid).await?;
    let pairs = filled([
        ("topic", r.topic),
        ("held_on", r.held_on.to_string()),
        ("minutes", r.minutes.to_string()),
        ("supervisees", r.supervisees.to_string()),
        ("supervisee_names", r.supervisee_names),
        ("worker_member_id", r.worker_member_id.unwrap_or_default()),
        ("notes", r.notes),
    ]);
    form(&state, &viewer, "supervision", &id, Some(&rid), &Sent(&pairs), FormErrors::default()).await
}

async fn update_supervision(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let write = async |actor: &db::Actor, i| {
        supervision::update(&state.db, actor, &id, &rid, &i, state.now_ms()).await.map(|_| ())
    };
    save(&state, &viewer, "supervision", &id, Some(&rid), &f.pairs, supervision_input, write).await
}
