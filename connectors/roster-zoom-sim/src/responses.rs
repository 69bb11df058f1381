//! Response builders: Zoom's `{"code","message"}` envelope, the OAuth `{"reason","error"}`
//! envelope, and 429s with Zoom's rate-limit headers.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::{Value, json};

use crate::timefmt::{next_midnight, zoom_time};

/// `Content-Type` of every JSON response.
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// A status code, falling back to 500 for numbers that are not one.
pub(crate) fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

pub(crate) fn json_response(code: StatusCode, value: &Value) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_default();
    (code, [(header::CONTENT_TYPE, JSON_CONTENT_TYPE)], body).into_response()
}

/// Zoom's API error: `{"code": <zoom code>, "message": "..."}`.
pub(crate) fn zoom_error(http: StatusCode, code: u32, message: &str) -> Response {
    json_response(http, &json!({ "code": code, "message": message }))
}

/// The OAuth endpoint's error: `{"reason": "...", "error": "..."}`.
pub(crate) fn oauth_error(http: StatusCode, reason: &str, error: &str) -> Response {
    json_response(http, &json!({ "reason": reason, "error": error }))
}

/// A body of another content type.
pub(crate) fn typed(code: StatusCode, content_type: &'static str, body: impl Into<Body>) -> Response {
    (code, [(header::CONTENT_TYPE, content_type)], body.into()).into_response()
}

/// An HTML error page, as a load balancer serves it.
pub(crate) fn html_page(code: StatusCode) -> String {
    let reason = code.canonical_reason().unwrap_or("Error");
    format!(
        "<html><head><title>{} {reason}</title></head><body><center><h1>{} {reason}</h1></center></body></html>\n",
        code.as_u16(),
        code.as_u16()
    )
}

/// Sets a header, ignoring values that cannot be one.
pub(crate) fn set_header(response: &mut Response, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().insert(HeaderName::from_static(name), v);
    }
}

/// The `X-RateLimit-*` headers Zoom sends with API responses.
#[derive(Clone, Debug)]
pub(crate) struct RateHeaders {
    pub category: &'static str,
    pub limit: u32,
    pub remaining: u32,
}

impl RateHeaders {
    pub(crate) fn apply(&self, response: &mut Response) {
        set_header(response, "x-ratelimit-category", self.category);
        set_header(response, "x-ratelimit-limit", &self.limit.to_string());
        set_header(response, "x-ratelimit-remaining", &self.remaining.to_string());
    }
}

/// How a 429 says when to come back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateLimitStyle {
    /// A per-second limit: `X-RateLimit-Type: QPS` and no `Retry-After`.
    Qps,
    /// A per-second limit with `Retry-After: <seconds>`.
    RetryAfterSeconds,
    /// A per-second limit with `Retry-After` as an ISO date-time a second ahead.
    RetryAfterDate,
    /// The daily limit: `X-RateLimit-Type: Daily-limit` and `Retry-After` at the next
    /// 00:00 UTC, as an ISO date-time.
    DailyLimit,
}

/// A 429 in `style` for `category`.
pub(crate) fn rate_limited(style: RateLimitStyle, headers: &RateHeaders, wait: Duration) -> Response {
    let daily = style == RateLimitStyle::DailyLimit;
    let message = if daily {
        "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request."
    } else {
        "You have reached the maximum per-second rate limit for this API. Try again later."
    };
    let mut response = zoom_error(StatusCode::TOO_MANY_REQUESTS, 429, message);
    RateHeaders { remaining: 0, ..headers.clone() }.apply(&mut response);
    set_header(&mut response, "x-ratelimit-type", if daily { "Daily-limit" } else { "QPS" });
    let now = Utc::now();
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let retry_after = match style {
        RateLimitStyle::Qps => None,
        RateLimitStyle::RetryAfterSeconds => Some(secs.max(1).to_string()),
        RateLimitStyle::RetryAfterDate => Some(zoom_time(now.timestamp() + secs.max(1) as i64)),
        RateLimitStyle::DailyLimit => Some(zoom_time(next_midnight(now).timestamp())),
    };
    if let Some(v) = retry_after {
        set_header(&mut response, "retry-after", &v);
    }
    response
}
