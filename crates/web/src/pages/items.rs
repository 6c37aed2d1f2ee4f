//! Call items: the funder's form (with structured output targets), the item page, delete,
//! and the catalog's Excel export, template and all-or-nothing import.

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use db::AppError;
use db::programs::ProgramDetail;
use domain::program::{CallItem, OutputTarget};
use sea_orm::TransactionTrait;

use super::public::{ItemData, item_data};
use super::{render, see_other};
use crate::auth::{CsrfForm, Viewer, check_csrf};
use crate::error::PageResult;
use crate::excel::{self, METRICS, PERIODS};
use crate::forms::{FormErrors, all, lines, opt_date, opt_int, opt_wan, wan};
use crate::pages::{Choice, unprocessable_if};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/programs/{id}/items/new", get(new_form).post(create))
        .route("/admin/items/{id}", get(show))
        .route("/admin/items/{id}/edit", get(edit_form).post(update))
        .route("/admin/items/{id}/delete", post(delete))
        .route("/admin/programs/{id}/items.xlsx", get(export))
        .route("/admin/programs/{id}/template.xlsx", get(template))
        .route("/admin/programs/{id}/import", get(import_form).post(import))
}

async fn managed(state: &AppState, viewer: &Viewer, program: &str) -> PageResult<ProgramDetail> {
    let actor = viewer.require()?;
    let p = db::programs::get(&state.db, Some(&actor), program).await?;
    if !db::programs::can_manage(&state.db, &actor, &p.id).await? {
        return Err(AppError::Forbidden.into());
    }
    Ok(p)
}

/// One row of the outputs table on the form.
#[derive(Default, Clone)]
pub struct OutputRowForm {
    pub metric: String,
    pub description: String,
    pub quantity: String,
    pub quantity_max: String,
    pub unit: String,
    pub period: String,
    pub per_beneficiary: bool,
    pub min_per_year: String,
    pub within_days: String,
    /// min_members / min_sessions / min_months kept through an edit.
    pub extra: String,
}

/// The item form as typed.
#[derive(Default, Clone)]
pub struct ItemForm {
    pub code: String,
    pub track: String,
    pub name: String,
    pub category: String,
    pub lot: String,
    pub overview: String,
    pub beneficiaries: String,
    pub service_volume: String,
    pub objectives: String,
    pub content: String,
    pub cap_wan: String,
    pub slots: String,
    pub places: String,
    pub period_start: String,
    pub period_end: String,
    pub period_note: String,
    pub support_units: String,
    pub indicators: String,
    pub notes: String,
    pub outputs: Vec<OutputRowForm>,
}

fn s<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

impl ItemForm {
    fn of(item: &CallItem) -> ItemForm {
        let mut outputs: Vec<OutputRowForm> = item
            .outputs
            .iter()
            .map(|o| OutputRowForm {
                metric: serde_json::to_value(o.metric).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
                description: o.description.clone(),
                quantity: s(o.quantity),
                quantity_max: s(o.quantity_max),
                unit: o.unit.clone(),
                period: o.period.and_then(|p| serde_json::to_value(p).ok()).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
                per_beneficiary: o.per_beneficiary,
                min_per_year: s(o.min_per_year),
                within_days: s(o.within_days_of_start),
                extra: serde_json::json!({"min_members": o.min_members, "min_sessions": o.min_sessions, "min_months": o.min_months}).to_string(),
            })
            .collect();
        outputs.extend(std::iter::repeat_n(OutputRowForm::default(), 3));
        ItemForm {
            code: item.code.clone(),
            track: item.track.clone(),
            name: item.name.clone(),
            category: item.category.clone(),
            lot: s(item.lot),
            overview: item.overview.clone(),
            beneficiaries: item.beneficiaries.clone(),
            service_volume: item.service_volume.clone(),
            objectives: item.objectives.clone(),
            content: item.content.clone(),
            cap_wan: wan(item.funding_cap),
            slots: s(item.slots),
            places: item.places.clone(),
            period_start: s(item.period_start),
            period_end: s(item.period_end),
            period_note: item.period_note.clone(),
            support_units: item.support_units.join("\n"),
            indicators: item.indicators.join("\n"),
            notes: item.notes.clone(),
            outputs,
        }
    }

