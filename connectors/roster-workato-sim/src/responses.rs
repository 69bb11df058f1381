//! Response builders shared by the handlers and the fault injector.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::spec::RetryAfterStyle;

/// `Content-Type` of every JSON response.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// A status code, falling back to 500 for numbers that are not one.
pub(crate) fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A JSON response.
pub(crate) fn json_response(code: StatusCode, value: &Value) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_default();
    (code, [(header::CONTENT_TYPE, JSON_CONTENT_TYPE)], body).into_response()
}

/// `{"message": ...}` with a status.
pub(crate) fn message(code: StatusCode, text: &str) -> Response {
    json_response(code, &json!({ "message": text }))
}

/// A body of another content type.
pub(crate) fn typed(code: StatusCode, content_type: &'static str, body: impl Into<Body>) -> Response {
    (code, [(header::CONTENT_TYPE, content_type)], body.into()).into_response()
}

/// 429 `{"message":"Too many requests"}` with `Retry-After` in the given style.
pub(crate) fn rate_limited(style: RetryAfterStyle, wait: Duration) -> Response {
    let mut response = message(StatusCode::TOO_MANY_REQUESTS, "Too many requests");
    let value = match style {
        RetryAfterStyle::Seconds => Some(ceil_secs(wait).max(1).to_string()),
        RetryAfterStyle::HttpDate => {
            let at = SystemTime::now() + wait;
            let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
            // HTTP dates have whole seconds: round up so the client never comes back early.
            let rounded = UNIX_EPOCH + Duration::from_secs(ceil_secs(since));
            Some(httpdate::fmt_http_date(rounded))
        }
        RetryAfterStyle::Omit => None,
    };
    if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// An HTML error page like the ones a load balancer or maintenance page serves.
pub(crate) fn html_page(code: StatusCode) -> String {
    let reason = code.canonical_reason().unwrap_or("Error");
    format!(
        "<!DOCTYPE html>\n<html>\n<head><title>{n} {reason} | Workato</title></head>\n<body>\n<h1>{reason}</h1>\n<p>We're sorry, but something went wrong. Please try again later.</p>\n</body>\n</html>\n",
        n = code.as_u16()
    )
}
