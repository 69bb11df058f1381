//! Test connection: builds the connector from the form's credentials and runs
//! its `check`. Answers who the account is, or the error with its remediation
//! and the form field it concerns. Nothing is written.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use roster_core::schema::form_fields;
use roster_core::{ConnectorDescriptor, ConnectorError, ErrorKind, FieldError};
use serde::Deserialize;
use serde_json::{Value, json};

use super::redact::{redact, secrets_of};
use super::state::AppState;

const CHECK_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Deserialize)]
pub struct CheckRequest {
    pub credentials: Value,
}

pub async fn handle(
    State(state): State<Arc<AppState>>,
    Path(connector): Path<String>,
    Json(req): Json<CheckRequest>,
) -> Response {
    let Some(d) = state.registry.get(&connector) else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"ok": false, "message": format!("no connector `{connector}`")})),
        )
            .into_response();
    };
    Json(answer(d, req.credentials, Value::Null).await).into_response()
}

/// Builds the connector from `credentials` and `settings` and runs its check:
/// who the account is, or the error at its field. No secret of `credentials`
/// is in the answer.
pub async fn answer(d: &ConnectorDescriptor, credentials: Value, settings: Value) -> Value {
    let schema = (d.credentials_schema)();
    let secrets = secrets_of(&schema, &credentials);
    let mut answer = match (d.build)(credentials, settings) {
        Err(errors) => field_errors(&errors),
        Ok(c) => match tokio::time::timeout(CHECK_TIMEOUT, c.check()).await {
            Ok(Ok(info)) => json!({"ok": true, "account": info.tenant, "access": info.access}),
            Ok(Err(e)) => connector_error(&e, &schema),
            Err(_) => json!({
                "ok": false, "kind": "transient", "message": "the check did not finish within 60 seconds",
                "remediation": "check the address and your network, then try again",
            }),
        },
    };
    redact(&mut answer, &secrets);
    answer
}

/// Build errors, each with the form field it names (`credentials.base_url` → `base_url`).
pub fn field_errors(errors: &[FieldError]) -> Value {
    let fields: Vec<Value> = errors
        .iter()
        .map(|e| {
            let field = e.key.strip_prefix("credentials.").unwrap_or(&e.key);
            json!({"field": field, "message": e.message})
        })
        .collect();
    json!({
        "ok": false, "kind": "config",
        "message": errors.iter().map(|e| format!("{}: {}", e.key, e.message)).collect::<Vec<_>>().join("; "),
        "remediation": "correct the fields marked in the form",
        "fields": fields,
    })
}

fn connector_error(e: &ConnectorError, schema: &Value) -> Value {
    let fields = form_fields(schema);
    let field = match e.kind() {
        ErrorKind::InvalidCredentials => fields.iter().find(|f| f.is_secret()),
        ErrorKind::WrongRegion => {
            fields.iter().find(|f| f.schema.get("oneOf").is_some() && f.condition.is_none())
        }
        _ => None,
    };
    let message = format!("{} {}", e.message(), e.remediation());
    json!({
        "ok": false,
        "kind": e.kind().as_str(),
        "message": e.message(),
        "remediation": e.remediation(),
        "permissions": e.permissions(),
        "fields": field.map(|f| vec![json!({"field": f.name, "message": message})]).unwrap_or_default(),
    })
}
