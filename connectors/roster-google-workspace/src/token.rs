//! The JWT bearer grant (RFC 7523): an RS256 assertion signed with the service account's
//! key, POSTed to the key's own `token_uri`, and what Google's refusals mean.

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use roster_core::{ConnectorError, Secret};
use roster_http::{AccessToken, Auth, Body, Http, Method, VendorReader};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::google_error::GoogleError;
use crate::key::ServiceAccountKey;

const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// An assertion's lifetime: Google's maximum, an hour.
const ASSERTION_SECS: i64 = 3600;

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// The signed assertion for `subject` and `scopes`, issued at `now` (Unix seconds).
pub(crate) fn assertion(
    key: &ServiceAccountKey,
    subject: &str,
    scopes: &[&str],
    now: i64,
) -> Result<Secret, ConnectorError> {
    let mut header = json!({"alg": "RS256", "typ": "JWT"});
    if let Some(kid) = &key.private_key_id {
        header["kid"] = json!(kid);
    }
    let claims = json!({"iss": key.client_email, "sub": subject, "scope": scopes.join(" "),
        "aud": key.token_uri, "iat": now, "exp": now + ASSERTION_SECS});
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let signed = format!("{}.{}", part(&header), part(&claims));
    let signature = key.sign(signed.as_bytes())?;
    Ok(Secret::new(format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))))
}

/// Asks the key's `token_uri` for a token; `Ok(Err(_))` is Google's refusal.
pub(crate) async fn request(
    http: &Http,
    key: &ServiceAccountKey,
    subject: &str,
    scopes: &[&str],
) -> Result<Result<AccessToken, GoogleError>, ConnectorError> {
    let asked_at = Instant::now();
    let assertion = assertion(key, subject, scopes, chrono::Utc::now().timestamp())?;
    let fields = [("grant_type", GRANT_TYPE), ("assertion", assertion.expose())];
    let body = Body::Form { fields: &fields, secrets: &[&assertion] };
    let mut reader = VendorReader::<TokenResponse, GoogleError>::new(vec![assertion.expose()]);
    let path = key.token_url.path();
    let answer = http.send_body(Method::POST, path, &[], Auth::None, body, &mut reader).await;
    match answer.map_err(|e| e.into_connector_error())? {
        Ok(r) if !r.access_token.trim().is_empty() => {
            let lifetime = Duration::from_secs(r.expires_in.unwrap_or(3600));
            let granted = scopes.iter().map(|s| (*s).to_owned()).collect();
            Ok(Ok(AccessToken::new(Secret::new(r.access_token), asked_at, lifetime, Some(granted))))
        }
        Ok(_) => Err(ConnectorError::invalid_response(format!(
            "POST {path}: google answered without an access token"
        ))),
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// Whether a refusal says that a requested scope is not delegated to the client.
pub(crate) fn scope_refused(e: &GoogleError) -> bool {
    e.reason_is("unauthorized_client") || e.reason_is("access_denied")
}

/// The error for any other refusal of an assertion for `admin`.
pub(crate) fn refused(e: &GoogleError, key: &ServiceAccountKey, admin: &str) -> ConnectorError {
    let what = format!("the token endpoint refused the service account's assertion ({})", e.describe());
    let new_key = format!(
        "in the Google Cloud console, open IAM & Admin → Service accounts → {} → Keys, add a new JSON key and \
         paste the whole file as service_account_key",
        key.client_email
    );
    let grant = e.reason_is("invalid_grant");
    if e.status == 404 {
        ConnectorError::config(format!("{what}; the key file's token_uri is not google's token endpoint"))
            .with_remediation("paste the key file exactly as downloaded from the Google Cloud console")
    } else if grant && e.says("signature") {
        ConnectorError::invalid_credentials(format!(
            "{what}: the key was deleted or disabled, or the file's private key is not this service account's"
        ))
        .with_remediation(new_key)
    } else if grant && (e.says("email") || e.says("user id")) {
        ConnectorError::invalid_credentials(format!("{what}: admin_email {admin} is unknown or suspended"))
            .with_remediation(
                "set admin_email to an active super admin of the domain (Admin console → Directory → Users)",
            )
    } else if grant && (e.says("short-lived") || e.says("iat")) {
        ConnectorError::invalid_credentials(format!("{what}: this machine's clock is off"))
            .with_remediation("set this machine's clock right (NTP), then sync again")
    } else if grant && e.says("audience") {
        ConnectorError::config(format!("{what}: the key file's token_uri is not the endpoint that checks it"))
            .with_remediation("paste the key file exactly as downloaded from the Google Cloud console")
    } else {
        ConnectorError::invalid_credentials(format!(
            "{what}: the service account or its key was deleted or disabled, or the file is not its key"
        ))
        .with_remediation(new_key)
    }
}
