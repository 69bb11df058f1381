//! `POST /oauth/token?grant_type=account_credentials&account_id=...` with HTTP Basic
//! `client_id:client_secret`. Parameters are read from the query string and from an
//! `application/x-www-form-urlencoded` body alike, as public clients send both.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use rand::Rng;
use roster_sim_kit::respond::{basic_of, param, params};
use serde_json::json;

use crate::authed::Authed;
use crate::responses::{json_response, oauth_error};
use crate::sim::Zoom;

const PATH: &str = "/oauth/token";

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
    State(sim): State<Arc<Zoom>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let mut params = params(&query.unwrap_or_default());
    params.extend(roster_sim_kit::respond::params(&String::from_utf8_lossy(&body)));
    let param = |k: &str| param(&params, k);

    if param("grant_type") != Some("account_credentials") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported grant type", "unsupported_grant_type");
    }
    let Some((client_id, client_secret)) = basic_of(&headers) else {
        return oauth_error(StatusCode::BAD_REQUEST, INVALID_CLIENT, "invalid_client");
    };
    let Some(account) = sim.by_client_id(&client_id) else {
        return oauth_error(StatusCode::BAD_REQUEST, INVALID_CLIENT, "invalid_client");
    };
    if let Some(fault) = account.open_request(&Method::POST, PATH) {
        let authed = Authed { account: account.clone(), scopes: Vec::new() };
        if let Some(response) = roster_sim_kit::answer(&fault, &authed, PATH).await {
            return response;
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
            "api_url": sim.origin,
        }),
    )
}
