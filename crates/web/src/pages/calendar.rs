//! The holiday calendar for system administrators: the stored years with their holidays and
//! make-up workdays (调休), a form to add or replace a year from a pasted `[[year]]` table, and
//! a calculator for public-notice periods.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use db::{Actor, AppError, FieldError};
use domain::calendar::{HolidayCalendar, NoticePeriod, YearCalendar};
use domain::rules::NoticeRule;
use serde::Deserialize;

use super::{render, see_other};
use super::{unprocessable, zh};
use crate::auth::{CsrfForm, Viewer};
use crate::error::PageResult;
use crate::forms::{FormErrors, opt_date, opt_int};
use crate::state::AppState;
use crate::view::Ctx;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/calendar", get(show).post(save))
}

fn admin(viewer: &Viewer) -> PageResult<Actor> {
    let actor = viewer.require()?;
    if !actor.is_admin() {
        return Err(AppError::Forbidden.into());
    }
    Ok(actor)
}

/// The calculator's fields, as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
struct CalcQuery {
    published: String,
    working_days: String,
    days: String,
    ok: Option<String>,
}

impl CalcQuery {
    fn is_empty(&self) -> bool {
        self.published.is_empty() && self.working_days.is_empty() && self.days.is_empty()
    }

    /// The notice period, or the Chinese reason there is none.
    fn compute(&self, cal: &HolidayCalendar) -> Result<NoticePeriod, String> {
        let mut e: Vec<FieldError> = Vec::new();
        let published = opt_date(&self.published, "published", zh("calendar.published"), &mut e);
        let working = opt_int(&self.working_days, "working_days", zh("calendar.working_days"), &mut e);
        let days = opt_int(&self.days, "days", zh("calendar.days"), &mut e);
        if !e.is_empty() {
            return Err(AppError::Validation(e).to_string());
        }
        let published = published.ok_or_else(|| format!("{}：请填写", zh("calendar.published")))?;
        let count = |n: i64| u32::try_from(n).map_err(|_| zh("calendar.days_positive").to_string());
        let rule = match (working, days) {
            (Some(n), None) => NoticeRule::WorkingDays(count(n)?),
            (None, Some(n)) => NoticeRule::CalendarDays(count(n)?),
            _ => return Err(zh("calendar.one_count").to_string()),
        };
        cal.notice_period(published, rule).map_err(|e| e.to_string())
    }
}

struct HolidayRow {
    name: String,
    from: String,
    to: String,
    days: i64,
}

struct YearRow {
    year: i32,
    source: String,
    published: String,
    url: String,
    notes: String,
    holidays: Vec<HolidayRow>,
    workdays: Vec<String>,
}

impl YearRow {
    fn of(y: &YearCalendar) -> YearRow {
        YearRow {
            year: y.year,
            source: y.source.clone(),
            published: y.published.map(|d| d.to_string()).unwrap_or_default(),
            url: y.url.clone(),
            notes: y.notes.clone(),
            holidays: y
                .holidays
                .iter()
                .map(|h| HolidayRow {
                    name: h.name.clone(),
                    from: h.from.to_string(),
                    to: h.to.to_string(),
                    days: (h.to - h.from).num_days() + 1,
                })
                .collect(),
            workdays: y.workdays.iter().map(|d| d.to_string()).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    ctx: Ctx,
    years: Vec<YearRow>,
    calc: CalcQuery,
    /// (first day, last day) of the computed notice period.
    period: Option<(String, String)>,
    calc_error: String,
    toml: String,
    errors: FormErrors,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    calc: CalcQuery,
    toml: String,
    errors: FormErrors,
) -> PageResult<Response> {
    let cal = db::calendar::load(&state.db).await?;
    let (period, calc_error) = if calc.is_empty() {
        (None, String::new())
    } else {
        match calc.compute(&cal) {
            Ok(p) => (Some((p.start.to_string(), p.end.to_string())), String::new()),
            Err(e) => (None, e),
        }
    };
    let ctx = Ctx::new(viewer, "calendar", viewer.tr.get("calendar.title")).flash_from(calc.ok.as_deref());
    Ok(render(&CalendarPage {
        ctx,
        years: cal.years().iter().rev().map(YearRow::of).collect(),
        calc,
        period,
        calc_error,
        toml,
        errors,
    }))
}

async fn show(State(state): State<AppState>, viewer: Viewer, Query(q): Query<CalcQuery>) -> PageResult<Response> {
    admin(&viewer)?;
    page(&state, &viewer, q, String::new(), FormErrors::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct YearForm {
    toml: String,
}

/// The one year of a pasted `[[year]]` table.
fn parse_year(text: &str) -> Result<YearCalendar, AppError> {
    let cal = HolidayCalendar::from_toml(text).map_err(|e| AppError::field("toml", e.to_string()))?;
    match cal.years() {
        [y] => Ok(y.clone()),
        [] => Err(AppError::field("toml", zh("calendar.no_year"))),
        _ => Err(AppError::field("toml", zh("calendar.one_year_only"))),
    }
}

async fn save(State(state): State<AppState>, viewer: Viewer, form: CsrfForm<YearForm>) -> PageResult<Response> {
    let actor = admin(&viewer)?;
    let text = form.data.toml;
    let result = match parse_year(&text) {
        Ok(year) => db::calendar::save_year(&state.db, &actor, year, state.now_ms()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other("/admin/calendar?ok=saved")),
        Err(e @ AppError::Validation(_)) => {
            let res = page(&state, &viewer, CalcQuery::default(), text, FormErrors::from_app(&e)).await?;
            Ok(unprocessable(res))
        }
        Err(e) => Err(e.into()),
    }
}
