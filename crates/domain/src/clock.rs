//! Time is injected: handlers and jobs ask a `Clock`, tests pin it to a date in Asia/Shanghai.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};

/// China Standard Time, UTC+8, no daylight saving.
pub fn shanghai() -> FixedOffset {
    // 8 hours is always a valid offset.
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix())
}

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    fn now_shanghai(&self) -> DateTime<FixedOffset> {
        self.now().with_timezone(&shanghai())
    }

    fn today(&self) -> NaiveDate {
        self.now_shanghai().date_naive()
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant, for tests.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl FixedClock {
    /// A clock at a local Asia/Shanghai time.
    pub fn at_shanghai(local: NaiveDateTime) -> Self {
        let utc = local - chrono::Duration::hours(8);
        FixedClock(Utc.from_utc_datetime(&utc))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A clock that stays where it is set and moves only when told: for tests that walk a process
/// through its deadlines (a notice period that ends, a job that comes due).
#[derive(Debug, Default)]
pub struct ManualClock(std::sync::atomic::AtomicI64);

impl ManualClock {
    /// A clock at a local Asia/Shanghai time.
    pub fn at_shanghai(local: NaiveDateTime) -> Self {
        ManualClock(std::sync::atomic::AtomicI64::new(shanghai_to_utc(local).timestamp_millis()))
    }

    /// Move to a local Asia/Shanghai time.
    pub fn set_shanghai(&self, local: NaiveDateTime) {
        self.0.store(shanghai_to_utc(local).timestamp_millis(), std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        let ms = self.0.load(std::sync::atomic::Ordering::SeqCst);
        DateTime::from_timestamp_millis(ms).unwrap_or_default()
    }
}

/// A local Asia/Shanghai deadline as a UTC instant.
pub fn shanghai_to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&(local - chrono::Duration::hours(8)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_set() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let start = day(22);
        let c = ManualClock::at_shanghai(start);
        assert_eq!(c.today(), start.date());
        let later = day(27);
        c.set_shanghai(later);
        assert_eq!(c.today(), later.date());
        assert_eq!(c.now_shanghai().format("%H:%M").to_string(), "09:00");
    }
}
