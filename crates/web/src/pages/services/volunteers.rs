//! Volunteers and teams (志愿者、志愿服务队): the registry with masked phones and service hours,
//! the team form on the list, the volunteer form (team, paired people), and the volunteer page
//! with service time entries.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use db::services::recordable;
use db::services::volunteers::{self, HoursInput, HoursView, VolunteerInput, VolunteerView};
use db::{AppError, PageRequest};

use super::{
    Field, FormBox, Header, ListPage, ListQuery, Row, Sent, cell, ctx, form_page, header, hours, people_options, saved,
    web_checked,
};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::pages::{Choice, next_href, render, see_other, unprocessable, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/records/volunteers/new", get(new_form).post(create))
        .route("/projects/{id}/records/volunteers/teams", post(create_team))
        .route("/projects/{id}/records/volunteers/{rid}", get(show))
        .route("/projects/{id}/records/volunteers/{rid}/edit", get(edit_form).post(update))
        .route("/projects/{id}/records/volunteers/{rid}/hours", post(add_hours))
}

/// The new-team form, titled with the existing teams.
fn team_form(t: Tr, id: &str, existing: &str, name: String, errors: FormErrors) -> FormBox {
    let title = if existing.is_empty() {
        t.get("services.new_team").to_string()
    } else {
        format!("{}（{}：{existing}）", t.get("services.new_team"), t.get("services.teams"))
    };
    FormBox {
        title,
        action: format!("/projects/{id}/records/volunteers/teams"),
        fields: vec![Field::new("team_name", t.get("services.team_name"), "text", name)],
        errors,
        submit: t.get("common.save"),
    }
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    q: ListQuery,
    team: (String, FormErrors),
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = db::services::project(&state.db, &actor, id).await?;
    let req = PageRequest { after: q.after.clone(), limit: Some(50) };
    let page = volunteers::list(&state.db, &actor, &state.keys, id, None, &req).await?;
    let rows = page
        .items
        .iter()
        .map(|v| Row {
            href: format!("/projects/{id}/records/volunteers/{}", v.id),
            title: v.name.clone(),
            cells: vec![
                cell(t.get("services.phone"), v.phone_masked.clone().unwrap_or_default()),
                cell(t.get("services.team"), v.team_name.clone().unwrap_or_default()),
                cell(t.get("services.paired"), paired(v)),
                cell(t.get("services.hours"), hours(v.minutes)),
            ],
        })
        .collect();
    let h = header(t, &actor, &p, "volunteers");
    let failed = !team.1.is_empty();
    let teams = volunteers::teams(&state.db, &actor, id).await?;
    let team_names = teams.iter().map(|x| x.name.as_str()).collect::<Vec<_>>().join("、");
    let page = ListPage {
        ctx: ctx(viewer, &p, "volunteers", None).flash_from(q.ok.as_deref()),
        extra: h.can_record.then(|| team_form(t, id, &team_names, team.0, team.1)),
        h,
        kind: "volunteers",
        title_label: t.get("services.name"),
        columns: vec![
            t.get("services.phone"),
            t.get("services.team"),
            t.get("services.paired"),
            t.get("services.hours"),
        ],
        rows,
        next: next_href(&format!("/projects/{id}/records/volunteers"), &[], page.next_cursor),
        links: Vec::new(),
    };
    Ok(unprocessable_if(failed, render(&page)))
}

pub(super) async fn list(state: &AppState, viewer: &Viewer, id: &str, q: ListQuery) -> PageResult<Response> {
    list_page(state, viewer, id, q, (String::new(), FormErrors::default())).await
}

fn paired(v: &VolunteerView) -> String {
    v.paired.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("、")
}

