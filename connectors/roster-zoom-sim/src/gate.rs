//! The middleware every request passes: logging; for `/v2`, bearer auth, the token's
//! validity, rate limits, fault injection, latency and the `X-RateLimit-*` headers.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

use crate::account::{Account, Admission};
use crate::faults::{self, Outcome};
use crate::responses::{RateHeaders, rate_limited, status, zoom_error};
use crate::sim::{RequestRecord, SimState};

/// What an authenticated API request carries into its handler.
#[derive(Clone, Debug)]
pub(crate) struct Authed {
    pub account: Account,
    pub scopes: Vec<String>,
}

/// The token of an `Authorization: Bearer <token>` header.
pub(crate) fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

pub(crate) async fn gate(State(sim): State<Arc<SimState>>, req: Request, next: Next) -> Response {
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
    if !path.starts_with("/v2/") {
        return next.run(req).await;
    }

    let token = authorization.as_deref().and_then(bearer).map(str::to_owned);
    let Some((token, account)) = token.and_then(|t| sim.by_token(&t).map(|a| (t, a))) else {
        return zoom_error(status(401), 124, "Invalid access token.");
    };
    let settings = account.settings();
    if !settings.latency.is_zero() {
        tokio::time::sleep(settings.latency).await;
    }
    match account.admit(&path, &token, Instant::now()) {
        Admission::Token { expired } => {
            let message = if expired { "Access token is expired." } else { "Invalid access token." };
            zoom_error(status(settings.invalid_token_status), 124, message)
        }
        Admission::Limited(style, rate, wait) => rate_limited(style, &rate, wait),
        Admission::Fault { fault, scopes, rate } => {
            match faults::outcome(&fault, &rate, settings.invalid_token_status) {
                Outcome::Respond(response) => response,
                Outcome::ProceedAfter(delay) => {
                    tokio::time::sleep(delay).await;
                    proceed(req, next, Authed { account, scopes }, &rate).await
                }
            }
        }
        Admission::Proceed { scopes, rate } => proceed(req, next, Authed { account, scopes }, &rate).await,
    }
}

async fn proceed(mut req: Request, next: Next, authed: Authed, rate: &RateHeaders) -> Response {
    req.extensions_mut().insert(authed);
    let mut response = next.run(req).await;
    rate.apply(&mut response);
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn bearer_parsing() {
        assert_eq!(super::bearer("Bearer abc"), Some("abc"));
        assert_eq!(super::bearer("bearer  abc "), Some("abc"));
        assert_eq!(super::bearer("Basic abc"), None);
        assert_eq!(super::bearer("Bearer "), None);
    }
}