    /// Read the posted fields (outputs are repeated fields, one value per row).
    fn from_pairs(pairs: &[(String, String)]) -> ItemForm {
        let one = |k: &str| all(pairs, k).first().map(|v| v.to_string()).unwrap_or_default();
        let col = |k: &str| all(pairs, k);
        let (metrics, descs, qty, qmax, units, periods, per, per_year, within, extra) = (
            col("o_metric"),
            col("o_description"),
            col("o_quantity"),
            col("o_quantity_max"),
            col("o_unit"),
            col("o_period"),
            col("o_per_beneficiary"),
            col("o_min_per_year"),
            col("o_within_days"),
            col("o_extra"),
        );
        let at = |v: &Vec<&str>, i: usize| v.get(i).map(|x| x.to_string()).unwrap_or_default();
        let outputs = (0..descs.len())
            .map(|i| OutputRowForm {
                metric: at(&metrics, i),
                description: at(&descs, i),
                quantity: at(&qty, i),
                quantity_max: at(&qmax, i),
                unit: at(&units, i),
                period: at(&periods, i),
                per_beneficiary: at(&per, i) == "yes",
                min_per_year: at(&per_year, i),
                within_days: at(&within, i),
                extra: at(&extra, i),
            })
            .collect();
        ItemForm {
            code: one("code"),
            track: one("track"),
            name: one("name"),
            category: one("category"),
            lot: one("lot"),
            overview: one("overview"),
            beneficiaries: one("beneficiaries"),
            service_volume: one("service_volume"),
            objectives: one("objectives"),
            content: one("content"),
            cap_wan: one("cap_wan"),
            slots: one("slots"),
            places: one("places"),
            period_start: one("period_start"),
            period_end: one("period_end"),
            period_note: one("period_note"),
            support_units: one("support_units"),
            indicators: one("indicators"),
            notes: one("notes"),
            outputs,
        }
    }

    /// The item, keeping parts the form does not show (place codes, co-funding, item rules).
    fn to_item(&self, keep: Option<&CallItem>) -> Result<CallItem, AppError> {
        let mut e = Vec::new();
        let uint = |v: &str, field: &str, label: &str, e: &mut Vec<_>| {
            opt_int(v, field, label, e).and_then(|n| u32::try_from(n).ok())
        };
        let mut outputs = Vec::new();
        for (i, o) in self.outputs.iter().enumerate() {
            if o.description.trim().is_empty() {
                continue;
            }
            let n = i + 1;
            let metric = serde_json::from_value(serde_json::Value::String(o.metric.clone()))
                .unwrap_or(domain::program::Metric::Other);
            let period = if o.period.is_empty() {
                None
            } else {
                serde_json::from_value(serde_json::Value::String(o.period.clone())).ok()
            };
            let extra: serde_json::Value = serde_json::from_str(&o.extra).unwrap_or_default();
            let ex = |k: &str| extra.get(k).and_then(|v| v.as_u64()).and_then(|v| u32::try_from(v).ok());
            outputs.push(OutputTarget {
                metric,
                description: o.description.trim().to_string(),
                quantity: uint(&o.quantity, &format!("outputs.{i}.quantity"), &format!("基本产出第{n}项 数量"), &mut e),
                quantity_max: uint(
                    &o.quantity_max,
                    &format!("outputs.{i}.quantity_max"),
                    &format!("基本产出第{n}项 上限"),
                    &mut e,
                ),
                unit: o.unit.trim().to_string(),
                per_beneficiary: o.per_beneficiary,
                period,
                min_per_year: uint(
                    &o.min_per_year,
                    &format!("outputs.{i}.min_per_year"),
                    &format!("基本产出第{n}项 全年不少于"),
                    &mut e,
                ),
                within_days_of_start: uint(
                    &o.within_days,
                    &format!("outputs.{i}.within_days"),
                    &format!("基本产出第{n}项 开始后天数"),
                    &mut e,
                ),
                min_members: ex("min_members"),
                min_sessions: ex("min_sessions"),
                min_months: ex("min_months"),
            });
        }
        let item = CallItem {
            code: self.code.trim().to_string(),
            track: self.track.clone(),
            name: self.name.trim().to_string(),
            category: self.category.trim().to_string(),
            lot: uint(&self.lot, "lot", "包号", &mut e),
            overview: self.overview.trim().to_string(),
            beneficiaries: self.beneficiaries.trim().to_string(),
            service_volume: self.service_volume.trim().to_string(),
            objectives: self.objectives.trim().to_string(),
            content: self.content.trim().to_string(),
            outputs,
            indicators: lines(&self.indicators),
            funding_cap: opt_wan(&self.cap_wan, "funding_cap", "资金上限", &mut e),
            slots: uint(&self.slots, "slots", "项目数量", &mut e),
            places: self.places.trim().to_string(),
            place_codes: keep.map(|k| k.place_codes.clone()).unwrap_or_default(),
            period_start: opt_date(&self.period_start, "period_start", "开始日期", &mut e),
            period_end: opt_date(&self.period_end, "period_end", "结束日期", &mut e),
            period_note: self.period_note.trim().to_string(),
            support_units: lines(&self.support_units),
            co_funding: keep.map(|k| k.co_funding.clone()).unwrap_or_default(),
            rules: keep.map(|k| k.rules.clone()).unwrap_or_default(),
            notes: self.notes.trim().to_string(),
        };
        if e.is_empty() { Ok(item) } else { Err(AppError::Validation(e)) }
    }
}

