//! The retry budget and backoff.

use std::time::Duration;

use rand::Rng;

/// How hard a request is retried before its error is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first one included.
    pub max_attempts: u32,
    /// First backoff; it doubles on each attempt, with full jitter.
    pub base_delay: Duration,
    /// Longest backoff between two attempts.
    pub max_delay: Duration,
    /// Longest `Retry-After` honoured; a longer one fails the request as
    /// rate limited, carrying the time the vendor asked for.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// Exponential backoff with full jitter for attempt `n` (1-based) that failed.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.base_delay.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let cap = exp.min(self.max_delay);
        let millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
        // Full jitter, but never less than half the step, so retries do not
        // collapse onto the server at once.
        let half = millis / 2;
        Duration::from_millis(half + rand::rng().random_range(0..=millis - half))
    }
}

/// Parses `Retry-After`: delta-seconds, fractional seconds (Microsoft Graph has sent
/// `2.128`), an HTTP date, or (as some vendors, Zoom among them, send it) an RFC 3339
/// date-time such as `2020-05-31T00:00:00Z`.
pub(crate) fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if value.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && let Ok(secs) = value.parse::<f64>()
    {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let at = match httpdate::parse_http_date(value) {
        Ok(at) => at,
        Err(_) => std::time::SystemTime::from(chrono::DateTime::parse_from_rfc3339(value).ok()?),
    };
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        let later = now + Duration::from_secs(30);
        let d = parse_retry_after(&httpdate::fmt_http_date(later), now).unwrap();
        assert!(d <= Duration::from_secs(30) && d >= Duration::from_secs(28), "{d:?}");
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        let at = chrono::DateTime::<chrono::Utc>::from(now + Duration::from_secs(90));
        let iso = at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let d = parse_retry_after(&iso, now).unwrap();
        assert!(d <= Duration::from_secs(90) && d >= Duration::from_secs(88), "{iso}: {d:?}");
        assert_eq!(parse_retry_after("2000-01-01T00:00:00Z", now), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_in_fractional_seconds() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("2.128", now), Some(Duration::from_millis(2128)));
        assert_eq!(parse_retry_after(" 0.5 ", now), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("1.", now), Some(Duration::from_secs(1)));
        for refused in ["-1.5", "1e3", "NaN", "inf", ".", "1.2.3"] {
            assert_eq!(parse_retry_after(refused, now), None, "{refused}");
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let b1 = p.backoff(1);
            assert!(b1 >= Duration::from_millis(50) && b1 <= Duration::from_millis(100));
            let b10 = p.backoff(10);
            assert!(b10 >= Duration::from_millis(500) && b10 <= Duration::from_millis(1000));
        }
    }
}
