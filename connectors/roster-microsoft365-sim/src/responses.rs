//! Microsoft's answers: Graph's `{"error":{"code","message","innerError"}}` envelope, the
//! identity platform's token errors (`error`, `error_description` with its trace block,
//! `error_codes`, ...), and the helpers that make their ids and dates.

use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use rand::Rng;
use roster_sim_kit::respond;
use serde_json::{Value, json};

/// Graph's `Content-Type` (OData minimal metadata).
pub const JSON_CONTENT_TYPE: &str =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// A random GUID (request ids, trace ids, tokens).
pub(crate) fn guid() -> String {
    roster_sim_kit::Mix::new(&[rand::rng().random()]).guid()
}

pub(crate) fn json_response(status: StatusCode, value: &Value) -> Response {
    respond::json(status, JSON_CONTENT_TYPE, value)
}

/// Graph's error: `innerError.date` has no zone, as in every captured body.
pub(crate) fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    let id = guid();
    let date = Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
    json_response(
        status,
        &json!({"error": {"code": code, "message": message,
            "innerError": {"date": date, "request-id": id, "client-request-id": id}}}),
    )
}

/// 403 for a token without the permission an endpoint needs.
pub(crate) fn insufficient_privileges() -> Response {
    graph_error(
        StatusCode::FORBIDDEN,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    )
}

/// 401 for a token Graph does not take, with the `WWW-Authenticate` it sends.
pub(crate) fn invalid_token(message: &str) -> Response {
    let mut r = graph_error(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", message);
    respond::set_header(
        &mut r,
        "www-authenticate",
        "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"",
    );
    r
}

/// The token endpoint's error: `AADSTS<code>: <text>` and a trace block after `\r\n`.
pub(crate) fn token_error(status: StatusCode, error: &str, code: u32, text: &str) -> Response {
    let (trace, correlation) = (guid(), guid());
    let stamp = Utc::now().format("%Y-%m-%d %H:%M:%SZ").to_string();
    json_response(
        status,
        &json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {text}\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {stamp}"),
            "error_codes": [code],
            "timestamp": stamp,
            "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
        }),
    )
}
