//! The middleware every request passes: logging, bearer auth, rate limiting, fault
//! injection and latency.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::faults::{self, Outcome};
use crate::responses::{message, rate_limited};
use crate::sim::{RequestRecord, SimState};
use crate::workspace::{Admission, Workspace};

/// The token of an `Authorization: Bearer <token>` header.
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Counts the request as cancelled if it is dropped before its response is ready.
struct CancelGuard(Option<Workspace>);

impl Drop for CancelGuard {
    fn drop(&mut self) {
        if let Some(ws) = self.0.take() {
            ws.count_cancelled();
        }
    }
}

pub(crate) async fn gate(State(sim): State<Arc<SimState>>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let authorization =
        req.headers().get(header::AUTHORIZATION).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    sim.record(RequestRecord {
        method: req.method().to_string(),
        path: path.clone(),
        query: req.uri().query().map(str::to_owned),
        authorization: authorization.clone(),
        at: Instant::now(),
    });

    let workspace = authorization.as_deref().and_then(bearer).and_then(|t| sim.lookup(t));
    let Some(ws) = workspace else {
        return message(StatusCode::UNAUTHORIZED, "Unauthorized");
    };
    let mut guard = CancelGuard(Some(ws.clone()));
    let (admission, latency) = ws.admit(&path, Instant::now());
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let response = match admission {
        Admission::Revoked => message(StatusCode::UNAUTHORIZED, &ws.settings().unauthorized_message),
        Admission::Limited(style, wait) => rate_limited(style, wait),
        Admission::Fault(fault) => match faults::outcome(&fault, &ws.settings().unauthorized_message) {
            Outcome::Respond(response) => response,
            Outcome::ProceedAfter(delay) => {
                tokio::time::sleep(delay).await;
                req.extensions_mut().insert(ws);
                next.run(req).await
            }
            Outcome::SlowBody(delay) => {
                req.extensions_mut().insert(ws);
                faults::slow_body(next.run(req).await, delay)
            }
        },
        Admission::Proceed => {
            req.extensions_mut().insert(ws);
            next.run(req).await
        }
    };
    guard.0 = None;
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn bearer_parsing() {
        assert_eq!(super::bearer("Bearer abc"), Some("abc"));
        assert_eq!(super::bearer("bearer  abc "), Some("abc"));
        assert_eq!(super::bearer("Basic abc"), None);
        assert_eq!(super::bearer("Bearer"), None);
        assert_eq!(super::bearer("Bearer "), None);
    }
}
