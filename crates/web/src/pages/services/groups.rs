//! Groups (小组): the list with members and sessions against the usual minimums, the new-group
//! form, and the group page with its members, sessions and attendance.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::PageRequest;
use db::services::groups::{self, GroupInput, GroupView, MemberView, SessionInput};
use db::services::{WorkerInput, recordable};

use super::{
    Field, FormBox, Header, ListPage, ListQuery, Row, Sent, cell, ctx, form_page, header, people_options, saved,
    web_checked, worker_field,
};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, lines};
use crate::i18n::Tr;
use crate::pages::{Choice, next_href, render, see_other, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/records/groups/new", get(new_form).post(create))
        .route("/projects/{id}/records/groups/{rid}", get(show))
        .route("/projects/{id}/records/groups/{rid}/sessions", post(add_session))
        .route("/projects/{id}/records/groups/{rid}/members", post(add_members))
}

fn minimum(t: Tr, g: &GroupView) -> &'static str {
    if g.meets_minimum { t.get("services.group_ok") } else { t.get("services.group_short") }
}

pub(super) async fn list(state: &AppState, viewer: &Viewer, id: &str, q: ListQuery) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = db::services::project(&state.db, &actor, id).await?;
    let page = groups::list(&state.db, &actor, id, &PageRequest { after: q.after.clone(), limit: Some(50) }).await?;
    let rows = page
        .items
        .iter()
        .map(|g| Row {
            href: format!("/projects/{id}/records/groups/{}", g.id),
            title: g.title.clone(),
            cells: vec![
                cell(t.get("services.members"), g.members.to_string()),
                cell(t.get("services.sessions"), g.sessions.to_string()),
                cell(t.get("services.group_minimum"), minimum(t, g)),
                cell(t.get("services.worker"), g.worker_name.clone()),
            ],
        })
        .collect();
    let page = ListPage {
        ctx: ctx(viewer, &p, "groups", None).flash_from(q.ok.as_deref()),
        h: header(t, &actor, &p, "groups"),
        kind: "groups",
        title_label: t.get("services.group_title"),
        columns: vec![
            t.get("services.members"),
            t.get("services.sessions"),
            t.get("services.group_minimum"),
            t.get("services.worker"),
        ],
        rows,
        next: next_href(&format!("/projects/{id}/records/groups"), &[], page.next_cursor),
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
    let fields = vec![
        Field::new("title", t.get("services.group_title"), "text", sent.get("title")),
        Field::new("goal", t.get("services.group_goal"), "textarea", sent.get("goal")),
        worker_field(t, &p, &sent.get("worker_member_id")),
        Field::choose(
            "person_ids",
            t.get("services.members"),
            "multi",
            people_options(state, &actor, id, &sent.all("person_ids")).await?,
        )
        .hint(t.get("services.multi_hint")),
        Field::new("names", t.get("services.member_names"), "textarea", sent.get("names"))
            .hint(t.get("services.names_hint")),
    ];
    let form = FormBox {
        title: String::new(),
        action: format!("/projects/{id}/records/groups/new"),
        fields,
        errors,
        submit: t.get("common.save"),
    };
    Ok(form_page(ctx(viewer, &p, "groups", Some(t.get("services.new_group"))), header(t, &actor, &p, "groups"), form))
}

async fn new_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    form(&state, &viewer, &id, &Sent(&[]), FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let sent = Sent(&f.pairs);
    let input = GroupInput {
        title: sent.get("title"),
        goal: sent.get("goal"),
        worker: WorkerInput { worker_member_id: Some(sent.get("worker_member_id")), worker_name: String::new() },
        person_ids: sent.all("person_ids"),
        names: lines(&sent.get("names")),
    };
    match groups::create(&state.db, &actor, &id, &input, state.now_ms()).await {
        Ok(g) => Ok(see_other(&format!("/projects/{id}/records/groups/{}?ok=created", g.id))),
        Err(e @ db::AppError::Validation(_)) => form(&state, &viewer, &id, &sent, FormErrors::from_app(&e)).await,
        Err(e) => Err(e.into()),
    }
}

struct SessionRow {
    date: String,
    topic: String,
    attendance: u32,
    present: String,
}

#[derive(Template)]
#[template(path = "services/group.html")]
struct GroupPage {
    ctx: Ctx,
    h: Header,
    g: GroupView,
    minimum: &'static str,
    members: Vec<MemberView>,
    sessions: Vec<SessionRow>,
    forms: Vec<FormBox>,
}