#[derive(Template)]
#[template(path = "admin/item_form.html")]
struct FormPage {
    ctx: Ctx,
    f: ItemForm,
    errors: FormErrors,
    action: String,
    cancel: String,
    tracks: Vec<Choice>,
    metrics: Vec<Choice>,
    periods: Vec<Choice>,
}

fn choices<T: serde::Serialize + Copy>(list: &[(T, &str)]) -> Vec<Choice> {
    list.iter()
        .map(|(v, l)| Choice {
            selected: false,
            value: serde_json::to_value(v).ok().and_then(|x| x.as_str().map(str::to_string)).unwrap_or_default(),
            label: l.to_string(),
        })
        .collect()
}

fn form_page(
    viewer: &Viewer,
    p: &ProgramDetail,
    title: &str,
    f: ItemForm,
    errors: FormErrors,
    action: String,
    cancel: String,
) -> Response {
    let ctx = Ctx::new(viewer, "programs", title)
        .crumb("/admin/programs", viewer.tr.get("programs.title"))
        .crumb(format!("/admin/programs/{}", p.id), p.name.clone())
        .crumb("", title);
    let failed = !errors.is_empty();
    let tracks =
        p.tracks.iter().map(|t| Choice { value: t.code.clone(), label: t.name.clone(), selected: false }).collect();
    unprocessable_if(
        failed,
        render(&FormPage {
            ctx,
            f,
            errors,
            action,
            cancel,
            tracks,
            metrics: choices(&METRICS),
            periods: choices(&PERIODS),
        }),
    )
}

async fn new_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let p = managed(&state, &viewer, &id).await?;
    let mut f = ItemForm { track: p.tracks.first().map(|t| t.code.clone()).unwrap_or_default(), ..Default::default() };
    f.outputs = vec![OutputRowForm::default(); 4];
    Ok(form_page(
        &viewer,
        &p,
        viewer.tr.get("items.new"),
        f,
        FormErrors::default(),
        format!("/admin/programs/{}/items/new", p.id),
        format!("/admin/programs/{}", p.id),
    ))
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let p = managed(&state, &viewer, &id).await?;
    let f = ItemForm::from_pairs(&form.pairs);
    let result = match f.to_item(None) {
        Ok(item) => db::programs::create_item(&state.db, &actor, &p.id, &item, state.now_ms()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(item_id) => Ok(see_other(&format!("/admin/items/{item_id}?ok=created"))),
        Err(e @ AppError::Validation(_)) => Ok(form_page(
            &viewer,
            &p,
            viewer.tr.get("items.new"),
            f,
            FormErrors::from_app(&e),
            format!("/admin/programs/{}/items/new", p.id),
            format!("/admin/programs/{}", p.id),
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "admin/item.html")]
struct ShowPage {
    ctx: Ctx,
    i: ItemData,
    item_id: String,
    can_manage: bool,
    /// An organization's people may apply to an item of a published program.
    can_apply: bool,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<super::ListQuery>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let it = db::programs::item(&state.db, Some(&actor), &id).await?;
    let p = db::programs::get(&state.db, Some(&actor), &it.program_id).await?;
    let can_manage = db::programs::can_manage(&state.db, &actor, &p.id).await?;
    let can_apply = matches!(actor.role, domain::role::Role::OrgAdmin | domain::role::Role::OrgStaff)
        && p.status == domain::program::ProgramStatus::Published;
    let i = item_data(viewer.tr, &p, &it);
    let ctx = Ctx::new(&viewer, "programs", i.name.clone())
        .crumb("/admin/programs", viewer.tr.get("programs.title"))
        .crumb(format!("/admin/programs/{}", p.id), p.name.clone())
        .crumb("", i.code.clone())
        .flash_from(q.ok.as_deref());
    Ok(render(&ShowPage { ctx, i, item_id: it.id, can_manage, can_apply }))
}

async fn edit_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let it = db::programs::item(&state.db, Some(&actor), &id).await?;
    let p = managed(&state, &viewer, &it.program_id).await?;
    Ok(form_page(
        &viewer,
        &p,
        viewer.tr.get("items.edit"),
        ItemForm::of(&it.item),
        FormErrors::default(),
        format!("/admin/items/{id}/edit"),
        format!("/admin/items/{id}"),
    ))
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let it = db::programs::item(&state.db, Some(&actor), &id).await?;
    let p = managed(&state, &viewer, &it.program_id).await?;
    let f = ItemForm::from_pairs(&form.pairs);
    let result = match f.to_item(Some(&it.item)) {
        Ok(item) => db::programs::update_item(&state.db, &actor, &id, &item, state.now_ms()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/admin/items/{id}?ok=saved"))),
        Err(e @ AppError::Validation(_)) => Ok(form_page(
            &viewer,
            &p,
            viewer.tr.get("items.edit"),
            f,
            FormErrors::from_app(&e),
            format!("/admin/items/{id}/edit"),
            format!("/admin/items/{id}"),
        )),
        Err(e) => Err(e.into()),
    }
}

async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let it = db::programs::item(&state.db, Some(&actor), &id).await?;
    db::programs::delete_item(&state.db, &actor, &id, state.now_ms()).await?;
    Ok(see_other(&format!("/admin/programs/{}?ok=deleted", it.program_id)))
}

fn xlsx(bytes: Vec<u8>, filename: &str) -> Response {
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"catalog.xlsx\"; filename*=UTF-8''{encoded}")),
        ],
        bytes,
    )
        .into_response()
}

