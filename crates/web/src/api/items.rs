//! Call items (项目清单条目) of a program: what a funder buys. Readable with the program;
//! changed by the program's managers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use db::programs::{self as repo, ItemView};
use domain::program::CallItem;
use serde::Serialize;
use utoipa::ToSchema;

use super::openapi::{ReadErrors, WriteErrors};
use super::{ApiJson, ApiQuery, PageDto, PageParams, begin, commit};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs/{id}/items", get(list).post(create))
        .route("/items/{id}", get(get_one).put(update).delete(delete))
}

/// A stored call item.
#[derive(Debug, Serialize, ToSchema)]
pub struct Item {
    pub id: String,
    pub program_id: String,
    #[serde(flatten)]
    pub fields: CallItem,
}

impl From<ItemView> for Item {
    fn from(v: ItemView) -> Self {
        Item { id: v.id, program_id: v.program_id, fields: v.item }
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
    request_body = CallItem,
    responses((status = 201, description = "The new item", body = Item), WriteErrors)
)]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(item): ApiJson<CallItem>,
) -> ApiResult<(StatusCode, Json<Item>)> {
    let txn = begin(&state).await?;
    let item_id = repo::create_item(&txn, &actor, &id, &item, state.now_ms()).await?;
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
    request_body = CallItem,
    responses((status = 200, description = "The updated item", body = Item), WriteErrors)
)]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    ApiJson(item): ApiJson<CallItem>,
) -> ApiResult<Json<Item>> {
    let txn = begin(&state).await?;
    repo::update_item(&txn, &actor, &id, &item, state.now_ms()).await?;
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
