//! One fault vocabulary for every simulator: what a fault does to a response, per-route
//! queues and random injection.

use std::collections::VecDeque;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::rate::{Limited, RetryAfter};
use crate::respond;
use crate::tenant::Tenant;

/// A fault a request can suffer instead of (or before) its normal response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// That status (500, 502, 503, 504, ...) with the vendor's JSON error body.
    Status(u16),
    /// That status with an HTML error page.
    HtmlError(u16),
    /// The vendor's rate-limited answer, saying when to come back in this style (one second).
    RateLimited(RetryAfter),
    /// The TCP connection is reset without any response.
    ResetConnection,
    /// The normal response, after this delay (cancelled if the client goes away).
    Delay(Duration),
    /// The normal response, whose body sends its first chunk at once and each later one
    /// after this delay: a body being served slowly.
    SlowBody(Duration),
    /// 200 with valid framing (`Content-Length`) and JSON cut off in the middle.
    TruncatedJson,
    /// 200 whose body stream fails midway, so the connection drops.
    AbortedBody,
    /// An HTML page with status 200 and `text/html`.
    HtmlOk,
    /// 200 with `text/plain` and a non-JSON body.
    WrongContentType,
    /// The vendor's 401.
    Unauthorized,
    /// The vendor's 403.
    Forbidden,
    /// 302 to that absolute URL.
    Redirect(String),
    /// A fault only this vendor has, by name (an expired token, a refused page token, a
    /// daily limit). Each simulator exports its names as constants.
    Vendor(&'static str),
}

