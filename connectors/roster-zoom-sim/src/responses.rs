//! Zoom's answers: the `{"code","message"}` envelope, the OAuth `{"reason","error"}`
//! envelope, and 429s with Zoom's rate-limit headers.

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::Response;
use roster_sim_kit::{RetryAfter, next_utc_midnight_iso, respond};
use serde_json::{Value, json};

/// `Content-Type` of every JSON response.
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

pub(crate) fn json_response(code: StatusCode, value: &Value) -> Response {
    respond::json(code, JSON_CONTENT_TYPE, value)
}

/// Zoom's API error: `{"code": <zoom code>, "message": "..."}`.
pub(crate) fn zoom_error(http: StatusCode, code: u32, message: &str) -> Response {
    json_response(http, &json!({ "code": code, "message": message }))
}

/// 404 code 1001: no user has this id or email.
pub(crate) fn user_not_found(key: &str) -> Response {
    zoom_error(StatusCode::NOT_FOUND, 1001, &format!("User does not exist: {key}."))
}

/// 400 code 1120: a pending user's invitation, which cannot take this request.
pub(crate) fn invite_not_exist() -> Response {
    zoom_error(StatusCode::BAD_REQUEST, 1120, "Invite not exist.")
}

/// The OAuth endpoint's error: `{"reason": "...", "error": "..."}`.
pub(crate) fn oauth_error(http: StatusCode, reason: &str, error: &str) -> Response {
    json_response(http, &json!({ "reason": reason, "error": error }))
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
        respond::set_header(response, "x-ratelimit-category", self.category);
        respond::set_header(response, "x-ratelimit-limit", &self.limit.to_string());
        respond::set_header(response, "x-ratelimit-remaining", &self.remaining.to_string());
    }
}

/// How a Zoom 429 says when to come back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RateLimitStyle {
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

/// A 429 in `style` for `headers`' category.
pub(crate) fn rate_limited(style: RateLimitStyle, headers: &RateHeaders, wait: Duration) -> Response {
    let daily = style == RateLimitStyle::DailyLimit;
    let message = if daily {
        "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request."
    } else {
        "You have reached the maximum per-second rate limit for this API. Try again later."
    };
    let mut response = zoom_error(StatusCode::TOO_MANY_REQUESTS, 429, message);
    RateHeaders { remaining: 0, ..headers.clone() }.apply(&mut response);
    respond::set_header(&mut response, "x-ratelimit-type", if daily { "Daily-limit" } else { "QPS" });
    let retry_after = match style {
        RateLimitStyle::Qps => None,
        RateLimitStyle::RetryAfterSeconds => RetryAfter::Seconds.value(wait),
        RateLimitStyle::RetryAfterDate => RetryAfter::IsoDate.value(wait),
        RateLimitStyle::DailyLimit => Some(next_utc_midnight_iso()),
    };
    if let Some(v) = retry_after {
        respond::set_header(&mut response, "retry-after", &v);
    }
    response
}
