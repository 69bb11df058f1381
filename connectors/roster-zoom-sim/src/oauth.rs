//! `POST /oauth/token?grant_type=account_credentials&account_id=...` with HTTP Basic
//! `client_id:client_secret`. Parameters are read from the query string and from an
//! `application/x-www-form-urlencoded` body alike, as public clients send both.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use rand::Rng;
use serde_json::json;

use crate::faults::{self, Outcome};
use crate::responses::{RateHeaders, json_response, oauth_error};
use crate::sim::SimState;

const PATH: &str = "/oauth/token";

/// `(client_id, client_secret)` of a Basic header.
fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// A JWT-shaped opaque token, as Zoom's look (`eyJ...`).
fn new_token() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut rng = rand::rng();
    let mut part = |n: usize| -> String {
        (0..n).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
    };
    format!("eyJzdiI6IjAwMDAwMiIsImFsZyI6IkhTNTEyIn0.eyJ{}.{}", part(120), part(86))
}

const INVALID_CLIENT: &str = "Invalid client_id or client_secret";

pub(crate) async fn token(
    State(sim): State<Arc<SimState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let mut params: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect();
    params.extend(url::form_urlencoded::parse(&body).into_owned());
    let param = |k: &str| params.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());

    if param("grant_type") != Some("account_credentials") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported grant type", "unsupported_grant_type");
    }
    let Some((client_id, client_secret)) = basic(&headers) else {
        return oauth_error(StatusCode::BAD_REQUEST, INVALID_CLIENT, "invalid_client");
    };
    let Some(account) = sim.by_client_id(&client_id) else {
        return oauth_error(StatusCode::BAD_REQUEST, INVALID_CLIENT, "invalid_client");
    };
    if let Some(fault) = account.token_request(PATH) {
        let rate = RateHeaders { category: "Light", limit: 0, remaining: 0 };
        match faults::outcome(&fault, &rate, 401) {
            Outcome::Respond(response) => return response,
            Outcome::ProceedAfter(delay) => tokio::time::sleep(delay).await,
        }
    }
    if client_secret != account.inner.client_secret {
        return oauth_error(StatusCode::BAD_REQUEST, INVALID_CLIENT, "invalid_client");
    }
    if param("account_id") != Some(account.inner.account_id.as_str()) {
        return oauth_error(StatusCode::BAD_REQUEST, "Bad Request", "invalid_request");
    }
    if !account.settings().app_activated {
        return oauth_error(StatusCode::BAD_REQUEST, "The app is not activated", "invalid_request");
    }
    let token = new_token();
    let (expires_in, scopes) = account.mint(token.clone(), Instant::now());
    sim.remember_token(&token, &account);
    json_response(
        StatusCode::OK,
        &json!({
            "access_token": token,
            "token_type": "bearer",
            "expires_in": expires_in,
            "scope": scopes.join(" "),
            "api_url": sim.base_url,
        }),
    )
}
