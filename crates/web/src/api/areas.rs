//! The area tree: provinces → cities → counties → streets → communities, by statistical code.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use db::entity::area;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::ReadErrors;
use super::{ApiQuery, PageDto, PageParams, non_empty};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/areas", get(list)).route("/areas/{code}", get(get_one))
}

/// An administrative area.
#[derive(Debug, Serialize, ToSchema)]
pub struct Area {
    /// Statistical code: 2, 4, 6, 9 or 12 digits.
    #[schema(example = "320613")]
    pub code: String,
    pub parent_code: Option<String>,
    #[schema(example = "崇川区")]
    pub name: String,
    /// province, city, county, street, community.
    #[schema(example = "county")]
    pub level: String,
}

impl From<area::Model> for Area {
    fn from(a: area::Model) -> Self {
        Area { code: a.code, parent_code: a.parent_code, name: a.name, level: a.level }
    }
}

/// An area with the chain of areas above it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaDetail {
    #[serde(flatten)]
    pub area: Area,
    /// Names from the province down, e.g. "江苏省 南通市 崇川区".
    pub full_name: String,
    /// The areas above this one, from the province down.
    pub ancestors: Vec<Area>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AreaQuery {
    /// List the children of this area; without it, the provinces.
    pub parent: Option<String>,
}

/// Children of an area, by code.
#[utoipa::path(
    get,
    path = "/api/v1/areas",
    operation_id = "list_areas",
    tag = "areas",
    params(AreaQuery, PageParams),
    responses((status = 200, description = "A page of areas", body = PageDto<Area>), ReadErrors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(_actor): ApiUser,
    ApiQuery(q): ApiQuery<AreaQuery>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<PageDto<Area>>> {
    let parent = non_empty(q.parent);
    if let Some(p) = &parent {
        db::areas::get(&state.db, p).await?;
    }
    let page = db::areas::children(&state.db, parent.as_deref(), &page.request()).await?;
    Ok(Json(PageDto::of(page, Area::from)))
}

/// One area with its full name.
#[utoipa::path(
    get,
    path = "/api/v1/areas/{code}",
    operation_id = "get_area",
    tag = "areas",
    params(("code" = String, Path, description = "Statistical code, e.g. 320613")),
    responses((status = 200, description = "The area", body = AreaDetail), ReadErrors)
)]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(_actor): ApiUser,
    Path(code): Path<String>,
) -> ApiResult<Json<AreaDetail>> {
    let area = db::areas::get(&state.db, &code).await?;
    let mut path = db::areas::path(&state.db, &code).await?;
    path.retain(|a| a.code != area.code);
    let full_name = path
        .iter()
        .map(|a| a.name.as_str())
        .chain([area.name.as_str()])
        .filter(|n| *n != "市辖区")
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Json(AreaDetail { area: area.into(), full_name, ancestors: path.into_iter().map(Area::from).collect() }))
}
