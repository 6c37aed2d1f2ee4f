use super::{d, hangzhou, qingtongxia, span};
use crate::delivery::period::{Cadence, DateSpan, project_years, year_basis_days};

#[test]
fn iso_week_across_new_year() {
    // Thu 2020-12-31 and Sun 2021-01-03 are in ISO week 53 of 2020 (Mon 12-28 .. Sun 01-03).
    let w = Cadence::Week.period_of(d(2020, 12, 31));
    assert_eq!(w, span(d(2020, 12, 28), d(2021, 1, 3)));
    assert_eq!(Cadence::Week.period_of(d(2021, 1, 3)), w);
    assert_eq!(Cadence::Week.label(d(2021, 1, 1)), "2020年第53周（12月28日—1月3日）");
    // Mon 2021-01-04 starts week 1 of 2021.
    assert_eq!(Cadence::Week.period_of(d(2021, 1, 4)), span(d(2021, 1, 4), d(2021, 1, 10)));
    assert_eq!(Cadence::Week.label(d(2021, 1, 4)), "2021年第1周（1月4日—1月10日）");
    // Mon 2024-12-30 is already week 1 of 2025.
    assert_eq!(Cadence::Week.label(d(2024, 12, 31)), "2025年第1周（12月30日—1月5日）");
    // A Sunday belongs to the week that started the Monday before.
    assert_eq!(Cadence::Week.period_of(d(2021, 7, 4)).start, d(2021, 6, 28));
}

#[test]
fn month_and_quarter_ends() {
    assert_eq!(Cadence::Month.period_of(d(2024, 2, 10)), span(d(2024, 2, 1), d(2024, 2, 29)));
    assert_eq!(Cadence::Month.period_of(d(2023, 2, 28)), span(d(2023, 2, 1), d(2023, 2, 28)));
    assert_eq!(Cadence::Month.period_of(d(2021, 12, 31)), span(d(2021, 12, 1), d(2021, 12, 31)));
    assert_eq!(Cadence::Month.period_of(d(2021, 9, 30)).end, d(2021, 9, 30));
    assert_eq!(Cadence::Quarter.period_of(d(2021, 8, 15)), span(d(2021, 7, 1), d(2021, 9, 30)));
    assert_eq!(Cadence::Quarter.period_of(d(2021, 12, 31)), span(d(2021, 10, 1), d(2021, 12, 31)));
    assert_eq!(Cadence::Quarter.period_of(d(2022, 1, 1)), span(d(2022, 1, 1), d(2022, 3, 31)));
    assert_eq!(Cadence::Month.label(d(2021, 7, 9)), "2021年7月");
    assert_eq!(Cadence::Quarter.label(d(2021, 11, 9)), "2021年第4季度");
}

#[test]
fn hangzhou_weeks_and_months() {
    let weeks = Cadence::Week.periods_in(hangzhou());
    // Week of Mon 2021-06-28 .. week of Mon 2022-05-30: 49 weeks touch the project.
    assert_eq!(weeks.len(), 49);
    // First: Thu 07-01 .. Sun 07-04, 4 of 7 days: required.
    assert_eq!(weeks[0].part, span(d(2021, 7, 1), d(2021, 7, 4)));
    assert!(!weeks[0].is_short_stub());
    // Last: Mon 05-30 .. Tue 05-31, 2 of 7 days: exempt.
    assert_eq!(weeks[48].part, span(d(2022, 5, 30), d(2022, 5, 31)));
    assert!(weeks[48].is_short_stub());
    assert_eq!(weeks.iter().filter(|w| !w.is_short_stub()).count(), 48);
    // Contiguous, no gaps or overlaps.
    for pair in weeks.windows(2) {
        assert_eq!(pair[0].part.end.succ_opt().unwrap(), pair[1].part.start);
    }
    let months = Cadence::Month.periods_in(hangzhou());
    assert_eq!(months.len(), 11);
    assert!(months.iter().all(|m| m.part == m.full));
    assert_eq!(Cadence::Quarter.periods_in(qingtongxia()).len(), 5); // Q2 stub, Q3, Q4, Q1, Q2 stub
    let q = Cadence::Quarter.periods_in(qingtongxia());
    assert!(q[0].is_short_stub() && !q[1].is_short_stub() && !q[4].is_short_stub()); // Jun 30/91; Apr–May 61/91
}

#[test]
fn spans() {
    let p = hangzhou();
    assert_eq!(p.days(), 335);
    assert_eq!(p.elapsed_days(d(2021, 6, 30)), 0);
    assert_eq!(p.elapsed_days(d(2021, 7, 1)), 1);
    assert_eq!(p.elapsed_days(d(2023, 1, 1)), 335);
    assert_eq!(DateSpan::new(d(2021, 7, 2), d(2021, 7, 1)), None);
    assert_eq!(p.intersect(&span(d(2022, 5, 1), d(2022, 8, 1))), Some(span(d(2022, 5, 1), d(2022, 5, 31))));
    assert_eq!(p.intersect(&span(d(2022, 6, 1), d(2022, 8, 1))), None);
    assert_eq!(p.label(), "2021-07-01至2022-05-31");
}

#[test]
fn project_years_and_basis() {
    // Hangzhou: one 11-month window, the whole yearly minimum applies to it.
    assert_eq!(project_years(hangzhou()), vec![hangzhou()]);
    assert_eq!(year_basis_days(hangzhou(), hangzhou()), 335);
    // Chengguan-like three-year term.
    let three = span(d(2023, 6, 1), d(2026, 5, 31));
    let ys = project_years(three);
    assert_eq!(ys.len(), 3);
    assert_eq!(ys[1], span(d(2024, 6, 1), d(2025, 5, 31)));
    // 13 months: a 30-day second window spread over a full year (2024-06-01..2025-05-31 = 365 days).
    let thirteen = span(d(2023, 6, 1), d(2024, 6, 30));
    let ys = project_years(thirteen);
    assert_eq!(ys, vec![span(d(2023, 6, 1), d(2024, 5, 31)), span(d(2024, 6, 1), d(2024, 6, 30))]);
    assert_eq!(year_basis_days(ys[1], thirteen), 365);
    assert_eq!(year_basis_days(ys[0], thirteen), 366); // includes 2024-02-29
    // A project starting on 01-31 keeps month ends clamped.
    let ys = project_years(span(d(2024, 1, 31), d(2026, 1, 30)));
    assert_eq!(ys[0].end, d(2025, 1, 30));
}
