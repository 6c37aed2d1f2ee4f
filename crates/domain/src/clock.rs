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

/// A local Asia/Shanghai deadline as a UTC instant.
pub fn shanghai_to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&(local - chrono::Duration::hours(8)))
}
