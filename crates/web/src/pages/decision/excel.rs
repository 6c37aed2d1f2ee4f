//! The slate as an Excel sheet (拟立项名单), one row per line, amounts in yuan.

use db::decision::SlateLineView;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

const COLUMNS: [&str; 12] = [
    "排名",
    "项目条目",
    "板块",
    "项目名称",
    "申报单位",
    "评审得分",
    "申请金额（元）",
    "推荐金额（元）",
    "立项金额（元）",
    "状态",
    "批次",
    "说明 / 调整理由",
];

fn status(s: &str) -> &'static str {
    match s {
        "approved" => "已审批",
        "rejected" => "不予立项",
        _ => "待审批",
    }
}

pub fn write_slate(lines: &[SlateLineView]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let header = Format::new().set_bold().set_background_color("D9E2EC").set_text_wrap();
    let sheet = wb.add_worksheet();
    sheet.set_name("拟立项名单")?;
    for (c, h) in COLUMNS.iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(0);
        sheet.write_string_with_format(0, col, *h, &header)?;
        sheet.set_column_width(col, if c == 3 || c == 4 || c == 11 { 36 } else { 12 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, l) in lines.iter().enumerate() {
        let row = u32::try_from(r + 1).unwrap_or(u32::MAX);
        let note = if l.change_reason.is_empty() {
            l.reason.clone()
        } else {
            format!("{}；调整理由：{}", l.reason, l.change_reason)
        };
        let cells = [
            l.rank.to_string(),
            l.group.clone(),
            l.track_code.clone(),
            l.application_title.clone(),
            l.organization_name.clone(),
            l.score.map(|s| s.to_string()).unwrap_or_default(),
            l.requested.yuan_string(),
            l.recommended.map(|f| f.yuan_string()).unwrap_or_default(),
            l.amount.map(|f| f.yuan_string()).unwrap_or_default(),
            status(&l.status).to_string(),
            l.batch.map(|b| b.to_string()).unwrap_or_default(),
            note,
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(row, u16::try_from(c).unwrap_or(0), v)?;
        }
    }
    wb.save_to_buffer()
}
