//! GitHub's rate limits, as roster-http reads them: primary limits (403 or 429 with
//! `x-ratelimit-remaining: 0`: wait until `x-ratelimit-reset`), secondary limits (403 or
//! 429 saying so: wait `retry-after`, else at least a minute), GraphQL limits (a 200 with a
//! `RATE_LIMITED` or `RATE_LIMIT` error), and the budget headers of every answer.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use roster_http::{HeaderMap, StatusCode};
use serde_json::Value;

/// GitHub's rule when a secondary limit names no wait: "wait for at least one minute".
pub const SECONDARY_WAIT: Duration = Duration::from_secs(60);

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::trim)
}

/// When the primary budget is whole again (`x-ratelimit-reset`, UTC epoch seconds).
fn reset_at(h: &HeaderMap) -> Option<SystemTime> {
    header(h, "x-ratelimit-reset")?.parse::<u64>().ok().map(|s| UNIX_EPOCH + Duration::from_secs(s))
}

fn spent(h: &HeaderMap) -> bool {
    header(h, "x-ratelimit-remaining") == Some("0")
}

/// GitHub's waiting rule, in its order: `retry-after`; else the reset when nothing remains;
/// else a minute.
fn wait(h: &HeaderMap, now: SystemTime) -> Duration {
    if let Some(secs) = header(h, "retry-after").and_then(|v| v.parse::<u64>().ok()) {
        return Duration::from_secs(secs);
    }
    match reset_at(h) {
        Some(at) if spent(h) => at.duration_since(now).unwrap_or(Duration::ZERO),
        _ => SECONDARY_WAIT,
    }
}

/// `HttpConfig::throttle_signal`: a 403 that is a primary or a secondary rate limit.
pub(crate) fn signal(
    status: StatusCode,
    h: &HeaderMap,
    body: &[u8],
    now: SystemTime,
) -> Option<Option<Duration>> {
    let says = String::from_utf8_lossy(body).to_ascii_lowercase().contains("rate limit");
    let limited = spent(h) || says || header(h, "retry-after").is_some();
    (status == StatusCode::FORBIDDEN && limited).then(|| Some(wait(h, now)))
}

/// `HttpConfig::rate_limit_hint`: a 429 without `retry-after`.
pub(crate) fn hint(h: &HeaderMap, now: SystemTime) -> Option<Duration> {
    Some(wait(h, now))
}

/// `HttpConfig::budget_headers`: hold requests back until the reset once 1% of the budget
/// or less remains.
pub(crate) fn budget(h: &HeaderMap, now: SystemTime) -> Option<SystemTime> {
    let remaining: u64 = header(h, "x-ratelimit-remaining")?.parse().ok()?;
    let limit: u64 = header(h, "x-ratelimit-limit")?.parse().ok()?;
    reset_at(h).filter(|at| remaining <= limit / 100 && *at > now)
}

/// Whether a GraphQL answer reports a rate limit. GitHub has sent both `RATE_LIMITED` and
/// `RATE_LIMIT` as the type.
pub(crate) fn graphql_limited(body: &Value) -> bool {
    body["errors"]
        .as_array()
        .is_some_and(|e| e.iter().any(|e| matches!(e["type"].as_str(), Some("RATE_LIMITED" | "RATE_LIMIT"))))
}

/// How long a GraphQL rate limit asks to wait: until the reset header, else
/// `rateLimit.resetAt`; `None` backs off.
pub(crate) fn graphql_wait(h: &HeaderMap, body: &Value, now: SystemTime) -> Option<Duration> {
    let reset_at_field = || {
        let at = body.pointer("/data/rateLimit/resetAt")?.as_str()?;
        chrono::DateTime::parse_from_rfc3339(at).ok().map(SystemTime::from)
    };
    let at = reset_at(h).or_else(reset_at_field)?;
    at.duration_since(now).ok().filter(|d| !d.is_zero())
}

#[cfg(test)]
mod tests {
    use roster_http::HeaderMap;
    use serde_json::json;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap_or_else(|_| panic!("{v}")));
        }
        h
    }

    #[test]
    fn waits_follow_githubs_rule_and_budgets_pause_at_one_percent() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let forbidden = |h: &HeaderMap, body: &[u8]| signal(StatusCode::FORBIDDEN, h, body, now);
        let primary = headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1030")]);
        assert_eq!(forbidden(&primary, b"{}"), Some(Some(Duration::from_secs(30))));
        assert_eq!(hint(&primary, now), Some(Duration::from_secs(30)));
        let secondary = headers(&[("x-ratelimit-remaining", "4312"), ("retry-after", "7")]);
        assert_eq!(forbidden(&secondary, b"{}"), Some(Some(Duration::from_secs(7))));
        let bare = br#"{"message":"You have exceeded a secondary rate limit."}"#;
        assert_eq!(forbidden(&HeaderMap::new(), bare), Some(Some(SECONDARY_WAIT)));
        assert_eq!(
            forbidden(&HeaderMap::new(), br#"{"message":"Must have admin rights to Repository."}"#),
            None
        );
        assert_eq!(signal(StatusCode::NOT_FOUND, &primary, b"{}", now), None);
        let left = |n| {
            budget(
                &headers(&[
                    ("x-ratelimit-remaining", n),
                    ("x-ratelimit-limit", "5000"),
                    ("x-ratelimit-reset", "1600"),
                ]),
                now,
            )
        };
        assert_eq!((left("51"), left("50")), (None, Some(UNIX_EPOCH + Duration::from_secs(1600))));
        let body = json!({"data": {"rateLimit": {"resetAt": "1970-01-01T00:17:00Z"}}, "errors": [{"type": "RATE_LIMIT"}]});
        assert!(graphql_limited(&body) && !graphql_limited(&json!({"errors": [{"type": "NOT_FOUND"}]})));
        assert_eq!(graphql_wait(&HeaderMap::new(), &body, now), Some(Duration::from_secs(20)));
    }
}
