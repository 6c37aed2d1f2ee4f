//! Excel in and out for call-item catalogs. Sheet 1 holds one item per row; sheet 2 holds the
//! structured outputs (one per row, keyed by item code) so a catalog survives a round trip.
//! Imports report every bad row with its number and import nothing until all rows are valid.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use chrono::NaiveDate;
use domain::error::FieldError;
use domain::money::Fen;
use domain::program::{CallItem, Metric, OutputTarget, Period, Track};
use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};

pub const ITEMS_SHEET: &str = "项目清单";
pub const OUTPUTS_SHEET: &str = "基本产出";

/// Columns of the items sheet, in order.
pub const ITEM_COLUMNS: [&str; 20] = [
    "项目编号",
    "所属板块",
    "项目名称",
    "项目类别",
    "包号",
    "项目概述",
    "主要服务对象",
    "基本服务量",
    "项目目标",
    "服务内容",
    "资金上限（万元）",
    "项目数量",
    "实施地点",
    "开始日期",
    "结束日期",
    "周期说明",
    "支持单位",
    "评估指标",
    "备注",
    "基本产出（文字）",
];

/// Columns of the outputs sheet.
pub const OUTPUT_COLUMNS: [&str; 13] = [
    "项目编号",
    "指标类型",
    "产出描述",
    "数量",
    "数量上限",
    "单位",
    "周期",
    "每名服务对象",
    "全年不少于",
    "开始后天数内",
    "每组人数",
    "每组节数",
    "持续月数",
];

pub const METRICS: [(Metric, &str); 22] = [
    (Metric::Beneficiaries, "服务对象"),
    (Metric::FilesBuilt, "建档"),
    (Metric::NeedsAssessments, "需求评估"),
    (Metric::Visits, "探访"),
    (Metric::RemoteContacts, "通讯联系"),
    (Metric::ServiceRecords, "服务记录"),
    (Metric::Cases, "个案"),
    (Metric::Groups, "小组"),
    (Metric::GroupSessions, "小组节数"),
    (Metric::Activities, "社区活动"),
    (Metric::Participants, "参与人次"),
    (Metric::Trainings, "培训"),
    (Metric::Trainees, "培训人数"),
    (Metric::TrainingHours, "培训课时"),
    (Metric::PassRate, "合格率"),
    (Metric::SupervisionPersonTimes, "督导人次"),
    (Metric::SupervisionHours, "督导时长"),
    (Metric::Volunteers, "志愿者"),
    (Metric::VolunteerHours, "志愿服务时长"),
    (Metric::Satisfaction, "满意度"),
    (Metric::Documents, "文书材料"),
    (Metric::Other, "其他"),
];

pub const PERIODS: [(Period, &str); 5] = [
    (Period::Week, "每周"),
    (Period::Month, "每月"),
    (Period::Quarter, "每季度"),
    (Period::Year, "每年"),
    (Period::Project, "项目期"),
];

pub fn metric_label(m: Metric) -> &'static str {
    METRICS.iter().find(|(x, _)| *x == m).map(|(_, l)| *l).unwrap_or("其他")
}

pub fn metric_from(s: &str) -> Option<Metric> {
    let s = s.trim();
    METRICS
        .iter()
        .find(|(m, l)| {
            *l == s || serde_json::to_value(m).ok().and_then(|v| v.as_str().map(|x| x == s)).unwrap_or(false)
        })
        .map(|(m, _)| *m)
}

pub fn period_label(p: Period) -> &'static str {
    PERIODS.iter().find(|(x, _)| *x == p).map(|(_, l)| *l).unwrap_or("")
}

pub fn period_from(s: &str) -> Option<Period> {
    let s = s.trim();
    PERIODS
        .iter()
        .find(|(p, l)| {
            *l == s || serde_json::to_value(p).ok().and_then(|v| v.as_str().map(|x| x == s)).unwrap_or(false)
        })
        .map(|(p, _)| *p)
}