async fn create_team(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let name = Sent(&f.pairs).get("team_name");
    match volunteers::create_team(&state.db, &actor, &id, &name, state.now_ms()).await {
        Ok(_) => Ok(see_other(&format!("/projects/{id}/records/volunteers?ok=created"))),
        Err(e @ AppError::Validation(_)) => {
            list_page(&state, &viewer, &id, ListQuery::default(), (name, FormErrors::from_app(&e))).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn form(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    rid: Option<&str>,
    sent: &Sent<'_>,
    errors: FormErrors,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = recordable(&state.db, &actor, id).await?;
    let teams = volunteers::teams(&state.db, &actor, id).await?;
    let team_choices = Choice::list(
        std::iter::once((String::new(), t.get("services.no_team").to_string()))
            .chain(teams.into_iter().map(|x| (x.id, x.name))),
        &sent.get("team_id"),
    );
    let phone_hint = if rid.is_some() { t.get("services.phone_keep_hint") } else { "" };
    let fields = vec![
        Field::new("name", t.get("services.name"), "text", sent.get("name")),
        Field::new("phone", t.get("services.phone"), "tel", sent.get("phone")).hint(phone_hint),
        Field::choose("team_id", t.get("services.team"), "select", team_choices),
        Field::choose(
            "person_ids",
            t.get("services.paired"),
            "multi",
            people_options(state, &actor, id, &sent.all("person_ids")).await?,
        )
        .hint(t.get("services.multi_hint")),
    ];
    let (title, action) = match rid {
        Some(r) => (t.get("services.edit"), format!("/projects/{id}/records/volunteers/{r}/edit")),
        None => (t.get("services.new_volunteer"), format!("/projects/{id}/records/volunteers/new")),
    };
    let form = FormBox { title: String::new(), action, fields, errors, submit: t.get("common.save") };
    Ok(form_page(ctx(viewer, &p, "volunteers", Some(title)), header(t, &actor, &p, "volunteers"), form))
}

fn input(sent: &Sent<'_>) -> VolunteerInput {
    VolunteerInput {
        name: sent.get("name"),
        phone: sent.get("phone"),
        team_id: Some(sent.get("team_id")),
        person_ids: sent.all("person_ids"),
    }
}

async fn new_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    form(&state, &viewer, &id, None, &Sent(&[]), FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let sent = Sent(&f.pairs);
    match volunteers::create(&state.db, &actor, &state.keys, &id, &input(&sent), state.now_ms()).await {
        Ok(v) => Ok(see_other(&format!("/projects/{id}/records/volunteers/{}?ok=created", v.id))),
        Err(e @ AppError::Validation(_)) => form(&state, &viewer, &id, None, &sent, FormErrors::from_app(&e)).await,
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let (v, _) = volunteers::get(&state.db, &actor, &state.keys, &id, &rid).await?;
    let mut pairs = vec![("name".to_string(), v.name), ("team_id".to_string(), v.team_id.unwrap_or_default())];
    pairs.extend(v.paired.into_iter().map(|p| ("person_ids".to_string(), p.id)));
    form(&state, &viewer, &id, Some(&rid), &Sent(&pairs), FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let sent = Sent(&f.pairs);
    match volunteers::update(&state.db, &actor, &state.keys, &id, &rid, &input(&sent), state.now_ms()).await {
        Ok(_) => Ok(see_other(&format!("/projects/{id}/records/volunteers/{rid}?ok=saved"))),
        Err(e @ AppError::Validation(_)) => {
            let mut again: Vec<(String, String)> = f.pairs.iter().filter(|(k, _)| k != "phone").cloned().collect();
            again.push(("phone".into(), String::new()));
            form(&state, &viewer, &id, Some(&rid), &Sent(&again), FormErrors::from_app(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "services/volunteer.html")]
struct VolunteerPage {
    ctx: Ctx,
    h: Header,
    v: VolunteerView,
    total: String,
    paired: String,
    entries: Vec<(HoursView, String)>,
    form: Option<FormBox>,
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
    let (v, entries) = volunteers::get(&state.db, &actor, &state.keys, id, rid).await?;
    let h = header(t, &actor, &p, "volunteers");
    let failed = !errors.is_empty();
    let form = h.can_record.then(|| FormBox {
        title: t.get("services.add_hours").to_string(),
        action: format!("/projects/{id}/records/volunteers/{rid}/hours"),
        fields: vec![
            Field::new("served_on", t.get("services.date"), "date", sent.get("served_on")),
            Field::new("minutes", t.get("services.minutes"), "number", sent.get("minutes")),
            Field::new("notes", t.get("services.notes"), "textarea", sent.get("notes")),
        ],
        errors,
        submit: t.get("common.save"),
    });
    let page = VolunteerPage {
        ctx: ctx(viewer, &p, "volunteers", Some(&v.name)).flash_from(ok),
        total: hours(v.minutes),
        paired: paired(&v),
        entries: entries
            .into_iter()
            .map(|e| {
                let h = hours(i64::from(e.minutes));
                (e, h)
            })
            .collect(),
        h,
        v,
        form,
    };
    let res = render(&page);
    Ok(if failed { unprocessable(res) } else { res })
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
    let pairs = vec![("served_on".to_string(), super::today(&state)), ("minutes".to_string(), "60".to_string())];
    page(&state, &viewer, &id, &rid, &Sent(&pairs), FormErrors::default(), q.ok.as_deref()).await
}

async fn add_hours(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let sent = Sent(&f.pairs);
    let mut e = Vec::new();
    let input = HoursInput {
        served_on: sent.date("served_on", "服务日期", &mut e),
        minutes: sent.int("minutes", "服务时长（分钟）", &mut e),
        notes: sent.get("notes"),
    };
    let result = async {
        web_checked(e)?;
        volunteers::add_hours(&state.db, &actor, &id, &rid, &input, state.now_ms()).await.map(|_| ())
    }
    .await;
    saved(
        result,
        |()| format!("/projects/{id}/records/volunteers/{rid}?ok=saved"),
        async |errors| page(&state, &viewer, &id, &rid, &sent, errors, None).await,
    )
    .await
}
