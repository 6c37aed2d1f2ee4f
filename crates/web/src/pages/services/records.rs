//! Service records (服务记录): list, new and edit forms, and the Excel export.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use db::PageRequest;
use db::services::records::{self, RecordFilter, ServiceRecordInput, ServiceRecordView};
use db::services::{WorkerInput, recordable};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{
    Field, FormBox, ListPage, ListQuery, Row, Sent, cell, ctx, form_page, header, people_options, saved, web_checked,
    worker_field,
};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::FormErrors;
use crate::pages::{Choice, next_href, render};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/records/services.xlsx", get(export))
        .route("/projects/{id}/records/services/new", get(new_form).post(create))
        .route("/projects/{id}/records/services/{rid}", get(edit_form).post(update))
}

pub(super) async fn list(state: &AppState, viewer: &Viewer, id: &str, q: ListQuery) -> PageResult<Response> {
    let actor = viewer.require()?;
    let t = viewer.tr;
    let p = db::services::project(&state.db, &actor, id).await?;
    let filter = RecordFilter { person_id: q.person.clone(), service_type: None };
    let page =
        records::list(&state.db, &actor, id, &filter, &PageRequest { after: q.after.clone(), limit: Some(50) }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|r| Row {
            href: format!("/projects/{id}/records/services/{}", r.id),
            title: r.service_type_name.clone(),
            cells: vec![
                cell(t.get("services.date"), r.served_on.to_string()),
                cell(t.get("services.people"), names(&r)),
                cell(t.get("services.worker"), r.worker_name),
                cell(t.get("services.minutes"), r.minutes.to_string()),
            ],
        })
        .collect();
    let base = format!("/projects/{id}/records/services");
    let person = q.person.clone().unwrap_or_default();
    let page = ListPage {
        ctx: ctx(viewer, &p, "services", None).flash_from(q.ok.as_deref()),
        h: header(t, &actor, &p, "services"),
        kind: "services",
        title_label: t.get("services.service_type"),
        columns: vec![
            t.get("services.date"),
            t.get("services.people"),
            t.get("services.worker"),
            t.get("services.minutes"),
        ],
        rows,
        next: next_href(&base, &[("person", &person)], page.next_cursor),
        links: vec![(t.get("services.export").to_string(), format!("/projects/{id}/records/services.xlsx"))],
        extra: None,
    };
    Ok(render(&page))
}

fn names(r: &ServiceRecordView) -> String {
    r.people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("、")
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
    let types = Choice::list(
        db::services::records::service_types()
            .iter()
            .map(|s| (s.code.clone(), if t.is_en() { s.en.clone() } else { s.name.clone() })),
        &sent.get("service_type"),
    );
    let fields = vec![
        Field::choose("service_type", t.get("services.service_type"), "select", types),
        Field::new("served_on", t.get("services.date"), "date", sent.get("served_on")),
        Field::choose(
            "person_ids",
            t.get("services.people"),
            "multi",
            people_options(state, &actor, id, &sent.all("person_ids")).await?,
        )
        .hint(t.get("services.multi_hint")),
        Field::new("minutes", t.get("services.minutes"), "number", sent.get("minutes")),
        worker_field(t, &p, &sent.get("worker_member_id")),
        Field::new("notes", t.get("services.notes"), "textarea", sent.get("notes")),
    ];
    let (title, action) = match rid {
        Some(r) => (t.get("services.edit"), format!("/projects/{id}/records/services/{r}")),
        None => (t.get("services.new_service"), format!("/projects/{id}/records/services/new")),
    };
    let form = FormBox { title: String::new(), action, fields, errors, submit: t.get("common.save") };
    Ok(form_page(ctx(viewer, &p, "services", Some(title)), header(t, &actor, &p, "services"), form))
}

fn input(sent: &Sent<'_>) -> Result<ServiceRecordInput, db::AppError> {
    let mut e = Vec::new();
    let served_on = sent.date("served_on", "服务日期", &mut e);
    let minutes = sent.int("minutes", "服务时长（分钟）", &mut e);
    web_checked(e)?;
    Ok(ServiceRecordInput {
        service_type: sent.get("service_type"),
        served_on,
        worker: WorkerInput { worker_member_id: Some(sent.get("worker_member_id")), worker_name: String::new() },
        person_ids: sent.all("person_ids"),
        minutes,
        notes: sent.get("notes"),
    })
}

async fn new_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let today = super::today(&state);
    let pairs = vec![("served_on".to_string(), today), ("minutes".to_string(), "60".to_string())];
    form(&state, &viewer, &id, None, &Sent(&pairs), FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    f: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let sent = Sent(&f.pairs);
    let result = async {
        let i = input(&sent)?;
        records::create(&state.db, &actor, &id, &i, state.now_ms()).await
    }
    .await;
    saved(
        result,
        |_| format!("/projects/{id}/records/services?ok=created"),
        async |errors| form(&state, &viewer, &id, None, &sent, errors).await,
    )
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, rid)): Path<(String, String)>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let r = records::get(&state.db, &actor, &id, &rid).await?;
    let mut pairs = vec![
        ("service_type".to_string(), r.service_type.clone()),
        ("served_on".to_string(), r.served_on.to_string()),
        ("minutes".to_string(), r.minutes.to_string()),
        ("worker_member_id".to_string(), r.worker_member_id.clone().unwrap_or_default()),
        ("notes".to_string(), r.notes.clone()),
    ];
    pairs.extend(r.people.iter().map(|p| ("person_ids".to_string(), p.id.clone())));
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
    let result = async {
        let i = input(&sent)?;
        records::update(&state.db, &actor, &id, &rid, &i, state.now_ms()).await
    }
    .await;
    saved(
        result,
        |_| format!("/projects/{id}/records/services?ok=saved"),
        async |errors| form(&state, &viewer, &id, Some(&rid), &sent, errors).await,
    )
    .await
}

const COLUMNS: [&str; 7] = ["服务日期", "服务类型", "服务对象", "服务人员", "时长（分钟）", "服务内容", "记录编号"];

fn workbook(rows: &[ServiceRecordView]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_background_color("D9E2EC");
    let sheet = wb.add_worksheet();
    sheet.set_name("服务记录")?;
    for (c, h) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &head)?;
        sheet.set_column_width(c as u16, if c == 5 { 40 } else { 14 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        sheet.write_string(row, 0, r.served_on.to_string())?;
        sheet.write_string(row, 1, &r.service_type_name)?;
        sheet.write_string(row, 2, names(r))?;
        sheet.write_string(row, 3, &r.worker_name)?;
        sheet.write_number(row, 4, f64::from(r.minutes))?;
        sheet.write_string(row, 5, &r.notes)?;
        sheet.write_string(row, 6, &r.id)?;
    }
    wb.save_to_buffer()
}

async fn export(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let rows = records::all(&state.db, &actor, &id).await?;
    let bytes = workbook(&rows).map_err(|e| db::AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"service-records.xlsx\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}
