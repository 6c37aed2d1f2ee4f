//! Call items (项目清单条目) of a program: what a funder buys. Readable with the program;
//! changed by the program's managers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use db::programs::{self as repo, ItemView};
use domain::money::Fen;
use domain::program::{CallItem, OutputTarget};
use domain::rules::{ProgramRules, Share};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::openapi::{ReadErrors, WriteErrors};
use super::{ApiJson, ApiQuery, PageDto, PageParams, begin, commit, schemas};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs/{id}/items", get(list).post(create))
        .route("/items/{id}", get(get_one).put(update).delete(delete))
}

/// The fields of a call item, as published in the catalog.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ItemFields {
    /// Code as published, unique in the program: "2021C1001E", "1-1", "D01".
    #[schema(example = "D16")]
    pub code: String,
    /// Code of the program's track this item belongs to.
    #[schema(example = "directed")]
    pub track: String,
    pub name: String,
    /// 项目类别.
    pub category: String,
    /// 包号 of a tendered lot.
    pub lot: Option<u32>,
    pub overview: String,
    /// 主要服务对象.
    pub beneficiaries: String,
    /// 基本服务量, verbatim.
    pub service_volume: String,
    /// 项目目标.
    pub objectives: String,
    /// 服务内容.
    pub content: String,
    /// Quantified outputs (基本产出).
    #[schema(value_type = Vec<schemas::OutputTarget>)]
    pub outputs: Vec<OutputTarget>,
    /// 评估指标, verbatim lines.
    pub indicators: Vec<String>,
    /// Funding cap per project in yuan.
    #[schema(value_type = Option<schemas::Money>)]
    pub funding_cap: Option<Fen>,
    /// 项目数量: how many projects may be awarded under this item.
    pub slots: Option<u32>,
    /// 实施地点 as written.
    pub places: String,
    /// Division codes of the places.
    pub place_codes: Vec<String>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// 项目周期 as written when it is not a date range.
    pub period_note: String,
    /// 支持单位.
    pub support_units: Vec<String>,
    #[schema(value_type = Vec<schemas::Share>)]
    pub co_funding: Vec<Share>,
    /// Rules of this item only (added to the track's and the program's).
    #[schema(value_type = schemas::Rules)]
    pub rules: ProgramRules,
    pub notes: String,
}

impl From<CallItem> for ItemFields {
    fn from(i: CallItem) -> Self {
        ItemFields {
            code: i.code,
            track: i.track,
            name: i.name,
            category: i.category,
            lot: i.lot,
            overview: i.overview,
            beneficiaries: i.beneficiaries,
            service_volume: i.service_volume,
            objectives: i.objectives,
            content: i.content,
            outputs: i.outputs,
            indicators: i.indicators,
            funding_cap: i.funding_cap,
            slots: i.slots,
            places: i.places,
            place_codes: i.place_codes,
            period_start: i.period_start,
            period_end: i.period_end,
            period_note: i.period_note,
            support_units: i.support_units,
            co_funding: i.co_funding,
            rules: i.rules,
            notes: i.notes,
        }
    }
}

impl From<ItemFields> for CallItem {
    fn from(i: ItemFields) -> Self {
        CallItem {
            code: i.code,
            track: i.track,
            name: i.name,
            category: i.category,
            lot: i.lot,
            overview: i.overview,
            beneficiaries: i.beneficiaries,
            service_volume: i.service_volume,
            objectives: i.objectives,
            content: i.content,
            outputs: i.outputs,
            indicators: i.indicators,
            funding_cap: i.funding_cap,
            slots: i.slots,
            places: i.places,
            place_codes: i.place_codes,
            period_start: i.period_start,
            period_end: i.period_end,
            period_note: i.period_note,
            support_units: i.support_units,
            co_funding: i.co_funding,
            rules: i.rules,
            notes: i.notes,
        }
    }
}

/// A stored call item.
#[derive(Debug, Serialize, ToSchema)]
pub struct Item {
    pub id: String,
    pub program_id: String,
    #[serde(flatten)]
    pub fields: ItemFields,
}

impl From<ItemView> for Item {
    fn from(v: ItemView) -> Self {
        Item { id: v.id, program_id: v.program_id, fields: v.item.into() }
    }
}

/// Items of a program, a page at a time (by id).
#[utoipa::path(
    get,
    path = "/api/v1/programs/{id}/items",
    operation_id = "list_items",
    tag = "items",
    params(("id" = String, Path, description = "Program id or code"), PageParams),
    responses((status = 200, description = "A page of items", body = PageDto<Item>), ReadErrors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<Item>>> {
    let page = repo::items_page(&state.db, Some(&actor), &id, &page.request()).await?;
    Ok(Json(PageDto::of(page, Item::from)))
}

/// Add an item to a program (its managers).
#[utoipa::path(
    post,
    path = "/api/v1/programs/{id}/items",
    operation_id = "create_item",
    tag = "items",
    params(("id" = String, Path, description = "Program id or code")),
    request_body = ItemFields,
    responses((status = 201, description = "The new item", body = Item), WriteErrors)
)]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ItemFields>,
) -> ApiResult<(StatusCode, Json<Item>)> {
    let txn = begin(&state).await?;
    let item_id = repo::create_item(&txn, &actor, &id, &body.into(), state.now_ms()).await?;
    let item = repo::item(&txn, Some(&actor), &item_id).await?;
    commit(txn).await?;
    Ok((StatusCode::CREATED, Json(item.into())))
}

/// One item.
#[utoipa::path(
    get,
    path = "/api/v1/items/{id}",
    operation_id = "get_item",
    tag = "items",
    params(("id" = String, Path, description = "Item id")),
    responses((status = 200, description = "The item", body = Item), ReadErrors)
)]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Item>> {
    Ok(Json(repo::item(&state.db, Some(&actor), &id).await?.into()))
}

/// Replace an item's fields.
#[utoipa::path(
    put,
    path = "/api/v1/items/{id}",
    operation_id = "update_item",
    tag = "items",
    params(("id" = String, Path, description = "Item id")),
    request_body = ItemFields,
    responses((status = 200, description = "The updated item", body = Item), WriteErrors)
)]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ItemFields>,
) -> ApiResult<Json<Item>> {
    let txn = begin(&state).await?;
    repo::update_item(&txn, &actor, &id, &body.into(), state.now_ms()).await?;
    let item = repo::item(&txn, Some(&actor), &id).await?;
    commit(txn).await?;
    Ok(Json(item.into()))
}

/// Delete an item.
#[utoipa::path(
    delete,
    path = "/api/v1/items/{id}",
    operation_id = "delete_item",
    tag = "items",
    params(("id" = String, Path, description = "Item id")),
    responses((status = 204, description = "Deleted"), WriteErrors)
)]
pub async fn delete(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let txn = begin(&state).await?;
    repo::delete_item(&txn, &actor, &id, state.now_ms()).await?;
    commit(txn).await?;
    Ok(StatusCode::NO_CONTENT)
}