impl Fault {
    /// The faults random injection picks from by default: the transient ones.
    pub fn transient() -> Vec<Fault> {
        vec![
            Fault::Status(500),
            Fault::Status(502),
            Fault::Status(503),
            Fault::Status(504),
            Fault::HtmlError(502),
            Fault::RateLimited(RetryAfter::Seconds),
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

/// The response (or delay) of a fault, in the tenant's vendor's words.
pub(crate) fn outcome<T: Tenant>(fault: &Fault, tenant: &T, path: &str) -> Outcome {
    let response = match fault {
        Fault::Status(code) => {
            let code = respond::status(*code);
            tenant.error(code, code.canonical_reason().unwrap_or("Error"))
        }
        Fault::HtmlError(code) => {
            let code = respond::status(*code);
            respond::typed(code, "text/html; charset=utf-8", tenant.html_page(code))
        }
        Fault::RateLimited(style) => tenant.rate_limited(&Limited {
            path: path.to_owned(),
            key: "fault".into(),
            limit: 0,
            window: None,
            wait: Duration::from_secs(1),
            style: Some(*style),
        }),
        Fault::ResetConnection => {
            let mut r = respond::empty(StatusCode::INTERNAL_SERVER_ERROR);
            r.extensions_mut().insert(ResetMarker);
            r
        }
        Fault::Delay(d) => return Outcome::ProceedAfter(*d),
        Fault::SlowBody(d) => return Outcome::SlowBody(*d),
        Fault::TruncatedJson => {
            respond::typed(StatusCode::OK, tenant.json_content_type(), tenant.truncated_json())
        }
        Fault::AbortedBody => {
            let head: std::io::Result<Bytes> = Ok(Bytes::from_static(tenant.truncated_json().as_bytes()));
            let fail = async {
                // Let the status line and first chunk reach the client before failing.
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err(std::io::Error::other("body aborted by fault injection"))
            };
            let body = Body::from_stream(stream::iter([head]).chain(stream::once(fail)));
            respond::typed(StatusCode::OK, tenant.json_content_type(), body)
        }
        Fault::HtmlOk => respond::typed(
            StatusCode::OK,
            "text/html; charset=utf-8",
            tenant.html_page(StatusCode::SERVICE_UNAVAILABLE),
        ),
        Fault::WrongContentType => respond::typed(
            StatusCode::OK,
            "text/plain; charset=utf-8",
            "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
        ),
        Fault::Unauthorized => tenant.unauthorized(),
        Fault::Forbidden => tenant.error(StatusCode::FORBIDDEN, "Forbidden"),
        Fault::Redirect(url) => match HeaderValue::from_str(url) {
            Ok(location) => {
                let body =
                    format!("<html><body>You are being <a href=\"{url}\">redirected</a>.</body></html>");
                let mut r = respond::typed(StatusCode::FOUND, "text/html; charset=utf-8", body);
                r.headers_mut().insert(header::LOCATION, location);
                r
            }
            Err(_) => tenant.error(StatusCode::INTERNAL_SERVER_ERROR, "invalid redirect location"),
        },
        Fault::Vendor(name) => tenant.vendor_fault(name),
    };
    Outcome::Respond(response)
}

/// What a fault does to a request outside the gate (a token endpoint): the response it
/// answers with, or `None` to serve the request normally (after sleeping out a delay).
pub async fn answer<T: Tenant>(fault: &Fault, tenant: &T, path: &str) -> Option<Response> {
    match outcome(fault, tenant, path) {
        Outcome::Respond(response) => Some(response),
        Outcome::ProceedAfter(delay) => {
            tokio::time::sleep(delay).await;
            None
        }
        Outcome::SlowBody(_) => None,
    }
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

/// Which requests a queued fault applies to: a path prefix, optionally one method
/// (`"DELETE /api/members"`).
#[derive(Clone, Debug)]
pub(crate) struct Route {
    method: Option<Method>,
    prefix: Option<String>,
}

impl Route {
    /// `None` matches everything; `"/v2/users"` every method under that prefix;
    /// `"PUT /v2/users"` only PUTs.
    pub(crate) fn parse(route: Option<&str>) -> Route {
        let Some(route) = route else {
            return Route { method: None, prefix: None };
        };
        match route.split_once(' ') {
            Some((m, prefix)) if !m.is_empty() && m.bytes().all(|b| b.is_ascii_uppercase()) => Route {
                method: Method::from_bytes(m.as_bytes()).ok(),
                prefix: Some(prefix.trim().to_owned()),
            },
            _ => Route { method: None, prefix: Some(route.to_owned()) },
        }
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        self.method.as_ref().is_none_or(|m| m == method)
            && self.prefix.as_deref().is_none_or(|p| path.starts_with(p))
    }
}

/// A fault queued for the next `remaining` requests on its route.
#[derive(Clone, Debug)]
pub(crate) struct QueuedFault {
    pub fault: Fault,
    pub remaining: usize,
    pub route: Route,
}

/// Takes the next queued fault matching the request.
pub(crate) fn take_queued(queue: &mut VecDeque<QueuedFault>, method: &Method, path: &str) -> Option<Fault> {
    let pos = queue.iter().position(|q| q.remaining > 0 && q.route.matches(method, path))?;
    let entry = queue.get_mut(pos)?;
    entry.remaining -= 1;
    let fault = entry.fault.clone();
    if entry.remaining == 0 {
        queue.remove(pos);
    }
    Some(fault)
}

/// Random injection: each request suffers one of `choices` with `probability`.
#[derive(Debug)]
pub struct RandomFaults {
    probability: f64,
    rng: StdRng,
    choices: Vec<Fault>,
}

impl RandomFaults {
    pub fn new(probability: f64, seed: u64, choices: Vec<Fault>) -> Self {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_method_and_prefix() {
        let any = Route::parse(None);
        assert!(any.matches(&Method::GET, "/x"));
        let prefix = Route::parse(Some("/v2/users"));
        assert!(prefix.matches(&Method::DELETE, "/v2/users/abc"));
        assert!(!prefix.matches(&Method::GET, "/v2/roles"));
        let put = Route::parse(Some("PUT /v2/users"));
        assert!(put.matches(&Method::PUT, "/v2/users/abc/status"));
        assert!(!put.matches(&Method::GET, "/v2/users"));
    }

    #[test]
    fn queues_take_first_n_in_order() {
        let mut q = VecDeque::new();
        q.push_back(QueuedFault { fault: Fault::Status(503), remaining: 2, route: Route::parse(Some("/a")) });
        q.push_back(QueuedFault { fault: Fault::Status(500), remaining: 1, route: Route::parse(None) });
        assert_eq!(take_queued(&mut q, &Method::GET, "/b"), Some(Fault::Status(500)));
        assert_eq!(take_queued(&mut q, &Method::GET, "/a"), Some(Fault::Status(503)));
        assert_eq!(take_queued(&mut q, &Method::GET, "/a/1"), Some(Fault::Status(503)));
        assert_eq!(take_queued(&mut q, &Method::GET, "/a"), None);
    }
}
