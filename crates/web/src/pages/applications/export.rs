//! The application list as Excel for operators and funders (`/admin/applications.xlsx`,
//! optionally `?program=` by code or id): organization, item, title, requested amount, status
//! and the screening outcome, within the caller's scope.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use db::applications::ApplicationFilter;
use db::{Actor, AppError, PageRequest};
use domain::role::Role;
use rust_xlsxwriter::{Format, Workbook};
use serde::Deserialize;

use super::extras::encoded_filename;
use super::{item_names, shanghai_time, status_label};
use crate::auth::Viewer;
use crate::error::PageResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/applications.xlsx", get(export))
}

/// Operators and funders (and administrators) export; their scope decides the rows.
pub fn may_export(actor: &Actor) -> bool {
    actor.is_admin() || matches!(actor.role, Role::Operator | Role::FunderAdmin)
}

#[derive(Deserialize, Default)]
struct ExportQuery {
    #[serde(default)]
    program: Option<String>,
}

const COLUMNS: [&str; 9] =
    ["申报单位", "申报条目", "项目名称", "申请金额（元）", "状态", "提交时间", "初筛结果", "初筛理由", "版本"];

async fn export(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ExportQuery>) -> PageResult<Response> {
    let actor = viewer.require()?;
    if !may_export(&actor) {
        return Err(AppError::Forbidden.into());
    }
    let mut filter = ApplicationFilter::default();
    let mut name = "申报书".to_string();
    if let Some(p) = q.program.filter(|p| !p.is_empty()) {
        let p = db::programs::get(&state.db, Some(&actor), &p).await?;
        name = format!("{}-申报书", p.name);
        filter.program_id = Some(p.id);
    }
    let tr = viewer.tr;
    let header_fmt = Format::new().set_bold().set_background_color("D9E2EC");
    let money = Format::new().set_num_format("#,##0.00");
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    let xl = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("Excel：{e}"));
    for (c, h) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &header_fmt).map_err(xl)?;
        sheet.set_column_width(c as u16, if c < 3 || c == 7 { 30 } else { 14 }).map_err(xl)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xl)?;
    let mut row = 1u32;
    let mut after = None;
    loop {
        let page = db::applications::list(&state.db, &actor, &filter, &PageRequest { after, limit: Some(200) }).await?;
        let ids: Vec<String> = page.items.iter().map(|a| a.id.clone()).collect();
        let orgs: Vec<String> = page.items.iter().map(|a| a.organization_id.clone()).collect();
        let org_names = db::organizations::names(&state.db, &orgs).await?;
        let items = item_names(&state, &page.items).await?;
        let screenings = db::applications::latest_screenings(&state.db, &ids).await?;
        for a in &page.items {
            let (outcome, reasons) = screenings.get(&a.id).cloned().unwrap_or_default();
            let outcome = match outcome.as_str() {
                "pass" => "通过",
                "fail" => "不通过",
                "return" => "退回补充材料",
                _ => "",
            };
            let texts = [
                org_names.get(&a.organization_id).cloned().unwrap_or_default(),
                a.call_item_id.as_ref().and_then(|i| items.get(i).cloned()).unwrap_or_default(),
                a.input.title.clone(),
            ];
            for (c, t) in texts.iter().enumerate() {
                sheet.write_string(row, c as u16, t).map_err(xl)?;
            }
            sheet.write_number_with_format(row, 3, a.requested.0 as f64 / 100.0, &money).map_err(xl)?;
            sheet.write_string(row, 4, status_label(tr, &a.status)).map_err(xl)?;
            sheet.write_string(row, 5, a.submitted_ms.map(shanghai_time).unwrap_or_default()).map_err(xl)?;
            sheet.write_string(row, 6, outcome).map_err(xl)?;
            sheet.write_string(row, 7, &reasons).map_err(xl)?;
            sheet.write_number(row, 8, f64::from(a.version)).map_err(xl)?;
            row += 1;
        }
        match page.next_cursor {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let bytes = wb.save_to_buffer().map_err(xl)?;
    let filename = format!("{name}.xlsx");
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"applications.xlsx\"; filename*=UTF-8''{}", encoded_filename(&filename)),
            ),
        ],
        bytes,
    )
        .into_response())
}
