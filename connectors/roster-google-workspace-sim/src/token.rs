//! `POST /token`: the JWT bearer grant (RFC 7523) of a service account, verified as
//! Google does: the RS256 signature with the key its `kid` names, the issuer, the
//! audience, the lifetime, each scope against domain-wide delegation, and the subject.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use rand::Rng;
use roster_sim_kit::respond::{param, params};
use serde_json::{Value, json};

use crate::authed::Authed;
use crate::customer::{Customer, is};
use crate::responses::{json_response, oauth_error};
use crate::scopes::KNOWN;
use crate::sim::{Google, Issued};
use crate::spec::ScopeRefusal;

pub(crate) const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const PATH: &str = "/token";
const BAD_SIGNATURE: &str = "Invalid JWT Signature.";
const SHORT_LIVED: &str = "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.";
const BAD_SUBJECT: &str = "Invalid email or User ID";
const UNAUTHORIZED_CLIENT: &str = "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.";
/// How far `iat` may lie in the future.
const SKEW_SECS: i64 = 60;

/// A decoded assertion.
struct Jwt {
    header: Value,
    claims: Value,
    signed: String,
    signature: Vec<u8>,
}

impl Jwt {
    fn parse(text: &str) -> Option<Jwt> {
        let mut parts = text.split('.');
        let (h, c, s) = (parts.next()?, parts.next()?, parts.next()?);
        let decode = |p: &str| URL_SAFE_NO_PAD.decode(p).ok();
        let json = |p: &str| decode(p).and_then(|b| serde_json::from_slice::<Value>(&b).ok());
        let jwt =
            Jwt { header: json(h)?, claims: json(c)?, signed: format!("{h}.{c}"), signature: decode(s)? };
        parts.next().is_none().then_some(jwt)
    }

    fn claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }
}

/// A refusal: status, `error`, `error_description`.
type Refusal = (StatusCode, &'static str, &'static str);

fn invalid_grant(description: &'static str) -> Refusal {
    (StatusCode::BAD_REQUEST, "invalid_grant", description)
}

pub(crate) async fn token(State(google): State<Arc<Google>>, body: Bytes) -> Response {
    let form = params(&String::from_utf8_lossy(&body));
    if param(&form, "grant_type") != Some(JWT_BEARER) {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "Invalid grant_type");
    }
    let Some(jwt) = param(&form, "assertion").and_then(Jwt::parse) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Invalid JWT: the assertion could not be parsed.",
        );
    };
    let Some(customer) = jwt.claim("iss").and_then(|iss| google.by_client_email(iss)) else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "The OAuth client was not found.");
    };
    if let Some(fault) = customer.open_request(&Method::POST, PATH) {
        let authed = Authed { customer: customer.clone(), subject: None, scopes: Vec::new() };
        if let Some(response) = roster_sim_kit::answer(&fault, &authed, PATH).await {
            return response;
        }
    }
    let (subject, scopes) = match grant(&customer, &jwt, &format!("{}{PATH}", google.origin)) {
        Ok(granted) => granted,
        Err((status, error, description)) => {
            customer.count("token_refusals");
            return oauth_error(status, error, description);
        }
    };
    let token = format!("ya29.{}", roster_sim_kit::Mix::new(&[rand::rng().random()]).id(120));
    let lifetime = customer.lock().settings.token_lifetime;
    let now = Instant::now();
    let issued =
        Issued { customer: customer.clone(), subject, scopes, issued_at: now, expires_at: now + lifetime };
    google.remember(token.clone(), issued);
    customer.count("tokens_issued");
    json_response(
        StatusCode::OK,
        &json!({"access_token": token, "expires_in": lifetime.as_secs(), "token_type": "Bearer"}),
    )
}

/// The subject and scopes of a valid assertion, or Google's refusal.
fn grant(customer: &Customer, jwt: &Jwt, audience: &str) -> Result<(Option<String>, Vec<String>), Refusal> {
    let st = customer.lock();
    let kid = jwt.header.get("kid").and_then(Value::as_str);
    let signed_by = |k: &&crate::customer::AccountKey| {
        !k.deleted
            && kid.is_none_or(|kid| kid == k.kid)
            && crate::keys::verify(k.test_key, jwt.signed.as_bytes(), &jwt.signature)
    };
    if jwt.header.get("alg").and_then(Value::as_str) != Some("RS256")
        || !st.keys.iter().any(|k| signed_by(&k))
    {
        return Err(invalid_grant(BAD_SIGNATURE));
    }
    if jwt.claims.get("aud").and_then(Value::as_str) != Some(audience) {
        return Err(invalid_grant("Invalid JWT: Failed audience check."));
    }
    let time = |name: &str| jwt.claims.get(name).and_then(Value::as_i64);
    let now = Utc::now().timestamp();
    match (time("iat"), time("exp")) {
        (Some(iat), Some(exp)) if iat <= now + SKEW_SECS && exp > now && exp - iat <= 3600 => {}
        _ => return Err(invalid_grant(SHORT_LIVED)),
    }
    let scopes: Vec<String> =
        jwt.claim("scope").unwrap_or("").split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect();
    if scopes.is_empty() || scopes.iter().any(|s| !KNOWN.contains(&s.as_str())) {
        let invalid = "Invalid OAuth scope or ID token audience provided.";
        return Err((StatusCode::BAD_REQUEST, "invalid_scope", invalid));
    }
    if !scopes.iter().all(|s| st.settings.delegated_scopes.contains(s)) {
        return Err(match st.settings.scope_refusal {
            ScopeRefusal::UnauthorizedClient => {
                (StatusCode::UNAUTHORIZED, "unauthorized_client", UNAUTHORIZED_CLIENT)
            }
            ScopeRefusal::OlderWording => {
                (StatusCode::UNAUTHORIZED, "unauthorized_client", "Unauthorized client or scope in request.")
            }
            ScopeRefusal::AccessDenied => {
                (StatusCode::BAD_REQUEST, "access_denied", "Requested client not authorized.")
            }
        });
    }
    let subject = jwt.claim("sub").map(str::to_owned);
    if let Some(sub) = &subject {
        let user = st.users.iter().find(|u| is(u, sub));
        let suspended = user.is_some_and(|u| u["suspended"] == true);
        if user.is_none() || (suspended && !st.settings.token_for_suspended_subject) {
            return Err(invalid_grant(BAD_SUBJECT));
        }
    }
    Ok((subject, scopes))
}
