//! Save: writes `accounts/<id>.toml` with the connector and the plain fields,
//! and `secrets/<id>.toml` (mode 0600) with the secret fields, which the
//! config loader merges back. The answer names the files and the environment
//! variables that can replace the secrets file; it never holds a secret.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use roster_core::schema::form_fields;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::check::field_errors;
use super::redact::{redact, secrets_of};
use super::state::AppState;
use super::toml_out::{secrets_text, table, write_private};
use roster_engine::config::{env_prefix, secrets_file, valid_id};

#[derive(Deserialize)]
pub struct SaveRequest {
    pub account_id: String,
    pub credentials: Value,
}

pub async fn handle(
    State(state): State<Arc<AppState>>,
    Path(connector): Path<String>,
    Json(req): Json<SaveRequest>,
) -> Response {
    let Some(d) = state.registry.get(&connector) else {
        return refuse(StatusCode::NOT_FOUND, None, &format!("no connector `{connector}`"));
    };
    let id = req.account_id.trim();
    if !valid_id(id) {
        return refuse(
            StatusCode::BAD_REQUEST,
            Some("account_id"),
            "use letters, digits, - and _, starting with a letter or digit (at most 100)",
        );
    }
    let accounts = state.config.join("accounts");
    let file = accounts.join(format!("{id}.toml"));
    if let Some(taken) = clash(&accounts, id) {
        return refuse(
            StatusCode::CONFLICT,
            Some("account_id"),
            &format!("an account named `{taken}` already exists; choose another name"),
        );
    }
    let schema = (d.credentials_schema)();
    let secrets = secrets_of(&schema, &req.credentials);
    if let Err(errors) = (d.build)(req.credentials.clone(), Value::Null) {
        let mut answer = field_errors(&errors);
        redact(&mut answer, &secrets);
        return (StatusCode::BAD_REQUEST, Json(answer)).into_response();
    }
    let (plain, secret) = split(&schema, &req.credentials);
    let secret_names: Vec<String> = secret.keys().cloned().collect();
    let secrets_path = secrets_file(&state.config, id);
    let written = write(&file, &secrets_path, d.id, id, &plain, &secret);
    if let Err(message) = written {
        return refuse(StatusCode::INTERNAL_SERVER_ERROR, None, &message);
    }
    let prefix = env_prefix(id);
    let env: Vec<String> =
        secret_names.iter().map(|k| format!("{prefix}CREDENTIALS__{}", k.to_ascii_uppercase())).collect();
    tracing::info!(account = %id, connector = %d.id, "account saved from roster serve");
    Json(json!({
        "ok": true,
        "account_id": id,
        "account_file": file.display().to_string(),
        "secrets_file": (!secret_names.is_empty()).then(|| secrets_path.display().to_string()),
        "secret_fields": secret_names,
        "env": env,
    }))
    .into_response()
}

/// The existing account whose file name or environment prefix `id` would share.
fn clash(accounts: &std::path::Path, id: &str) -> Option<String> {
    let prefix = env_prefix(id);
    std::fs::read_dir(accounts)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("toml")))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .find(|other| env_prefix(other) == prefix)
}

/// The form data split into plain fields and secret fields.
pub fn split(schema: &Value, credentials: &Value) -> (Map<String, Value>, Map<String, Value>) {
    let secret: Vec<&str> =
        form_fields(schema).into_iter().filter(|f| f.is_secret()).map(|f| f.name).collect();
    let mut plain = Map::new();
    let mut secrets = Map::new();
    for (k, v) in credentials.as_object().into_iter().flatten() {
        if secret.contains(&k.as_str()) {
            secrets.insert(k.clone(), v.clone());
        } else {
            plain.insert(k.clone(), v.clone());
        }
    }
    (plain, secrets)
}

/// Secrets first, so that the account file never exists without them.
fn write(
    file: &std::path::Path,
    secrets_path: &std::path::Path,
    connector: &str,
    id: &str,
    plain: &Map<String, Value>,
    secret: &Map<String, Value>,
) -> Result<(), String> {
    let now = Utc::now().format("%Y-%m-%d %H:%M UTC");
    let fail = |what: &std::path::Path, e: String| format!("could not write {}: {e}", what.display());
    if !secret.is_empty() {
        let text = secrets_text(id, secret).map_err(|e| fail(secrets_path, e))?;
        write_private(secrets_path, &text).map_err(|e| fail(secrets_path, e.to_string()))?;
    }
    let body = table(plain).map_err(|e| fail(file, e))?;
    let text = format!(
        "# written by `roster serve` on {now}. Secrets are in ../secrets/{id}.toml.\nconnector = \"{connector}\"\n\n[credentials]\n{body}"
    );
    write_private(file, &text).map_err(|e| fail(file, e.to_string()))
}

pub fn refuse(status: StatusCode, field: Option<&str>, message: &str) -> Response {
    let fields: Vec<Value> = field.map(|f| json!({"field": f, "message": message})).into_iter().collect();
    (status, Json(json!({"ok": false, "message": message, "fields": fields}))).into_response()
}
