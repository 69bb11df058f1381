//! Workato's answers: JSON with its content type, `{"message"}` errors, and 429s.

use axum::http::StatusCode;
use axum::response::Response;
use roster_sim_kit::{Limited, RetryAfter, respond};
use serde_json::{Value, json};

/// `Content-Type` of every JSON response.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// A JSON response.
pub(crate) fn json_response(code: StatusCode, value: &Value) -> Response {
    respond::json(code, JSON_CONTENT_TYPE, value)
}

/// `{"message": ...}` with a status.
pub(crate) fn message(code: StatusCode, text: &str) -> Response {
    json_response(code, &json!({ "message": text }))
}

/// 429 `{"message":"Too many requests"}` with `Retry-After` in `style`.
pub(crate) fn rate_limited(limited: &Limited, style: RetryAfter) -> Response {
    let mut response = message(StatusCode::TOO_MANY_REQUESTS, "Too many requests");
    if let Some(v) = limited.style.unwrap_or(style).value(limited.wait) {
        respond::set_header(&mut response, "retry-after", &v);
    }
    response
}
