//! Zoom's timestamps: UTC, whole seconds, `Z` (`2019-06-01T07:58:03Z`).

use chrono::{DateTime, Duration, NaiveTime, Utc};

/// Formats Unix seconds the way Zoom does.
pub(crate) fn zoom_time(secs: i64) -> String {
    DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or_default().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The next 00:00 UTC after `now`, as a daily-limit `Retry-After` names it.
pub(crate) fn next_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = now.date_naive() + Duration::days(1);
    tomorrow.and_time(NaiveTime::MIN).and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(zoom_time(1_559_375_883), "2019-06-01T07:58:03Z");
        let now =
            DateTime::parse_from_rfc3339("2020-05-30T13:14:15Z").map(|t| t.to_utc()).unwrap_or_default();
        assert_eq!(zoom_time(next_midnight(now).timestamp()), "2020-05-31T00:00:00Z");
    }
}
