//! The ranking per call item with the tie-break statement, the Excel exports (score matrix:
//! experts × applications with each criterion; ranking) and the printable score sheet of one
//! expert with a signature line.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use db::AppError;
use db::review::{MatrixRow, ProgramRanking, ScoreMatrix};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{local, program_id};
use crate::auth::Viewer;
use crate::error::PageResult;
use crate::pages::render;
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/review/programs/{id}/ranking", get(ranking))
        .route("/admin/review/programs/{id}/ranking.xlsx", get(ranking_xlsx))
        .route("/admin/review/programs/{id}/matrix.xlsx", get(matrix_xlsx))
        .route("/admin/review/programs/{id}/sheet/{expert}", get(sheet))
}

#[derive(Template)]
#[template(path = "review/ranking.html")]
struct RankingPage {
    ctx: Ctx,
    program: String,
    groups: Vec<ProgramRanking>,
}

async fn ranking(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let tr = viewer.tr;
    let pid = program_id(&state, &actor, &id).await?;
    let groups = db::review::ranking(&state.db, &actor, &pid).await?;
    let ctx = Ctx::new(&viewer, "review_admin", tr.get("review.ranking_title"))
        .crumb(format!("/admin/review?program={pid}"), tr.get("review.panels_title"))
        .crumb("", tr.get("review.ranking_title"));
    Ok(render(&RankingPage { ctx, program: pid, groups }))
}

fn xlsx(bytes: Vec<u8>, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response()
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

fn row_no(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

/// Score matrix: one row per expert and application, one column per criterion.
pub fn write_matrix(m: &ScoreMatrix) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_background_color("D9E2EC").set_text_wrap();
    let sheet = wb.add_worksheet().set_name("评分矩阵")?;
    let mut headers: Vec<String> = vec!["评审专家".into(), "申报项目".into(), "申报单位".into()];
    headers.extend(m.criteria.iter().map(|c| format!("{}（满分{}）", c.name, c.max_score)));
    headers.extend(["合计", "否决项", "评审意见", "状态", "签名时间"].map(String::from));
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col(c), h, &head)?;
    }
    for (i, r) in m.rows.iter().enumerate() {
        let row = row_no(i + 1);
        sheet.write_string(row, 0, &r.expert_name)?;
        sheet.write_string(row, 1, &r.application_title)?;
        sheet.write_string(row, 2, &r.organization_name)?;
        for (j, cell) in r.scores.iter().enumerate() {
            if let Some(s) = cell.score {
                sheet.write_number(row, col(3 + j), s.0 as f64 / 100.0)?;
            }
        }
        let base = 3 + r.scores.len();
        if let Some(t) = r.total {
            sheet.write_number(row, col(base), t.0 as f64 / 100.0)?;
        }
        sheet.write_string(row, col(base + 1), r.knockouts.join("；"))?;
        sheet.write_string(row, col(base + 2), &r.comment)?;
        sheet.write_string(row, col(base + 3), status_text(r))?;
        sheet.write_string(row, col(base + 4), r.signed_ms.map(local).unwrap_or_default())?;
    }
    sheet.set_column_width(1, 30)?;
    sheet.set_column_width(2, 28)?;
    wb.save_to_buffer()
}

fn status_text(r: &MatrixRow) -> &'static str {
    match r.status.as_str() {
        "conflict" => "利益冲突回避",
        "avoided" => "按规定回避",
        "pending" => "未声明",
        _ if r.signed => "已签名",
        _ if r.total.is_some() => "草稿",
        _ => "未评分",
    }
}

/// The ranking, one block of rows per group, with the tie-break statement.
pub fn write_ranking(groups: &[ProgramRanking]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_background_color("D9E2EC").set_text_wrap();
    let sheet = wb.add_worksheet().set_name("评审排名")?;
    let headers =
        ["分组", "名次", "申报项目", "申报单位", "申请金额（元）", "汇总得分", "计分方法", "同分说明", "未排名原因"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col(c), *h, &head)?;
    }
    let mut row = 1u32;
    for g in groups {
        for r in &g.rows {
            sheet.write_string(row, 0, &g.group_name)?;
            if let Some(rank) = r.rank {
                sheet.write_number(row, 1, f64::from(rank))?;
            }
            sheet.write_string(row, 2, &r.title)?;
            sheet.write_string(row, 3, &r.organization_name)?;
            sheet.write_string(row, 4, r.requested.yuan_string())?;
            if let Some(s) = r.score {
                sheet.write_number(row, 5, s.0 as f64 / 100.0)?;
            }
            sheet.write_string(row, 6, &r.method_applied)?;
            sheet.write_string(row, 7, r.tie_note.clone().unwrap_or_default())?;
            sheet.write_string(row, 8, r.reason.clone().unwrap_or_default())?;
            row += 1;
        }
        sheet.write_string(row, 0, format!("{}：{}", g.group_name, g.tie_break))?;
        row += 2;
    }
    sheet.set_column_width(2, 30)?;
    sheet.set_column_width(3, 28)?;
    wb.save_to_buffer()
}

async fn ranking_xlsx(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let pid = program_id(&state, &actor, &id).await?;
    let groups = db::review::ranking(&state.db, &actor, &pid).await?;
    let bytes = write_ranking(&groups).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(xlsx(bytes, "ranking.xlsx"))
}

async fn matrix_xlsx(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> PageResult<Response> {
    let actor = viewer.require()?;
    let pid = program_id(&state, &actor, &id).await?;
    let m = db::review::score_matrix(&state.db, &actor, &pid).await?;
    let bytes = write_matrix(&m).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(xlsx(bytes, "score-matrix.xlsx"))
}

#[derive(Template)]
#[template(path = "review/sheet.html")]
struct SheetPage {
    ctx: Ctx,
    matrix: ScoreMatrix,
    expert_name: String,
    rows: Vec<MatrixRow>,
}

async fn sheet(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, expert)): Path<(String, String)>,
) -> PageResult<Response> {
    let actor = viewer.require()?;
    let tr = viewer.tr;
    let pid = program_id(&state, &actor, &id).await?;
    let mut matrix = db::review::score_matrix(&state.db, &actor, &pid).await?;
    let rows: Vec<MatrixRow> = std::mem::take(&mut matrix.rows)
        .into_iter()
        .filter(|r| r.expert_id == expert && matches!(r.status.as_str(), "active" | "pending"))
        .collect();
    let expert_name =
        rows.first().map(|r| r.expert_name.clone()).ok_or_else(|| AppError::NotFound("专家评分表".into()))?;
    let ctx = Ctx::new(&viewer, "review_admin", format!("{} · {}", tr.get("review.sheet_title"), expert_name))
        .crumb(format!("/admin/review?program={pid}"), tr.get("review.panels_title"))
        .crumb("", tr.get("review.sheet_title"));
    Ok(render(&SheetPage { ctx, matrix, expert_name, rows }))
}
