//! The Excel side of the person import and export: the template (with dropdowns for categories,
//! care levels and the area codes of the user's scope, from a hidden sheet of options), reading
//! the rows back, and writing the export.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use db::FieldError;
use db::persons::export::ExportRow;
use db::persons::import::ImportRow;
use domain::beneficiary::{CARE_LEVELS, CATEGORIES};
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Formula, Workbook, XlsxError};

pub const SHEET: &str = "服务对象";
const OPTIONS: &str = "选项";

pub const COLUMNS: [&str; 11] = [
    "姓名",
    "公民身份号码",
    "出生日期",
    "联系电话",
    "居住地址",
    "区划代码",
    "人员类别",
    "护理等级",
    "知情同意日期",
    "户编号",
    "是否户主",
];

/// The import template. `areas`: "320613002 和平桥街道" entries of the user's scope.
pub fn template(areas: &[String]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let header = Format::new().set_bold().set_background_color("D9E2EC");
    let text = Format::new().set_num_format("@");
    let sheet = wb.add_worksheet();
    sheet.set_name(SHEET)?;
    for (c, h) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &header)?;
        sheet.set_column_width(c as u16, if matches!(c, 1 | 4 | 5 | 6) { 24 } else { 13 })?;
        sheet.set_column_format(c as u16, &text)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let list = |col: &str, n: usize| Formula::new(format!("={OPTIONS}!${col}$2:${col}${}", n.max(1) + 1));
    // several categories are typed separated by 、 so the list only warns
    let categories = DataValidation::new()
        .allow_list_formula(list("A", CATEGORIES.len()))
        .set_error_style(DataValidationErrorStyle::Information);
    sheet.add_data_validation(1, 6, 5000, 6, &categories)?;
    sheet.add_data_validation(
        1,
        7,
        5000,
        7,
        &DataValidation::new().allow_list_formula(list("B", CARE_LEVELS.len())),
    )?;
    if !areas.is_empty() {
        sheet.add_data_validation(1, 5, 5000, 5, &DataValidation::new().allow_list_formula(list("C", areas.len())))?;
    }
    sheet.add_data_validation(1, 10, 5000, 10, &DataValidation::new().allow_list_strings(&["是", "否"])?)?;
    let opts = wb.add_worksheet();
    opts.set_name(OPTIONS)?;
    for (c, h) in ["人员类别", "护理等级", "区划"].iter().enumerate() {
        opts.write_string_with_format(0, c as u16, *h, &header)?;
    }
    for (r, (_, name)) in CATEGORIES.iter().enumerate() {
        opts.write_string(r as u32 + 1, 0, *name)?;
    }
    for (r, (_, name)) in CARE_LEVELS.iter().enumerate() {
        opts.write_string(r as u32 + 1, 1, *name)?;
    }
    for (r, a) in areas.iter().enumerate() {
        opts.write_string(r as u32 + 1, 2, a)?;
    }
    opts.set_column_width(2, 30)?;
    opts.set_hidden(true);
    wb.save_to_buffer()
}

/// A cell as text (whole numbers without ".0", dates as YYYY-MM-DD).
fn text(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Float(f)) if f.fract() == 0.0 => format!("{}", *f as i64),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Bool(b)) => if *b { "是" } else { "否" }.to_string(),
        Some(Data::DateTime(d)) => d.as_datetime().map(|d| d.date().to_string()).unwrap_or_default(),
        Some(Data::DateTimeIso(s)) => s.chars().take(10).collect(),
        Some(other) => other.to_string(),
    }
}

/// "320613002 和平桥街道" → "320613002" (the leading digits; anything else as typed).
fn area_code(v: &str) -> String {
    let digits: String = v.trim().chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() { v.trim().to_string() } else { digits }
}

/// Read the rows of an import workbook (blank rows skipped), or the file-level problems.
pub fn read(bytes: &[u8]) -> Result<Vec<ImportRow>, Vec<FieldError>> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|_| vec![FieldError::new("file", "文件：无法读取，请上传 .xlsx 格式的 Excel 文件（可先下载模板）")])?;
    let range = wb
        .worksheet_range(SHEET)
        .or_else(|_| {
            let first = wb.sheet_names().first().cloned().unwrap_or_default();
            wb.worksheet_range(&first)
        })
        .map_err(|_| vec![FieldError::new("file", format!("文件：找不到工作表“{SHEET}”"))])?;
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().map(|r| r.iter().map(|c| text(Some(c))).collect()).unwrap_or_default();
    let col = |name: &str| header.iter().position(|h| h == name);
    let missing: Vec<FieldError> = ["姓名", "公民身份号码", "区划代码"]
        .iter()
        .filter(|h| col(h).is_none())
        .map(|h| FieldError::new("file", format!("文件：表头缺少“{h}”列，请使用下载的模板")))
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut out = Vec::new();
    for (i, r) in rows.enumerate() {
        if r.iter().all(|c| text(Some(c)).is_empty()) {
            continue;
        }
        let get = |name: &str| col(name).map(|c| text(r.get(c))).unwrap_or_default();
        out.push(ImportRow {
            row: i + 2,
            name: get("姓名"),
            resident_id: get("公民身份号码"),
            birth_date: get("出生日期"),
            phone: get("联系电话"),
            address: get("居住地址"),
            area_code: area_code(&get("区划代码")),
            categories: get("人员类别"),
            care_level: get("护理等级"),
            consent_on: get("知情同意日期"),
            household: get("户编号"),
            head: get("是否户主"),
        });
    }
    if out.is_empty() {
        return Err(vec![FieldError::new("file", "文件：没有数据行")]);
    }
    Ok(out)
}

fn category_names(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| CATEGORIES.iter().find(|(x, _)| x == c).map(|(_, n)| *n).unwrap_or(c.as_str()))
        .collect::<Vec<_>>()
        .join("、")
}

fn care_name(code: &str) -> &str {
    CARE_LEVELS.iter().find(|(x, _)| *x == code).map(|(_, n)| *n).unwrap_or(code)
}

/// The export: the import columns (identifiers masked unless given in full) and the household.
pub fn export(rows: &[ExportRow]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let header = Format::new().set_bold().set_background_color("D9E2EC");
    let sheet = wb.add_worksheet();
    sheet.set_name(SHEET)?;
    for (c, h) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &header)?;
        sheet.set_column_width(c as u16, if matches!(c, 1 | 4 | 6) { 24 } else { 13 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (i, r) in rows.iter().enumerate() {
        let p = &r.person;
        let cells: [String; 11] = [
            p.name.clone(),
            r.full_resident_id.clone().unwrap_or_else(|| p.resident_id_masked.clone()),
            p.birth_date.to_string(),
            r.full_phone.clone().or_else(|| p.phone_masked.clone()).unwrap_or_default(),
            p.address.clone(),
            p.area_code.clone().unwrap_or_default(),
            category_names(&p.categories),
            care_name(&p.care_level).to_string(),
            p.consent_on.map(|d| d.to_string()).unwrap_or_default(),
            p.household_id.clone().unwrap_or_default(),
            String::new(),
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(i as u32 + 1, c as u16, v)?;
        }
    }
    wb.save_to_buffer()
}
