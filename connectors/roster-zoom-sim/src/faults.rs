//! Injected faults: what each one does to a response.

use std::collections::VecDeque;
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::Response;

use crate::responses::{self, JSON_CONTENT_TYPE, RateHeaders, RateLimitStyle};

/// A fault a request can suffer instead of (or before) its normal response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// That status (500, 502, 503, 504, ...) with a JSON `{"code","message"}` body.
    Status(u16),
    /// That status with an HTML error page.
    HtmlError(u16),
    /// 429 in the given style.
    RateLimited(RateLimitStyle),
    /// 200 with JSON cut off in the middle.
    TruncatedJson,
    /// The normal response, after this delay.
    Delay(Duration),
    /// 401 code 124 "Access token is expired." (whatever the token's age).
    ExpiredToken,
    /// 401 code 124 "Invalid access token.".
    InvalidToken,
    /// 400 code 300 "The next page token is invalid or expired.".
    InvalidPageToken,
}

/// What the gate does with a fault.
pub(crate) enum Outcome {
    Respond(Response),
    ProceedAfter(Duration),
}

const TRUNCATED: &str = r#"{"page_count":1,"page_number":1,"page_size":300,"total_records":2,"next_page_token":"","users":[{"id":"KDcuGIm1QgePTO8WbOqwIQ","first_name":"Jill","last_na"#;

/// The response (or delay) of a fault.
pub(crate) fn outcome(fault: &Fault, rate: &RateHeaders, invalid_token_status: u16) -> Outcome {
    let response = match fault {
        Fault::Status(code) => {
            let code = responses::status(*code);
            responses::zoom_error(code, u32::from(code.as_u16()), code.canonical_reason().unwrap_or("Error"))
        }
        Fault::HtmlError(code) => {
            let code = responses::status(*code);
            responses::typed(code, "text/html", responses::html_page(code))
        }
        Fault::RateLimited(style) => responses::rate_limited(*style, rate, Duration::from_secs(1)),
        Fault::TruncatedJson => responses::typed(StatusCode::OK, JSON_CONTENT_TYPE, TRUNCATED),
        Fault::Delay(d) => return Outcome::ProceedAfter(*d),
        Fault::ExpiredToken => {
            responses::zoom_error(responses::status(invalid_token_status), 124, "Access token is expired.")
        }
        Fault::InvalidToken => {
            responses::zoom_error(responses::status(invalid_token_status), 124, "Invalid access token.")
        }
        Fault::InvalidPageToken => {
            responses::zoom_error(StatusCode::BAD_REQUEST, 300, "The next page token is invalid or expired.")
        }
    };
    Outcome::Respond(response)
}

/// A fault queued for the next `remaining` requests under `prefix`.
#[derive(Clone, Debug)]
pub(crate) struct QueuedFault {
    pub fault: Fault,
    pub remaining: usize,
    pub prefix: Option<String>,
}

/// Takes the next queued fault matching `path`.
pub(crate) fn take_queued(queue: &mut VecDeque<QueuedFault>, path: &str) -> Option<Fault> {
    let pos = queue
        .iter()
        .position(|q| q.remaining > 0 && q.prefix.as_deref().is_none_or(|p| path.starts_with(p)))?;
    let entry = queue.get_mut(pos)?;
    entry.remaining -= 1;
    let fault = entry.fault.clone();
    if entry.remaining == 0 {
        queue.remove(pos);
    }
    Some(fault)
}
