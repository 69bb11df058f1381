//! The service account's JSON key file: checked when the account is loaded (a service
//! account key, with a PKCS#8 RSA private key ring accepts and a `token_uri` Roster may
//! call), then used to sign assertions. Errors name `credentials.service_account_key`
//! and never repeat any part of it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use roster_core::{ConnectorError, FieldError};
use roster_http::parse_origin;
use serde_json::Value;
use url::Url;

const FIELD: &str = "credentials.service_account_key";
const HOW: &str = "in the Google Cloud console, open IAM & Admin → Service accounts → the account → Keys → \
                   Add key → Create new key → JSON, and paste the whole downloaded file";

/// A parsed key file. `Debug` shows who it is, never the key.
pub(crate) struct ServiceAccountKey {
    pub client_email: String,
    /// The numeric id domain-wide delegation lists.
    pub client_id: Option<String>,
    /// The key's id, sent as the JWT's `kid`.
    pub private_key_id: Option<String>,
    /// `token_uri` exactly as written: the assertion's audience.
    pub token_uri: String,
    pub token_url: Url,
    pair: RsaKeyPair,
}

impl std::fmt::Debug for ServiceAccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceAccountKey").field("client_email", &self.client_email).finish_non_exhaustive()
    }
}

fn refuse(what: &str) -> FieldError {
    FieldError::new(FIELD, format!("{what}; {HOW}"))
}

impl ServiceAccountKey {
    pub(crate) fn parse(text: &str) -> Result<Self, FieldError> {
        let v: Value = serde_json::from_str(text).map_err(|e| {
            refuse(&format!(
                "is not json (line {}, column {}): it must be the whole key file",
                e.line(),
                e.column()
            ))
        })?;
        let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        if field("type") != Some("service_account") {
            return Err(refuse("is not a service account key: its \"type\" must be \"service_account\""));
        }
        let client_email = field("client_email")
            .filter(|e| e.contains('@'))
            .ok_or_else(|| refuse("has no \"client_email\" (the service account's email)"))?;
        let pem = field("private_key").ok_or_else(|| refuse("has no \"private_key\""))?;
        let pair = private_key(pem)?;
        let token_uri = field("token_uri").ok_or_else(|| refuse("has no \"token_uri\""))?;
        let token_url = Url::parse(token_uri)
            .ok()
            .filter(|u| parse_origin(&u.origin().ascii_serialization()).is_ok())
            .ok_or_else(|| {
                refuse("has a \"token_uri\" that is not an https url (plain http only to loopback hosts)")
            })?;
        if field("universe_domain").is_some_and(|d| d != "googleapis.com") {
            return Err(refuse("is for another universe than googleapis.com, which roster does not support"));
        }
        Ok(ServiceAccountKey {
            client_email: client_email.to_owned(),
            client_id: field("client_id").map(str::to_owned),
            private_key_id: field("private_key_id").map(str::to_owned),
            token_uri: token_uri.to_owned(),
            token_url,
            pair,
        })
    }

    /// The RS256 (PKCS#1 v1.5, SHA-256) signature of `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, ConnectorError> {
        let mut signature = vec![0; self.pair.public().modulus_len()];
        self.pair.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message, &mut signature).map_err(|_| {
            ConnectorError::internal("the service account key could not sign the token request")
        })?;
        Ok(signature)
    }
}

/// The RSA key of a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
fn private_key(pem: &str) -> Result<RsaKeyPair, FieldError> {
    if !pem.starts_with("-----BEGIN PRIVATE KEY-----") {
        return Err(refuse("has a \"private_key\" that is not a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)"));
    }
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = STANDARD
        .decode(body.trim())
        .map_err(|_| refuse("has a \"private_key\" whose PEM body is not base64"))?;
    RsaKeyPair::from_pkcs8(&der).map_err(|e| {
        refuse(&format!(
            "has a \"private_key\" that is not a usable RSA key ({e}); Google's keys are 2048-bit RSA"
        ))
    })
}
