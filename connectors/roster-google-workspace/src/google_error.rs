//! Google's error bodies: the API envelope `{"error": {"code", "message", "errors":
//! [{"reason"}], "status"}}` and the token endpoint's `{"error", "error_description"}`;
//! and which of them are rate limits.

use std::time::{Duration, SystemTime};

use roster_http::{ClientError, HeaderMap, StatusCode};
use serde_json::Value;

/// Reasons Google gives a rate limit (as a 403 or a 429).
const RATE_LIMIT_REASONS: [&str; 4] =
    ["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "RESOURCE_EXHAUSTED"];

/// A 4xx from Google, its text cut to 200 characters (and already scrubbed of secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GoogleError {
    pub status: u16,
    /// `errors[0].reason` (else `status`) of the API envelope, or the OAuth `error`.
    pub reason: Option<String>,
    /// `message`, or the OAuth `error_description`.
    pub message: Option<String>,
}

fn cut(s: &str) -> String {
    s.chars().take(200).collect()
}

impl GoogleError {
    pub(crate) fn parse(status: u16, body: &str) -> Self {
        let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let text = |v: &Value| v.as_str().map(cut);
        let (reason, message) = match v.get("error") {
            Some(Value::String(e)) => (Some(cut(e)), v.get("error_description").and_then(text)),
            Some(e) => (
                e.pointer("/errors/0/reason").or_else(|| e.get("status")).and_then(text),
                e.get("message").and_then(text),
            ),
            None => (None, None),
        };
        GoogleError { status, reason, message }
    }

    pub(crate) fn reason_is(&self, reason: &str) -> bool {
        self.reason.as_deref() == Some(reason)
    }

    /// Whether the message says `text`, whatever its case.
    pub(crate) fn says(&self, text: &str) -> bool {
        self.message.as_deref().is_some_and(|m| m.to_lowercase().contains(&text.to_lowercase()))
    }

    /// `google answered 403 (forbidden: Not Authorized to access this resource/api)`.
    pub(crate) fn describe(&self) -> String {
        let detail = match (&self.reason, &self.message) {
            (Some(r), Some(m)) => format!(" ({r}: {m})"),
            (Some(t), None) | (None, Some(t)) => format!(" ({t})"),
            (None, None) => String::new(),
        };
        format!("google answered {}{detail}", self.status)
    }
}

impl ClientError for GoogleError {
    fn from_answer(status: u16, body: &[u8], scrub: &[&str]) -> Self {
        let mut text = String::from_utf8_lossy(body).into_owned();
        for secret in scrub.iter().filter(|s| !s.is_empty()) {
            text = text.replace(secret, "[redacted]");
        }
        GoogleError::parse(status, &text)
    }
}

/// roster-http's throttle signal: a 403 whose reason is a rate limit is one, waited out
/// for its `Retry-After` seconds when it says, else backed off.
pub(crate) fn throttle(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    _now: SystemTime,
) -> Option<Option<Duration>> {
    let e = GoogleError::parse(status.as_u16(), &String::from_utf8_lossy(body));
    let limited = status == StatusCode::FORBIDDEN && RATE_LIMIT_REASONS.iter().any(|r| e.reason_is(r));
    let retry_after = headers.get("retry-after").and_then(|v| v.to_str().ok()?.trim().parse().ok());
    limited.then(|| retry_after.map(Duration::from_secs))
}
