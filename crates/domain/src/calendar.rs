//! China's working-day calendar: public holidays off, make-up working days (调休) on.
//!
//! The State Council announces each year's arrangement (国务院办公厅关于XXXX年部分节假日安排的通知)
//! late in the previous year. The product ships the announced years in
//! `data/cn_holidays.toml`; an administrator adds or corrects a year with [`HolidayCalendar::add_year`].
//! Nothing is guessed: a date in a year that is not in the calendar is an error
//! ([`CalendarError::YearNotCovered`]), never silently treated as "Mon–Fri".

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::rules::NoticeRule;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{0}年的节假日安排尚未录入，无法计算工作日，请管理员先添加该年度日历")]
    YearNotCovered(i32),
    #[error("日历数据格式不正确：{0}")]
    Invalid(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRange {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl HolidayRange {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// One year's arrangement as the State Council announces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCalendar {
    pub year: i32,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub published: Option<NaiveDate>,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub holidays: Vec<HolidayRange>,
    #[serde(default)]
    pub workdays: Vec<NaiveDate>,
}

/// A notice period: first and last day (the period ends at 24:00 of `end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticePeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, Default)]
pub struct HolidayCalendar {
    years: Vec<YearCalendar>,
}

/// The TOML file: `[[year]]` tables.
#[derive(Debug, Default, Serialize, Deserialize)]
struct CalendarFile {
    #[serde(default)]
    year: Vec<YearCalendar>,
}

const OFFICIAL_TOML: &str = include_str!("../data/cn_holidays.toml");

/// Longest holiday range accepted (the longest ever announced is 10 days, 春节 2020 as extended).
const MAX_HOLIDAY_DAYS: i64 = 31;

fn invalid(msg: String) -> CalendarError {
    CalendarError::Invalid(msg)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// True if `date` belongs to `year` or is in the December before / January after it
/// (a range announced for a year may cross New Year, e.g. 元旦 2023: 2022-12-31..2023-01-02).
fn near_year(date: NaiveDate, year: i32) -> bool {
    date.year() == year
        || (date.year() == year - 1 && date.month() == 12)
        || (date.year() == year + 1 && date.month() == 1)
}

fn next_day(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    date.succ_opt().ok_or_else(|| invalid("日期超出可计算范围".to_string()))
}

impl YearCalendar {
    /// Check one year's arrangement; the message says what is wrong, in Chinese.
    pub fn validate(&self) -> Result<(), CalendarError> {
        let y = self.year;
        if NaiveDate::from_ymd_opt(y, 1, 1).is_none() || NaiveDate::from_ymd_opt(y, 12, 31).is_none() {
            return Err(invalid(format!("年份{y}不正确")));
        }
        for h in &self.holidays {
            let name = h.name.trim();
            if name.is_empty() {
                return Err(invalid(format!("{y}年有一项假期（{}至{}）未填写名称", h.from, h.to)));
            }
            if h.from > h.to {
                return Err(invalid(format!("{y}年“{name}”的开始日期{}晚于结束日期{}", h.from, h.to)));
            }
            if !(h.from.year() == y || h.to.year() == y) || !near_year(h.from, y) || !near_year(h.to, y) {
                return Err(invalid(format!(
                    "{y}年“{name}”（{}至{}）不在{y}年内（只有跨元旦的假期可以延伸到上一年12月或下一年1月）",
                    h.from, h.to
                )));
            }
            let days = (h.to - h.from).num_days() + 1;
            if days > MAX_HOLIDAY_DAYS {
                return Err(invalid(format!(
                    "{y}年“{name}”（{}至{}）共{days}天，超过{MAX_HOLIDAY_DAYS}天，请检查日期",
                    h.from, h.to
                )));
            }
        }
        for &w in &self.workdays {
            if !near_year(w, y) {
                return Err(invalid(format!("{y}年的调休上班日{w}不在{y}年内")));
            }
            if !is_weekend(w) {
                return Err(invalid(format!(
                    "{y}年的调休上班日{w}是{}，调休上班日只能是周六或周日",
                    weekday_cn(w.weekday())
                )));
            }
            if let Some(h) = self.holidays.iter().find(|h| h.contains(w)) {
                return Err(invalid(format!(
                    "{y}年的调休上班日{w}落在“{}”假期（{}至{}）之内",
                    h.name.trim(),
                    h.from,
                    h.to
                )));
            }
        }
        Ok(())
    }
}

fn weekday_cn(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

impl HolidayCalendar {
    /// The official calendar shipped inside the product (2020–2026).
    /// Never panics: if the embedded data cannot be read the calendar is empty (and every
    /// working-day computation then reports [`CalendarError::YearNotCovered`]).
    pub fn official() -> HolidayCalendar {
        HolidayCalendar::from_toml(OFFICIAL_TOML).unwrap_or_default()
    }

    /// Parse the `[[year]]` format of `data/cn_holidays.toml`. Every year is validated as by
    /// [`HolidayCalendar::add_year`]; the same year twice in one file is an error.
    pub fn from_toml(text: &str) -> Result<HolidayCalendar, CalendarError> {
        let file: CalendarFile = toml::from_str(text).map_err(|e| invalid(format!("无法解析TOML：{}", e.message())))?;
        let mut cal = HolidayCalendar::default();
        for year in file.year {
            if cal.covers(year.year) {
                return Err(invalid(format!("{}年出现了两次", year.year)));
            }
            cal.add_year(year)?;
        }
        Ok(cal)
    }

    /// Write the calendar back in the format [`HolidayCalendar::from_toml`] reads.
    pub fn to_toml(&self) -> Result<String, CalendarError> {
        let file = CalendarFile { year: self.years.clone() };
        toml::to_string(&file).map_err(|e| invalid(format!("无法生成TOML：{e}")))
    }

    /// The years, in ascending order.
    pub fn years(&self) -> &[YearCalendar] {
        &self.years
    }

    /// Whether `year`'s arrangement is in the calendar.
    pub fn covers(&self, year: i32) -> bool {
        self.year(year).is_some()
    }

    pub fn year(&self, year: i32) -> Option<&YearCalendar> {
        self.years.iter().find(|y| y.year == year)
    }

    /// Add a year after validating it. A year already present is replaced (that is how an
    /// administrator corrects a year).
    pub fn add_year(&mut self, year: YearCalendar) -> Result<(), CalendarError> {
        year.validate()?;
        match self.years.binary_search_by_key(&year.year, |y| y.year) {
            Ok(i) => self.years[i] = year,
            Err(i) => self.years.insert(i, year),
        }
        Ok(())
    }

    /// A date inside a holiday range is off; a date listed as a make-up workday (调休) is on;
    /// otherwise Monday–Friday are on and Saturday/Sunday off.
    /// Err([`CalendarError::YearNotCovered`]) if the date's year is not in the calendar.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        if !self.covers(date.year()) {
            return Err(CalendarError::YearNotCovered(date.year()));
        }
        // Ranges may cross New Year, so look at every year (there are only a handful).
        if self.years.iter().any(|y| y.holidays.iter().any(|h| h.contains(date))) {
            return Ok(false);
        }
        if self.years.iter().any(|y| y.workdays.contains(&date)) {
            return Ok(true);
        }
        Ok(!is_weekend(date))
    }

    /// The first working day strictly after `date`.
    pub fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let mut d = next_day(date)?;
        while !self.is_working_day(d)? {
            d = next_day(d)?;
        }
        Ok(d)
    }

    /// The `n`-th working day after `from` (`from` itself never counts; `n = 0` gives `from`).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut d = from;
        for _ in 0..n {
            d = self.next_working_day(d)?;
        }
        Ok(d)
    }

    /// Number of working days `d` with `from < d <= to` (0 if `to <= from`), so that
    /// `working_days_between(from, add_working_days(from, n)) == n`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, CalendarError> {
        let mut count = 0u32;
        let mut d = from;
        while d < to {
            d = next_day(d)?;
            if self.is_working_day(d)? {
                count += 1;
            }
        }
        Ok(count)
    }

    /// The public notice (公示) period of something published on `published`.
    ///
    /// * `WorkingDays(n)`: starts on the first working day after the publication date and
    ///   ends on the n-th working day.
    /// * `CalendarDays(n)`: starts the day after publication, ends `n` days after it.
    ///
    /// Every year the period touches must be in the calendar; `n = 0` is refused.
    pub fn notice_period(&self, published: NaiveDate, rule: NoticeRule) -> Result<NoticePeriod, CalendarError> {
        match rule {
            NoticeRule::WorkingDays(0) | NoticeRule::CalendarDays(0) => Err(invalid("公示期天数必须大于0".to_string())),
            NoticeRule::WorkingDays(n) => {
                let start = self.next_working_day(published)?;
                let end = self.add_working_days(start, n - 1)?;
                Ok(NoticePeriod { start, end })
            }
            NoticeRule::CalendarDays(n) => {
                let start = next_day(published)?;
                let end = published
                    .checked_add_days(Days::new(u64::from(n)))
                    .ok_or_else(|| invalid(format!("公示期{n}天过长，超出可计算的日期范围")))?;
                for y in start.year()..=end.year() {
                    if !self.covers(y) {
                        return Err(CalendarError::YearNotCovered(y));
                    }
                }
                Ok(NoticePeriod { start, end })
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> HolidayCalendar {
        HolidayCalendar::official()
    }

    fn year(y: i32) -> YearCalendar {
        YearCalendar {
            year: y,
            source: String::new(),
            published: None,
            url: String::new(),
            notes: String::new(),
            holidays: vec![],
            workdays: vec![],
        }
    }

    fn range(name: &str, from: NaiveDate, to: NaiveDate) -> HolidayRange {
        HolidayRange { name: name.to_string(), from, to }
    }

    #[test]
    fn official_parses_2020_to_2026() {
        // from_toml, not official(), so that a data error shows its message here.
        let c = HolidayCalendar::from_toml(OFFICIAL_TOML).unwrap();
        let ys: Vec<i32> = c.years().iter().map(|y| y.year).collect();
        assert_eq!(ys, (2020..=2026).collect::<Vec<_>>());
        assert_eq!(cal().years().len(), 7);
        assert!(c.covers(2024) && !c.covers(2027) && !c.covers(2019));
    }

    #[test]
    fn toml_round_trip() {
        let c = cal();
        let back = HolidayCalendar::from_toml(&c.to_toml().unwrap()).unwrap();
        assert_eq!(back.years(), c.years());
    }

    #[test]
    fn spring_festival_2024() {
        let c = cal();
        assert!(c.is_working_day(d(2024, 2, 4)).unwrap()); // Sunday, 调休上班
        assert!(c.is_working_day(d(2024, 2, 8)).unwrap()); // Thursday
        assert!(c.is_working_day(d(2024, 2, 9)).unwrap()); // Friday, 除夕: officially a working day
        assert!(!c.is_working_day(d(2024, 2, 10)).unwrap());
        assert!(!c.is_working_day(d(2024, 2, 12)).unwrap()); // Monday inside the holiday
        assert!(!c.is_working_day(d(2024, 2, 17)).unwrap());
        assert!(c.is_working_day(d(2024, 2, 18)).unwrap()); // Sunday, 调休上班
        assert!(!c.is_working_day(d(2024, 2, 24)).unwrap()); // an ordinary Saturday
    }

    #[test]
    fn notice_before_spring_festival_2024() {
        // Published Thu 2024-02-08. Working days after it: Fri 02-09 (1), then 02-10..17 off,
        // Sun 02-18 make-up workday (2), Mon 02-19 (3).
        let p = cal().notice_period(d(2024, 2, 8), NoticeRule::WorkingDays(3)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2024, 2, 9), end: d(2024, 2, 19) });
        // 5 working days: ... Tue 02-20 (4), Wed 02-21 (5).
        let p = cal().notice_period(d(2024, 2, 8), NoticeRule::WorkingDays(5)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2024, 2, 9), end: d(2024, 2, 21) });
        // Published on 除夕 Fri 02-09: the period starts on the make-up Sunday 02-18.
        let p = cal().notice_period(d(2024, 2, 9), NoticeRule::WorkingDays(1)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2024, 2, 18), end: d(2024, 2, 18) });
    }

    #[test]
    fn make_up_sunday_counts() {
        // Published Fri 2024-02-02; Sat 02-03 off, Sun 02-04 worked (调休).
        let p = cal().notice_period(d(2024, 2, 2), NoticeRule::WorkingDays(2)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2024, 2, 4), end: d(2024, 2, 5) });
        // Published Fri 2024-10-11: Sat 10-12 is a make-up workday.
        let p = cal().notice_period(d(2024, 10, 11), NoticeRule::WorkingDays(1)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2024, 10, 12), end: d(2024, 10, 12) });
    }

    #[test]
    fn national_day_2023() {
        let c = cal();
        // 2023-09-29..10-06 off; Sat 10-07 and Sun 10-08 worked.
        assert!(!c.is_working_day(d(2023, 9, 29)).unwrap());
        assert!(!c.is_working_day(d(2023, 10, 2)).unwrap());
        assert!(!c.is_working_day(d(2023, 10, 6)).unwrap());
        assert!(c.is_working_day(d(2023, 10, 7)).unwrap());
        assert!(c.is_working_day(d(2023, 10, 8)).unwrap());
        // Published Wed 09-27: Thu 09-28 (1), Sat 10-07 (2), Sun 10-08 (3), Mon 10-09 (4), Tue 10-10 (5).
        let p = c.notice_period(d(2023, 9, 27), NoticeRule::WorkingDays(5)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2023, 9, 28), end: d(2023, 10, 10) });
        // Published Thu 09-28, the last day before the holiday: starts Sat 10-07.
        let p = c.notice_period(d(2023, 9, 28), NoticeRule::WorkingDays(3)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2023, 10, 7), end: d(2023, 10, 9) });
    }

    #[test]
    fn friday_publication_skips_weekend() {
        // Fri 2024-03-01 → Mon 03-04 .. Fri 03-08.
        let p = cal().notice_period(d(2024, 3, 1), NoticeRule::WorkingDays(5)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2024, 3, 4), end: d(2024, 3, 8) });
        // Published on a Saturday: same start.
        let p = cal().notice_period(d(2024, 3, 2), NoticeRule::WorkingDays(7)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2024, 3, 4), end: d(2024, 3, 12) });
    }

    #[test]
    fn calendar_days() {
        let p = cal().notice_period(d(2024, 2, 8), NoticeRule::CalendarDays(7)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2024, 2, 9), end: d(2024, 2, 15) });
        let p = cal().notice_period(d(2024, 2, 28), NoticeRule::CalendarDays(2)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2024, 2, 29), end: d(2024, 3, 1) }); // leap year
        let p = cal().notice_period(d(2026, 12, 24), NoticeRule::CalendarDays(7)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2026, 12, 25), end: d(2026, 12, 31) });
        assert_eq!(
            cal().notice_period(d(2026, 12, 25), NoticeRule::CalendarDays(7)),
            Err(CalendarError::YearNotCovered(2027))
        );
        assert!(matches!(
            cal().notice_period(d(2024, 1, 1), NoticeRule::CalendarDays(u32::MAX)),
            Err(CalendarError::Invalid(_))
        ));
    }

    #[test]
    fn zero_length_is_invalid() {
        assert!(matches!(
            cal().notice_period(d(2024, 3, 1), NoticeRule::WorkingDays(0)),
            Err(CalendarError::Invalid(_))
        ));
        assert!(matches!(
            cal().notice_period(d(2024, 3, 1), NoticeRule::CalendarDays(0)),
            Err(CalendarError::Invalid(_))
        ));
    }

    #[test]
    fn running_into_2027_is_not_covered() {
        let c = cal();
        // Fri 2026-12-25: Mon 12-28 (1) .. Thu 12-31 (4), then 2027 is unknown.
        assert_eq!(
            c.notice_period(d(2026, 12, 25), NoticeRule::WorkingDays(5)),
            Err(CalendarError::YearNotCovered(2027))
        );
        let p = c.notice_period(d(2026, 12, 25), NoticeRule::WorkingDays(4)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2026, 12, 28), end: d(2026, 12, 31) });
        assert_eq!(c.is_working_day(d(2027, 1, 4)), Err(CalendarError::YearNotCovered(2027)));
        assert_eq!(c.is_working_day(d(2019, 12, 31)), Err(CalendarError::YearNotCovered(2019)));
        let msg = CalendarError::YearNotCovered(2027).to_string();
        assert!(msg.starts_with("2027年的节假日安排尚未录入"));
    }

    #[test]
    fn new_year_2023_crosses_years() {
        let c = cal();
        // 元旦 2023 is 2022-12-31..2023-01-02, listed under 2023.
        assert!(!c.is_working_day(d(2022, 12, 31)).unwrap());
        assert!(!c.is_working_day(d(2023, 1, 2)).unwrap()); // Monday off
        assert!(c.is_working_day(d(2022, 12, 30)).unwrap());
        // Fri 2022-12-30 + 1 working day → Tue 2023-01-03.
        let p = c.notice_period(d(2022, 12, 30), NoticeRule::WorkingDays(1)).unwrap();
        assert_eq!(p, NoticePeriod { start: d(2023, 1, 3), end: d(2023, 1, 3) });
        // With 2023 alone the 2022 part is not covered.
        let mut only_2023 = HolidayCalendar::default();
        only_2023.add_year(c.year(2023).unwrap().clone()).unwrap();
        assert_eq!(only_2023.is_working_day(d(2022, 12, 31)), Err(CalendarError::YearNotCovered(2022)));
        assert!(!only_2023.is_working_day(d(2023, 1, 1)).unwrap());
    }

    #[test]
    fn spring_festival_2020_extension() {
        let c = cal();
        assert!(!c.is_working_day(d(2020, 1, 31)).unwrap()); // Friday, extended holiday
        assert!(!c.is_working_day(d(2020, 2, 1)).unwrap()); // make-up Saturday that lapsed
        assert!(c.is_working_day(d(2020, 2, 3)).unwrap());
        assert!(c.is_working_day(d(2020, 1, 19)).unwrap()); // Sunday, 调休上班
    }

    #[test]
    fn add_and_count_working_days() {
        let c = cal();
        assert_eq!(c.add_working_days(d(2024, 2, 8), 0).unwrap(), d(2024, 2, 8));
        assert_eq!(c.add_working_days(d(2024, 2, 8), 3).unwrap(), d(2024, 2, 19));
        assert_eq!(c.add_working_days(d(2023, 9, 27), 5).unwrap(), d(2023, 10, 10));
        assert_eq!(c.working_days_between(d(2024, 2, 8), d(2024, 2, 19)).unwrap(), 3);
        assert_eq!(c.working_days_between(d(2023, 9, 27), d(2023, 10, 10)).unwrap(), 5);
        assert_eq!(c.working_days_between(d(2024, 2, 19), d(2024, 2, 8)).unwrap(), 0);
        assert_eq!(c.next_working_day(d(2024, 9, 30)).unwrap(), d(2024, 10, 8));
        // 2024 has 366 days and 251 working days (including its 8 make-up weekend days).
        assert_eq!(c.working_days_between(d(2023, 12, 31), d(2024, 12, 31)).unwrap(), 251);
        assert_eq!(c.add_working_days(d(2026, 12, 30), 3), Err(CalendarError::YearNotCovered(2027)));
    }

    #[test]
    fn add_year_validates() {
        let mut c = cal();
        let mut y = year(2027);
        y.holidays.push(range("春节", d(2027, 2, 10), d(2027, 2, 5)));
        let e = c.add_year(y).unwrap_err();
        assert!(matches!(&e, CalendarError::Invalid(m) if m.contains("晚于结束日期")), "{e}");

        let mut y = year(2027);
        y.workdays.push(d(2027, 2, 8)); // a Monday
        let e = c.add_year(y).unwrap_err();
        assert!(matches!(&e, CalendarError::Invalid(m) if m.contains("周一")), "{e}");

        let mut y = year(2027);
        y.holidays.push(range("国庆节", d(2026, 10, 1), d(2026, 10, 7)));
        let e = c.add_year(y).unwrap_err();
        assert!(matches!(&e, CalendarError::Invalid(m) if m.contains("不在2027年内")), "{e}");

        let mut y = year(2027);
        y.holidays.push(range("春节", d(2027, 2, 6), d(2027, 12, 17))); // typo in the month
        assert!(matches!(c.add_year(y), Err(CalendarError::Invalid(_))));

        let mut y = year(2027);
        y.holidays.push(range("春节", d(2027, 2, 6), d(2027, 2, 14)));
        y.workdays.push(d(2027, 2, 6)); // a Saturday inside the holiday
        assert!(matches!(c.add_year(y), Err(CalendarError::Invalid(_))));

        let mut y = year(2027);
        y.holidays.push(range("  ", d(2027, 2, 6), d(2027, 2, 14)));
        assert!(matches!(c.add_year(y), Err(CalendarError::Invalid(_))));

        // Crossing New Year is fine, in both directions.
        let mut y = year(2027);
        y.holidays.push(range("元旦", d(2026, 12, 31), d(2027, 1, 2)));
        y.holidays.push(range("元旦（下年）", d(2027, 12, 31), d(2028, 1, 2)));
        y.workdays.push(d(2026, 12, 27)); // Sunday in the December before
        c.add_year(y).unwrap();
        assert!(!c.is_working_day(d(2026, 12, 31)).unwrap()); // Thursday, off by the 2027 notice
        assert!(c.is_working_day(d(2026, 12, 27)).unwrap());
        assert!(c.is_working_day(d(2027, 1, 4)).unwrap());
        assert_eq!(c.years().last().unwrap().year, 2027);

        // Nothing was added by the failed attempts.
        assert_eq!(c.years().len(), 8);
    }

    #[test]
    fn add_year_replaces_a_duplicate() {
        let mut c = cal();
        assert!(!c.is_working_day(d(2024, 10, 1)).unwrap());
        let mut corrected = year(2024);
        corrected.notes = "corrected".to_string();
        c.add_year(corrected).unwrap();
        assert_eq!(c.years().len(), 7);
        assert_eq!(c.year(2024).unwrap().notes, "corrected");
        assert!(c.is_working_day(d(2024, 10, 1)).unwrap()); // now an ordinary Tuesday
        let ys: Vec<i32> = c.years().iter().map(|y| y.year).collect();
        assert_eq!(ys, (2020..=2026).collect::<Vec<_>>());
    }

    #[test]
    fn from_toml_errors() {
        assert!(matches!(HolidayCalendar::from_toml("[[year]]\nyear = \"x\""), Err(CalendarError::Invalid(_))));
        assert!(matches!(HolidayCalendar::from_toml("not toml ==="), Err(CalendarError::Invalid(_))));
        let twice = "[[year]]\nyear = 2030\n[[year]]\nyear = 2030\n";
        assert!(matches!(HolidayCalendar::from_toml(twice), Err(CalendarError::Invalid(m)) if m.contains("两次")));
        let bad = "[[year]]\nyear = 2030\nworkdays = [\"2030-01-07\"]\n"; // a Monday
        assert!(matches!(HolidayCalendar::from_toml(bad), Err(CalendarError::Invalid(_))));
        assert!(HolidayCalendar::from_toml("").unwrap().years().is_empty());
    }
}