async fn export(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let p = db::programs::get(&state.db, Some(&actor), &id).await?;
    let items: Vec<CallItem> =
        db::programs::items(&state.db, Some(&actor), &p.id).await?.into_iter().map(|i| i.item).collect();
    let bytes = excel::write_catalog(&items, &p.tracks).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(xlsx(bytes, &format!("{}-项目清单.xlsx", p.name)))
}

async fn template(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let p = managed(&state, &viewer, &id).await?;
    let bytes = excel::write_catalog(&[], &p.tracks).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(xlsx(bytes, &format!("{}-项目清单模板.xlsx", p.name)))
}

#[derive(Template)]
#[template(path = "admin/import.html")]
struct ImportPage {
    ctx: Ctx,
    program_id: String,
    errors: FormErrors,
    tracks: Vec<Choice>,
}

fn import_page(viewer: &Viewer, p: &ProgramDetail, errors: FormErrors) -> Response {
    let ctx = Ctx::new(viewer, "programs", viewer.tr.get("items.import"))
        .crumb("/admin/programs", viewer.tr.get("programs.title"))
        .crumb(format!("/admin/programs/{}", p.id), p.name.clone())
        .crumb("", viewer.tr.get("items.import"));
    let failed = !errors.is_empty();
    let tracks =
        p.tracks.iter().map(|t| Choice { value: t.code.clone(), label: t.name.clone(), selected: false }).collect();
    unprocessable_if(failed, render(&ImportPage { ctx, program_id: p.id.clone(), errors, tracks }))
}

async fn import_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let p = managed(&state, &viewer, &id).await?;
    Ok(import_page(&viewer, &p, FormErrors::default()))
}

/// Upload an Excel catalog: every row is checked, then all are saved in one transaction.
async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let p = managed(&state, &viewer, &id).await?;
    let mut csrf = None;
    let mut file: Option<Bytes> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.ok(),
            Some("file") => file = field.bytes().await.ok(),
            _ => {}
        }
    }
    check_csrf(viewer.session.as_ref(), csrf.as_deref())?;
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return Ok(import_page(
            &viewer,
            &p,
            FormErrors::from_app(&AppError::field("file", "文件：请选择要导入的 Excel 文件")),
        ));
    };
    let rows = match excel::read_catalog(&bytes) {
        Ok(rows) => rows,
        Err(errors) => return Ok(import_page(&viewer, &p, FormErrors::from_fields(errors))),
    };
    let txn = state.db.begin().await.map_err(db::db_err)?;
    match db::programs::import_items(&txn, &actor, &p.id, &rows, state.now_ms()).await {
        Ok((added, updated)) => {
            txn.commit().await.map_err(db::db_err)?;
            tracing::info!(added, updated, program = %p.code, "catalog imported");
            Ok(see_other(&format!("/admin/programs/{}?ok=imported", p.id)))
        }
        Err(e @ AppError::Validation(_)) => {
            txn.rollback().await.map_err(db::db_err)?;
            Ok(import_page(&viewer, &p, FormErrors::from_app(&e)))
        }
        Err(e) => Err(e.into()),
    }
}
