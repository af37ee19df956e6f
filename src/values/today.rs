//! Today's date, and whether a date after it may be recorded.
//!
//! Registrations, lifts, dispatches, visits and posts record what has
//! happened, so a date after today is a typo (2030 for 2020) unless the
//! command was given `--allow-future`. The choice is made once per process,
//! like the language: the importer's row checks run on a second thread and
//! would otherwise need it threaded through every one of them.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;

use super::format_date;

static ALLOW_FUTURE: AtomicBool = AtomicBool::new(false);
static TODAY: OnceLock<NaiveDate> = OnceLock::new();
static TODAY_TEXT: OnceLock<String> = OnceLock::new();

/// Accepts (or refuses again) dates after today.
pub fn allow_future(on: bool) {
    ALLOW_FUTURE.store(on, Ordering::Relaxed);
}

pub fn future_allowed() -> bool {
    ALLOW_FUTURE.load(Ordering::Relaxed)
}

/// Today in the local time zone, fixed for the whole run so that a command
/// working past midnight judges every row by the same day.
pub fn today() -> NaiveDate {
    *TODAY.get_or_init(|| {
        // Tests pin the day so the boundary of the rule can be checked.
        #[cfg(debug_assertions)]
        if let Some(day) = std::env::var("FUPIN_TEST_TODAY")
            .ok()
            .and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok())
        {
            return day;
        }
        chrono::Local::now().date_naive()
    })
}

/// [`today`] as stored dates are written (`2020-03-05`).
pub fn today_text() -> &'static str {
    TODAY_TEXT.get_or_init(|| format_date(today()))
}
