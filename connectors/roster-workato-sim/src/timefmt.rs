//! Rails-style timestamps: milliseconds and a numeric offset, e.g. `2023-01-02T15:04:05.000-08:00`.

use std::fmt::Write;

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};

/// Formats a UTC instant (seconds + milliseconds) in the given offset (minutes east of UTC).
pub(crate) fn rails(secs: i64, ms: u32, offset_min: i32) -> String {
    let utc = DateTime::<Utc>::from_timestamp(secs, ms.min(999) * 1_000_000).unwrap_or_default();
    match FixedOffset::east_opt(offset_min * 60) {
        Some(offset) => rails_dt(&utc.with_timezone(&offset)),
        None => rails_dt(&utc.fixed_offset()),
    }
}

/// Formats a zoned date-time Rails style.
pub(crate) fn rails_dt(dt: &DateTime<FixedOffset>) -> String {
    // Written by hand: chrono's `format` parses its pattern on every call, and this runs
    // twice per generated member.
    let offset = dt.offset().local_minus_utc() / 60;
    let sign = if offset < 0 { '-' } else { '+' };
    let mut out = String::with_capacity(29);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{sign}{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.timestamp_subsec_millis().min(999),
        offset.abs() / 60,
        offset.abs() % 60,
    );
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_with_offset() {
        // 2023-01-02T23:04:05Z
        assert_eq!(super::rails(1_672_700_645, 7, -480), "2023-01-02T15:04:05.007-08:00");
        assert_eq!(super::rails(0, 0, 330), "1970-01-01T05:30:00.000+05:30");
        assert_eq!(super::rails(0, 999, -210), "1969-12-31T20:30:00.999-03:30");
        let dt = chrono::DateTime::parse_from_rfc3339("2024-02-29T23:59:59.5+00:00").unwrap_or_default();
        assert_eq!(super::rails_dt(&dt), dt.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string());
    }
}
