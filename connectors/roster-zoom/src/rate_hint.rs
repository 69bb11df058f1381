//! Zoom's rate-limit headers, read on a 429 that names no usable `Retry-After`.
//!
//! `X-RateLimit-Type: QPS` is a per-second limit: its window frees within a second.
//! `X-RateLimit-Type: Daily-limit` lasts until the next 00:00 UTC (Zoom's own daily
//! `Retry-After` names that time as an ISO date-time, which roster-http reads).

use std::time::{Duration, SystemTime};

use chrono::{DateTime, Days, Utc};
use roster_http::HeaderMap;

pub(crate) fn hint(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let kind = headers.get("x-ratelimit-type").and_then(|v| v.to_str().ok())?.trim().to_ascii_lowercase();
    match kind.as_str() {
        "qps" => Some(Duration::from_secs(1)),
        "daily-limit" => {
            let now: DateTime<Utc> = now.into();
            let midnight = now.date_naive().checked_add_days(Days::new(1))?.and_hms_opt(0, 0, 0)?.and_utc();
            (midnight - now).to_std().ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use roster_http::HeaderMap;

    use super::*;

    fn headers(kind: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-type", kind.parse().expect("a header value"));
        h
    }

    #[test]
    fn per_second_and_daily_limits() {
        let now: SystemTime = DateTime::parse_from_rfc3339("2024-05-30T23:00:00Z")
            .map(|t| t.to_utc())
            .unwrap_or_default()
            .into();
        assert_eq!(hint(&headers("QPS"), now), Some(Duration::from_secs(1)));
        assert_eq!(hint(&headers("Daily-limit"), now), Some(Duration::from_secs(3600)));
        assert_eq!(hint(&headers("other"), now), None);
        assert_eq!(hint(&HeaderMap::new(), now), None);
    }
}