fn opt_num<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Write a catalog (or, with no items, an empty template) with dropdowns for track, metric
/// and period.
pub fn write_catalog(items: &[CallItem], tracks: &[Track]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let header = Format::new().set_bold().set_background_color("D9E2EC").set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    let sheet = wb.add_worksheet();
    sheet.set_name(ITEMS_SHEET)?;
    for (c, h) in ITEM_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &header)?;
        sheet.set_column_width(c as u16, if (5..=9).contains(&c) || c >= 17 { 40 } else { 14 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let track_codes: Vec<&str> = tracks.iter().map(|t| t.code.as_str()).collect();
    if !track_codes.is_empty() {
        let dv = DataValidation::new().allow_list_strings(&track_codes)?;
        sheet.add_data_validation(1, 1, 2000, 1, &dv)?;
    }
    for (r, it) in items.iter().enumerate() {
        let row = (r + 1) as u32;
        let cells: [String; 20] = [
            it.code.clone(),
            it.track.clone(),
            it.name.clone(),
            it.category.clone(),
            opt_num(it.lot),
            it.overview.clone(),
            it.beneficiaries.clone(),
            it.service_volume.clone(),
            it.objectives.clone(),
            it.content.clone(),
            it.funding_cap.map(|f| f.wan_string()).unwrap_or_default(),
            opt_num(it.slots),
            it.places.clone(),
            opt_num(it.period_start),
            opt_num(it.period_end),
            it.period_note.clone(),
            it.support_units.join("\n"),
            it.indicators.join("\n"),
            it.notes.clone(),
            it.outputs.iter().map(|o| o.description.as_str()).collect::<Vec<_>>().join("\n"),
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string_with_format(row, c as u16, v, &wrap)?;
        }
    }

    let out = wb.add_worksheet();
    out.set_name(OUTPUTS_SHEET)?;
    for (c, h) in OUTPUT_COLUMNS.iter().enumerate() {
        out.write_string_with_format(0, c as u16, *h, &header)?;
        out.set_column_width(c as u16, if c == 2 { 60 } else { 12 })?;
    }
    out.set_freeze_panes(1, 0)?;
    let metrics: Vec<&str> = METRICS.iter().map(|(_, l)| *l).collect();
    out.add_data_validation(1, 1, 5000, 1, &DataValidation::new().allow_list_strings(&metrics)?)?;
    let periods: Vec<&str> = PERIODS.iter().map(|(_, l)| *l).collect();
    out.add_data_validation(1, 6, 5000, 6, &DataValidation::new().allow_list_strings(&periods)?)?;
    out.add_data_validation(1, 7, 5000, 7, &DataValidation::new().allow_list_strings(&["是", "否"])?)?;
    let mut row = 1u32;
    for it in items {
        for o in &it.outputs {
            let cells: [String; 13] = [
                it.code.clone(),
                metric_label(o.metric).into(),
                o.description.clone(),
                opt_num(o.quantity),
                opt_num(o.quantity_max),
                o.unit.clone(),
                o.period.map(period_label).unwrap_or_default().into(),
                if o.per_beneficiary { "是".into() } else { "否".into() },
                opt_num(o.min_per_year),
                opt_num(o.within_days_of_start),
                opt_num(o.min_members),
                opt_num(o.min_sessions),
                opt_num(o.min_months),
            ];
            for (c, v) in cells.iter().enumerate() {
                out.write_string_with_format(row, c as u16, v, &wrap)?;
            }
            row += 1;
        }
    }
    wb.save_to_buffer()
}

/// A cell as text (numbers without a trailing ".0", dates as YYYY-MM-DD).
fn text(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Float(f)) if f.fract() == 0.0 => format!("{}", *f as i64),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Bool(b)) => {
            if *b {
                "是".into()
            } else {
                "否".into()
            }
        }
        Some(Data::DateTime(d)) => d.as_datetime().map(|d| d.date().to_string()).unwrap_or_default(),
        Some(Data::DateTimeIso(s)) => s.chars().take(10).collect(),
        Some(other) => other.to_string(),
    }
}

struct RowReader<'a> {
    row: usize,
    errors: &'a mut Vec<FieldError>,
}

impl RowReader<'_> {
    fn err(&mut self, field: &str, msg: String) {
        self.errors.push(FieldError::new(format!("row{}.{field}", self.row), format!("第{}行 {msg}", self.row)));
    }
    fn uint(&mut self, v: &str, field: &str, label: &str) -> Option<u32> {
        if v.is_empty() {
            return None;
        }
        match v.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.err(field, format!("{label}：应为非负整数，实际为“{v}”"));
                None
            }
        }
    }
    fn date(&mut self, v: &str, field: &str, label: &str) -> Option<NaiveDate> {
        if v.is_empty() {
            return None;
        }
        let norm = v.replace(['/', '.'], "-");
        match NaiveDate::parse_from_str(&norm, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.err(field, format!("{label}：日期格式应为 2021-07-01，实际为“{v}”"));
                None
            }
        }
    }
}

fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// Read a catalog workbook. Returns the items with their sheet row numbers, or every problem.
pub fn read_catalog(bytes: &[u8]) -> Result<Vec<(usize, CallItem)>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|_| vec![FieldError::new("file", "文件：无法读取，请上传 .xlsx 格式的 Excel 文件（可先下载模板）")])?;
    let items_range = wb
        .worksheet_range(ITEMS_SHEET)
        .or_else(|_| {
            let first = wb.sheet_names().first().cloned().unwrap_or_default();
            wb.worksheet_range(&first)
        })
        .map_err(|_| vec![FieldError::new("file", format!("文件：找不到工作表“{ITEMS_SHEET}”"))])?;
    let mut rows = items_range.rows();
    let header: Vec<String> = rows.next().map(|r| r.iter().map(|c| text(Some(c))).collect()).unwrap_or_default();
    let col = |name: &str| header.iter().position(|h| h == name);
    for required in ["项目编号", "所属板块", "项目名称"] {
        if col(required).is_none() {
            errors.push(FieldError::new("file", format!("文件：表头缺少“{required}”列，请使用下载的模板")));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut items: Vec<(usize, CallItem)> = Vec::new();
    for (i, r) in rows.enumerate() {
        let row_no = i + 2;
        let get = |name: &str| col(name).map(|c| text(r.get(c))).unwrap_or_default();
        if r.iter().all(|c| text(Some(c)).is_empty()) {
            continue;
        }
        let mut rr = RowReader { row: row_no, errors: &mut errors };
        let cap_text = get("资金上限（万元）");
        let funding_cap = if cap_text.is_empty() {
            None
        } else {
            match Fen::parse(&format!("{}万", cap_text.trim_end_matches("万元").trim_end_matches('万'))) {
                Ok(f) => Some(f),
                Err(_) => {
                    rr.err("funding_cap", format!("资金上限（万元）：应为数字，实际为“{cap_text}”"));
                    None
                }
            }
        };
        let lot = rr.uint(&get("包号"), "lot", "包号");
        let slots = rr.uint(&get("项目数量"), "slots", "项目数量");
        let period_start = rr.date(&get("开始日期"), "period_start", "开始日期");
        let period_end = rr.date(&get("结束日期"), "period_end", "结束日期");
        let outputs = lines(&get("基本产出（文字）"))
            .into_iter()
            .map(|d| OutputTarget {
                metric: Metric::Other,
                description: d,
                quantity: None,
                quantity_max: None,
                unit: String::new(),
                per_beneficiary: false,
                period: None,
                min_per_year: None,
                within_days_of_start: None,
                min_members: None,
                min_sessions: None,
                min_months: None,
            })
            .collect();
        items.push((
            row_no,
            CallItem {
                code: get("项目编号"),
                track: get("所属板块"),
                name: get("项目名称"),
                category: get("项目类别"),
                lot,
                overview: get("项目概述"),
                beneficiaries: get("主要服务对象"),
                service_volume: get("基本服务量"),
                objectives: get("项目目标"),
                content: get("服务内容"),
                outputs,
                indicators: lines(&get("评估指标")),
                funding_cap,
                slots,
                places: get("实施地点"),
                place_codes: vec![],
                period_start,
                period_end,
                period_note: get("周期说明"),
                support_units: get("支持单位")
                    .split(['\n', '、'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                co_funding: vec![],
                rules: Default::default(),
                notes: get("备注"),
            },
        ));
    }
    // structured outputs replace the text column for the items they name
    if let Ok(range) = wb.worksheet_range(OUTPUTS_SHEET) {
        let mut by_code: BTreeMap<String, Vec<OutputTarget>> = BTreeMap::new();
        for (i, r) in range.rows().enumerate().skip(1) {
            let row_no = i + 1;
            let cell = |c: usize| text(r.get(c));
            if (0..OUTPUT_COLUMNS.len()).all(|c| cell(c).is_empty()) {
                continue;
            }
            let mut rr = RowReader { row: row_no, errors: &mut errors };
            let code = cell(0);
            if !items.iter().any(|(_, it)| it.code == code) {
                rr.err("code", format!("{OUTPUTS_SHEET}：项目编号“{code}”不在项目清单中"));
                continue;
            }
            let metric = match metric_from(&cell(1)) {
                Some(m) => m,
                None => {
                    rr.err("metric", format!("{OUTPUTS_SHEET} 指标类型：“{}”不是可选值", cell(1)));
                    Metric::Other
                }
            };
            let period = if cell(6).is_empty() {
                None
            } else {
                let p = period_from(&cell(6));
                if p.is_none() {
                    rr.err("period", format!("{OUTPUTS_SHEET} 周期：“{}”不是可选值", cell(6)));
                }
                p
            };
            if cell(2).is_empty() {
                rr.err("description", format!("{OUTPUTS_SHEET} 产出描述：不能为空"));
            }
            let o = OutputTarget {
                metric,
                description: cell(2),
                quantity: rr.uint(&cell(3), "quantity", "数量"),
                quantity_max: rr.uint(&cell(4), "quantity_max", "数量上限"),
                unit: cell(5),
                period,
                per_beneficiary: cell(7) == "是",
                min_per_year: rr.uint(&cell(8), "min_per_year", "全年不少于"),
                within_days_of_start: rr.uint(&cell(9), "within_days", "开始后天数内"),
                min_members: rr.uint(&cell(10), "min_members", "每组人数"),
                min_sessions: rr.uint(&cell(11), "min_sessions", "每组节数"),
                min_months: rr.uint(&cell(12), "min_months", "持续月数"),
            };
            by_code.entry(code).or_default().push(o);
        }
        for (_, it) in items.iter_mut() {
            if let Some(outs) = by_code.remove(&it.code) {
                it.outputs = outs;
            }
        }
    }
    if errors.is_empty() { Ok(items) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::program::TrackKind;

    fn track() -> Track {
        Track {
            code: "directed".into(),
            kind: TrackKind::Directed,
            name: "公益定投".into(),
            description: String::new(),
            budget: None,
            rules: Default::default(),
        }
    }

    fn item(code: &str) -> CallItem {
        CallItem {
            code: code.into(),
            track: "directed".into(),
            name: "散居特困人员探访关爱项目".into(),
            category: "社会救助类".into(),
            lot: None,
            overview: "概述".into(),
            beneficiaries: "散居特困人员".into(),
            service_volume: "约66人".into(),
            objectives: String::new(),
            content: String::new(),
            outputs: vec![OutputTarget {
                metric: Metric::Visits,
                description: "每周一次上门探访（一年不少于40次）".into(),
                quantity: Some(1),
                quantity_max: None,
                unit: "次".into(),
                per_beneficiary: true,
                period: Some(Period::Week),
                min_per_year: Some(40),
                within_days_of_start: None,
                min_members: None,
                min_sessions: None,
                min_months: None,
            }],
            indicators: vec!["满意度不低于80%".into()],
            funding_cap: Some(Fen::from_wan(12)),
            slots: Some(1),
            places: "桐庐县分水镇".into(),
            place_codes: vec![],
            period_start: NaiveDate::from_ymd_opt(2021, 7, 1),
            period_end: NaiveDate::from_ymd_opt(2022, 5, 31),
            period_note: String::new(),
            support_units: vec!["区总工会".into(), "团区委".into()],
            co_funding: vec![],
            rules: Default::default(),
            notes: String::new(),
        }
    }

    #[test]
    fn a_catalog_survives_a_round_trip() {
        let items = vec![item("2021C1001E"), item("2021C1006B")];
        let bytes = write_catalog(&items, &[track()]).unwrap();
        let back = read_catalog(&bytes).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].0, 2, "sheet row numbers are reported");
        assert_eq!(back[0].1, items[0]);
        assert_eq!(back[1].1.code, "2021C1006B");
    }

    #[test]
    fn every_bad_row_is_reported() {
        let mut bad = item("X1");
        bad.period_start = None;
        let bytes = write_catalog(&[item("A1"), bad], &[track()]).unwrap();
        // corrupt: re-read, then write a workbook with bad cells by hand
        let mut wb = Workbook::new();
        let s = wb.add_worksheet();
        s.set_name(ITEMS_SHEET).unwrap();
        for (c, h) in ITEM_COLUMNS.iter().enumerate() {
            s.write_string(0, c as u16, *h).unwrap();
        }
        s.write_string(1, 0, "A1").unwrap();
        s.write_string(1, 1, "directed").unwrap();
        s.write_string(1, 2, "好的").unwrap();
        s.write_string(1, 10, "十二万").unwrap();
        s.write_string(2, 0, "A2").unwrap();
        s.write_string(2, 1, "directed").unwrap();
        s.write_string(2, 2, "也好").unwrap();
        s.write_string(2, 13, "2021年7月").unwrap();
        let broken = wb.save_to_buffer().unwrap();
        let errors = read_catalog(&broken).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].message.starts_with("第2行 资金上限"));
        assert!(errors[1].message.starts_with("第3行 开始日期"));
        assert!(read_catalog(&bytes).is_ok());
    }

    #[test]
    fn not_an_excel_file_is_refused_in_chinese() {
        let errors = read_catalog(b"hello").unwrap_err();
        assert!(errors[0].message.contains("xlsx"));
    }
}
