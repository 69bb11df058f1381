//! Injected faults: what each one does to a response.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::responses::{self, JSON_CONTENT_TYPE};
use crate::spec::RetryAfterStyle;

/// A fault a request can suffer instead of (or before) its normal response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// That status (500, 502, 503, 504, ...) with a JSON `{"message"}` body.
    Status(u16),
    /// That status with an HTML error page.
    HtmlError(u16),
    /// 429 with `Retry-After` (1 second) in the given style.
    RateLimited(RetryAfterStyle),
    /// The TCP connection is reset without any response.
    ResetConnection,
    /// The normal response, after this delay (cancelled if the client goes away).
    Delay(Duration),
    /// The normal response, whose body sends its first chunk at once and each
    /// later one after this delay: a body being served slowly.
    SlowBody(Duration),
    /// 200 with valid framing (`Content-Length`) and JSON cut off in the middle.
    TruncatedJson,
    /// 200 whose body stream fails midway, so the connection drops.
    AbortedBody,
    /// An HTML page with status 200 and `text/html`.
    HtmlOk,
    /// 200 with `text/plain` and a non-JSON body.
    WrongContentType,
    /// 401 `{"message":"Unauthorized"}`.
    Unauthorized,
    /// 403 `{"message":"Forbidden"}`.
    Forbidden,
    /// 302 to that absolute URL.
    Redirect(String),
}

impl Fault {
    /// The faults random injection picks from by default: the transient ones (no 401/403/redirect).
    pub fn transient() -> Vec<Fault> {
        vec![
            Fault::Status(500),
            Fault::Status(502),
            Fault::Status(503),
            Fault::Status(504),
            Fault::HtmlError(502),
            Fault::RateLimited(RetryAfterStyle::Seconds),
            Fault::ResetConnection,
            Fault::Delay(Duration::from_millis(500)),
            Fault::TruncatedJson,
            Fault::AbortedBody,
            Fault::HtmlOk,
            Fault::WrongContentType,
        ]
    }
}

/// Marks a response whose connection must be reset instead of answered.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ResetMarker;

/// What the gate does with a fault.
pub(crate) enum Outcome {
    Respond(Response),
    ProceedAfter(Duration),
    /// The normal response with [`slow_body`] applied.
    SlowBody(Duration),
}

const TRUNCATED: &str =
    r#"{"data":[{"id":1000,"grant_type":"team","roles":[{"environment_type":"dev","role_na"#;

/// The response (or delay) of a fault.
pub(crate) fn outcome(fault: &Fault, unauthorized_message: &str) -> Outcome {
    let response = match fault {
        Fault::Status(code) => {
            let code = responses::status(*code);
            let text = match code.as_u16() {
                500 => "Internal server error",
                502 => "Bad gateway",
                503 => "Service unavailable",
                504 => "Gateway timeout",
                _ => code.canonical_reason().unwrap_or("Error"),
            };
            responses::message(code, text)
        }
        Fault::HtmlError(code) => {
            let code = responses::status(*code);
            responses::typed(code, "text/html; charset=utf-8", responses::html_page(code))
        }
        Fault::RateLimited(style) => responses::rate_limited(*style, Duration::from_secs(1)),
        Fault::ResetConnection => {
            let mut r = responses::message(StatusCode::INTERNAL_SERVER_ERROR, "reset");
            r.extensions_mut().insert(ResetMarker);
            r
        }
        Fault::Delay(d) => return Outcome::ProceedAfter(*d),
        Fault::SlowBody(d) => return Outcome::SlowBody(*d),
        Fault::TruncatedJson => responses::typed(StatusCode::OK, JSON_CONTENT_TYPE, TRUNCATED),
        Fault::AbortedBody => {
            let head: std::io::Result<Bytes> = Ok(Bytes::from_static(TRUNCATED.as_bytes()));
            let fail = async {
                // Let the status line and first chunk reach the client before failing.
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err(std::io::Error::other("body aborted by fault injection"))
            };
            let body = Body::from_stream(stream::iter([head]).chain(stream::once(fail)));
            responses::typed(StatusCode::OK, JSON_CONTENT_TYPE, body)
        }
        Fault::HtmlOk => responses::typed(
            StatusCode::OK,
            "text/html; charset=utf-8",
            responses::html_page(StatusCode::SERVICE_UNAVAILABLE),
        ),
        Fault::WrongContentType => responses::typed(
            StatusCode::OK,
            "text/plain; charset=utf-8",
            "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
        ),
        Fault::Unauthorized => responses::message(StatusCode::UNAUTHORIZED, unauthorized_message),
        Fault::Forbidden => responses::message(StatusCode::FORBIDDEN, "Forbidden"),
        Fault::Redirect(url) => match HeaderValue::from_str(url) {
            Ok(location) => {
                let body =
                    format!("<html><body>You are being <a href=\"{url}\">redirected</a>.</body></html>");
                let mut r = responses::typed(StatusCode::FOUND, "text/html; charset=utf-8", body);
                r.headers_mut().insert(header::LOCATION, location);
                r
            }
            Err(_) => responses::message(StatusCode::INTERNAL_SERVER_ERROR, "invalid redirect location"),
        },
    };
    Outcome::Respond(response)
}

/// `response` with every body chunk after the first held back by `delay`.
pub(crate) fn slow_body(response: Response, delay: Duration) -> Response {
    let (parts, body) = response.into_parts();
    let mut first = true;
    let chunks = body.into_data_stream().then(move |chunk| {
        let wait = if std::mem::take(&mut first) { Duration::ZERO } else { delay };
        async move {
            tokio::time::sleep(wait).await;
            chunk
        }
    });
    Response::from_parts(parts, Body::from_stream(chunks))
}

/// A fault queued for the next `remaining` requests under `prefix`.
#[derive(Clone, Debug)]
pub(crate) struct QueuedFault {
    pub fault: Fault,
    pub remaining: usize,
    pub prefix: Option<String>,
}

/// Random injection: each request suffers one of `choices` with `probability`.
#[derive(Debug)]
pub(crate) struct RandomFaults {
    pub probability: f64,
    pub rng: StdRng,
    pub choices: Vec<Fault>,
}

impl RandomFaults {
    pub(crate) fn new(probability: f64, seed: u64, choices: Vec<Fault>) -> Self {
        RandomFaults {
            probability: if probability.is_nan() { 0.0 } else { probability.clamp(0.0, 1.0) },
            rng: StdRng::seed_from_u64(seed),
            choices,
        }
    }

    pub(crate) fn roll(&mut self) -> Option<Fault> {
        if self.choices.is_empty() || !self.rng.random_bool(self.probability) {
            return None;
        }
        let i = self.rng.random_range(0..self.choices.len());
        self.choices.get(i).cloned()
    }
}

/// Takes the next queued fault matching `path`.
pub(crate) fn take_queued(queue: &mut std::collections::VecDeque<QueuedFault>, path: &str) -> Option<Fault> {
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
