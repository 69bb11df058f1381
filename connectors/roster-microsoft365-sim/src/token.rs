//! `POST /{tenant}/oauth2/v2.0/token`: the client-credentials grant, with a form body
//! (`client_id`, `client_secret`, `scope`, `grant_type`), and its AADSTS refusals.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use roster_sim_kit::respond::{param, params};
use serde_json::json;

use crate::authed::Authed;
use crate::responses::{guid, json_response, token_error};
use crate::sim::{Issued, Microsoft};

/// A GUID, or something shaped like a DNS name.
fn plausible_tenant(t: &str) -> bool {
    let guid = t.len() == 36 && t.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    let dns = t.contains('.') && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    guid || dns
}

pub(crate) async fn token(
    State(sim): State<Arc<Microsoft>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let form = params(&String::from_utf8_lossy(&body));
    let field = |k: &str| param(&form, k).unwrap_or_default();
    if !plausible_tenant(&name) {
        let text = format!(
            "Specified tenant identifier '{name}' is neither a valid DNS name, nor a valid external domain."
        );
        return token_error(StatusCode::BAD_REQUEST, "invalid_request", 900023, &text);
    }
    let Some(tenant) = sim.tenant(&name) else {
        let text = format!(
            "Tenant '{name}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."
        );
        return token_error(StatusCode::BAD_REQUEST, sim.unknown_tenant_error(), 90002, &text);
    };
    let path = format!("/{name}/oauth2/v2.0/token");
    if let Some(fault) = tenant.open_request(&Method::POST, &path) {
        let authed = Authed { tenant: tenant.clone(), permissions: Vec::new() };
        if let Some(response) = roster_sim_kit::answer(&fault, &authed, &path).await {
            return response;
        }
    }
    if field("grant_type") != "client_credentials" {
        let text = "The provided value for the input parameter 'grant_type' is not valid.";
        return token_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", 70003, text);
    }
    let client_id = field("client_id");
    let Some(app) = tenant.app(client_id) else {
        let text = format!(
            "Application with identifier '{client_id}' was not found in the directory '{}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
            tenant.display_name()
        );
        return token_error(StatusCode::BAD_REQUEST, "unauthorized_client", 700016, &text);
    };
    if field("client_secret").is_empty() {
        let text =
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.";
        return token_error(StatusCode::UNAUTHORIZED, "invalid_client", 7000218, text);
    }
    if field("client_secret") != app.client_secret {
        let text = format!(
            "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{}'.",
            app.client_id
        );
        return token_error(StatusCode::UNAUTHORIZED, "invalid_client", 7000215, &text);
    }
    let scope = field("scope");
    if scope != format!("{}/.default", sim.origin) {
        let text = format!(
            "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid."
        );
        return token_error(StatusCode::BAD_REQUEST, "invalid_scope", 70011, &text);
    }
    let lifetime = tenant.lock().settings.token_lifetime;
    let value = format!(
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.{}.{}",
        guid().replace('-', ""),
        guid().replace('-', "")
    );
    let now = Instant::now();
    let issued = Issued {
        tenant: tenant.clone(),
        permissions: app.permissions,
        issued_at: now,
        expires_at: now + lifetime,
    };
    sim.remember(value.clone(), issued);
    tenant.count("tokens_issued");
    let secs = lifetime.as_secs();
    json_response(
        StatusCode::OK,
        &json!({"token_type": "Bearer", "expires_in": secs, "ext_expires_in": secs, "access_token": value}),
    )
}
