//! Google's answers: the API error envelope, the OAuth token errors, 401s and 403s with
//! `WWW-Authenticate`, and rate limits.

use axum::http::StatusCode;
use axum::response::Response;
use roster_sim_kit::respond;
use serde_json::{Value, json};

use crate::spec::RateLimitAnswer;

/// `Content-Type` of every JSON answer.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=UTF-8";

pub(crate) fn json_response(code: StatusCode, value: &Value) -> Response {
    respond::json(code, JSON_CONTENT_TYPE, value)
}

/// `{"error": {"code", "message", "errors": [{"message", "domain", "reason"}]}}`.
pub(crate) fn google_error(code: StatusCode, domain: &str, reason: &str, message: &str) -> Response {
    let errors = json!([{"message": message, "domain": domain, "reason": reason}]);
    json_response(code, &json!({"error": {"code": code.as_u16(), "message": message, "errors": errors}}))
}

/// The token endpoint's `{"error", "error_description"}`, pretty-printed as Google serves it.
pub(crate) fn oauth_error(code: StatusCode, error: &str, description: &str) -> Response {
    let body = json!({"error": error, "error_description": description});
    let text = serde_json::to_string_pretty(&body).unwrap_or_default();
    let mut r = respond::typed(code, "application/json; charset=utf-8", text);
    respond::set_header(&mut r, "cache-control", "no-cache, no-store, max-age=0, must-revalidate");
    r
}

const REALM: &str = "Bearer realm=\"https://accounts.google.com/\"";

/// 401: no `Authorization` (`Login Required.`) or a token that is unknown or expired.
pub(crate) fn unauthenticated(missing: bool) -> Response {
    let (reason, message) =
        if missing { ("required", "Login Required.") } else { ("authError", "Invalid Credentials") };
    let mut r = google_error(StatusCode::UNAUTHORIZED, "global", reason, message);
    respond::set_header(&mut r, "www-authenticate", REALM);
    r
}

/// 403: the token lacks the scope the method needs.
pub(crate) fn insufficient_scope(scope: &str) -> Response {
    let mut r =
        google_error(StatusCode::FORBIDDEN, "global", "insufficientPermissions", "Insufficient Permission");
    let header = format!("{REALM}, error=insufficient_scope, scope=\"{scope}\"");
    respond::set_header(&mut r, "www-authenticate", &header);
    r
}

/// A rate limit in `answer`'s words, with `Retry-After` when given.
pub(crate) fn rate_limited(answer: RateLimitAnswer, retry_after: Option<String>) -> Response {
    const QUOTA: &str = "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'";
    let mut r = match answer {
        RateLimitAnswer::RateLimitExceeded => {
            google_error(StatusCode::FORBIDDEN, "usageLimits", "rateLimitExceeded", QUOTA)
        }
        RateLimitAnswer::UserRateLimitExceeded => google_error(
            StatusCode::FORBIDDEN,
            "usageLimits",
            "userRateLimitExceeded",
            "User Rate Limit Exceeded. Rate of requests for user exceed configured project quota.",
        ),
        RateLimitAnswer::ResourceExhausted429 => json_response(
            StatusCode::TOO_MANY_REQUESTS,
            &json!({"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).",
                "errors": [{"message": "Resource has been exhausted (e.g. check quota).", "domain": "global", "reason": "rateLimitExceeded"}],
                "status": "RESOURCE_EXHAUSTED"}}),
        ),
    };
    if let Some(v) = retry_after {
        respond::set_header(&mut r, "retry-after", &v);
    }
    r
}