/// Which form failed: its errors and the values sent.
enum Failed<'a> {
    None,
    Session(&'a Sent<'a>, FormErrors),
    Members(&'a Sent<'a>, FormErrors),
}

#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    rid: &str,
    failed: Failed<'_>,
    ok: Option<&str>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = db::services::project(&state.db, &actor, id).await?;
    let (g, members, sessions) = groups::get(&state.db, &actor, id, rid).await?;
    let h = header(t, &actor, &p, "groups");
    let today = vec![("held_on".to_string(), super::today(state))];
    let blank = Sent(&today);
    let (s_sent, s_err, m_sent, m_err, is_failed) = match failed {
        Failed::None => (&blank, FormErrors::default(), &blank, FormErrors::default(), false),
        Failed::Session(s, e) => (s, e, &blank, FormErrors::default(), true),
        Failed::Members(s, e) => (&blank, FormErrors::default(), s, e, true),
    };
    let mut forms = Vec::new();
    if h.can_record {
        let present = s_sent.all("present");
        let checks = members
            .iter()
            .map(|m| Choice { value: m.id.clone(), label: m.name.clone(), selected: present.contains(&m.id) })
            .collect();
        forms.push(FormBox {
            title: t.get("services.add_session").to_string(),
            action: format!("/projects/{id}/records/groups/{rid}/sessions"),
            fields: vec![
                Field::new("held_on", t.get("services.date"), "date", s_sent.get("held_on")),
                Field::new("topic", t.get("services.topic"), "text", s_sent.get("topic")),
                Field::choose("present", t.get("services.attendance"), "checks", checks),
                Field::new("notes", t.get("services.notes"), "textarea", s_sent.get("notes")),
            ],
            errors: s_err,
            submit: t.get("common.save"),
        });
        forms.push(FormBox {
            title: t.get("services.add_members").to_string(),
            action: format!("/projects/{id}/records/groups/{rid}/members"),
            fields: vec![
                Field::choose(
                    "person_ids",
                    t.get("services.people"),
                    "multi",
                    people_options(state, &actor, id, &m_sent.all("person_ids")).await?,
                ),
                Field::new("names", t.get("services.member_names"), "textarea", m_sent.get("names"))
                    .hint(t.get("services.names_hint")),
            ],
            errors: m_err,
            submit: t.get("common.save"),
        });
    }
    let names: std::collections::HashMap<&str, &str> =
        members.iter().map(|m| (m.id.as_str(), m.name.as_str())).collect();
    let sessions = sessions
        .into_iter()
        .map(|s| SessionRow {
            present: s.present.iter().filter_map(|id| names.get(id.as_str()).copied()).collect::<Vec<_>>().join("、"),
            date: s.held_on.to_string(),
            topic: s.topic,
            attendance: s.attendance,
        })
        .collect();
    let page = GroupPage {
        ctx: ctx(viewer, &p, "groups", Some(&g.title)).flash_from(ok),
        minimum: minimum(t, &g),
        h,
        g,
        members,
        sessions,
        forms,
    };
    Ok(unprocessable_if(is_failed, render(&page)))
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
    Query(q): Query<ShowQuery>,
) -> PageResult<Response> {
    page(&state, &viewer, &id, &rid, Failed::None, q.ok.as_deref()).await
}

async fn add_session(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let sent = Sent(&f.pairs);
    let mut e = Vec::new();
    let held_on = sent.date("held_on", "活动日期", &mut e);
    let input =
        SessionInput { held_on, topic: sent.get("topic"), present: sent.all("present"), notes: sent.get("notes") };
    let result = async {
        web_checked(e)?;
        groups::add_session(&state.db, &actor, &id, &rid, &input, state.now_ms()).await.map(|_| ())
    }
    .await;
    saved(
        result,
        |()| format!("/projects/{id}/records/groups/{rid}?ok=saved"),
        async |errors| page(&state, &viewer, &id, &rid, Failed::Session(&sent, errors), None).await,
    )
    .await
}

async fn add_members(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let sent = Sent(&f.pairs);
    let names = lines(&sent.get("names"));
    match groups::add_members(&state.db, &actor, &id, &rid, &sent.all("person_ids"), &names, state.now_ms()).await {
        Ok(()) => Ok(see_other(&format!("/projects/{id}/records/groups/{rid}?ok=saved"))),
        Err(e @ db::AppError::Validation(_)) => {
            page(&state, &viewer, &id, &rid, Failed::Members(&sent, FormErrors::from_app(&e)), None).await
        }
        Err(e) => Err(e.into()),
    }
}
