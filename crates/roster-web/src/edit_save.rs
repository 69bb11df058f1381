//! Saving an edit, and testing its connection first. The form's plain fields
//! replace the account file's `[credentials]`; a blank secret keeps the
//! current one (from the account file, the secrets file, the environment or
//! `roster demo`), a typed one replaces it in `secrets/<id>.toml`. The merged
//! credentials must pass the connector's `build`, or nothing is written. The
//! secrets file is rewritten only when a secret was typed, before the account
//! file, and put back if the account file cannot be written; each file is
//! replaced whole (a temporary file, then a rename). Refused under
//! `--allow-remote`: an edit that keeps the secret but changes the address
//! would send the secret wherever the new address points.

use std::path::Path as FilePath;
use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use roster_engine::config::{env_prefix, secrets_file};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::account_file::AccountFile;
use super::check::{answer, field_errors};
use super::current_secrets::{Current, current, secrets_table};
use super::edit_form::secret_names;
use super::redact::{redact, secrets_of};
use super::save::{refuse, split};
use super::state::AppState;
use super::toml_out::{secrets_text, write_private};

#[derive(Deserialize)]
struct EditRequest {
    pub credentials: Value,
}

/// The edit as it would be saved.
pub struct Edit {
    id: String,
    file: AccountFile,
    secret_names: Vec<String>,
    plain: Map<String, Value>,
    /// The secrets typed into the form (the others keep their current value).
    typed: Map<String, Value>,
    now: Current,
}

impl Edit {
    /// The credentials the account would have: the form's, and the current secrets left blank.
    fn merged(&self) -> Value {
        let mut merged = self.plain.clone();
        merged.extend(self.now.values.clone());
        merged.extend(self.typed.clone());
        Value::Object(merged)
    }
}

impl FromRequest<Arc<AppState>> for Edit {
    type Rejection = Response;

    /// The account of the path and the form data of the JSON body, prepared, or the refusal.
    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Path(id) = Path::<String>::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Json(form) = Json::<EditRequest>::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        prepare(state, &id, &form.credentials).map_err(|(status, message)| refuse(status, None, &message))
    }
}

pub async fn check(edit: Edit) -> Response {
    Json(answer(edit.file.connector, edit.merged(), edit.file.text.settings()).await).into_response()
}

pub async fn save(State(state): State<Arc<AppState>>, edit: Edit) -> Response {
    let id = edit.id.as_str();
    let d = edit.file.connector;
    let merged = edit.merged();
    if let Err(errors) = (d.build)(merged.clone(), edit.file.text.settings()) {
        let mut answer = field_errors(&errors);
        redact(&mut answer, &secrets_of(&(d.credentials_schema)(), &merged));
        return (StatusCode::BAD_REQUEST, Json(answer)).into_response();
    }
    for name in edit.typed.keys() {
        if let Some(why) = edit.now.sources.get(name).and_then(|s| s.overrides_the_file()) {
            return refuse(StatusCode::BAD_REQUEST, Some(name), &why);
        }
    }
    let secrets_path = secrets_file(&state.config, id);
    if let Err(message) = write(id, &edit, &secrets_path) {
        return refuse(StatusCode::INTERNAL_SERVER_ERROR, None, &message);
    }
    tracing::info!(account = %id, connector = %d.id, "account edited from roster serve");
    let replaced: Vec<&String> = edit.typed.keys().collect();
    let kept: Vec<&String> = edit.secret_names.iter().filter(|n| !edit.typed.contains_key(*n)).collect();
    let prefix = env_prefix(id);
    let env: Vec<String> =
        replaced.iter().map(|k| format!("{prefix}CREDENTIALS__{}", k.to_ascii_uppercase())).collect();
    Json(json!({
        "ok": true,
        "account_id": id,
        "account_file": edit.file.path.display().to_string(),
        "secrets_file": (!replaced.is_empty()).then(|| secrets_path.display().to_string()),
        "secret_fields": replaced,
        "kept": kept,
        "env": env,
    }))
    .into_response()
}

/// The edit, or why it is refused (the status and the message).
fn prepare(state: &AppState, id: &str, credentials: &Value) -> Result<Edit, (StatusCode, String)> {
    if state.allow_remote {
        let why = "roster serve was started with --allow-remote and has no login, so it edits no account: an edit can send the kept secret to a new address. Edit on loopback (without --allow-remote), or edit the file.";
        return Err((StatusCode::FORBIDDEN, why.to_owned()));
    }
    let file = AccountFile::open(state, id)?;
    let schema = (file.connector.credentials_schema)();
    let secret_names = secret_names(&schema);
    let (plain, secret) = split(&schema, credentials);
    let typed: Map<String, Value> =
        secret.into_iter().filter(|(_, v)| !(v.is_null() || v.as_str() == Some(""))).collect();
    let names: Vec<&str> = secret_names.iter().map(String::as_str).collect();
    let now = current(state, id, &file, &names).map_err(|m| (StatusCode::CONFLICT, m))?;
    Ok(Edit { id: id.to_owned(), file, secret_names, plain, typed, now })
}

/// The secrets file (when a secret was typed), then the account file; the secrets
/// file is put back as it was when the account file cannot be written.
fn write(id: &str, edit: &Edit, secrets_path: &FilePath) -> Result<(), String> {
    let fail = |what: &FilePath, e: String| format!("could not write {}: {e}", what.display());
    let names: Vec<&str> = edit.secret_names.iter().map(String::as_str).collect();
    let moved: Vec<String> = edit.typed.keys().cloned().collect();
    let account_text =
        edit.file.text.with_credentials(&edit.plain, &names, &moved).map_err(|e| fail(&edit.file.path, e))?;
    let mut before = None;
    if !edit.typed.is_empty() {
        let mut table = secrets_table(secrets_path)?;
        table.extend(edit.typed.clone());
        let text = secrets_text(id, &table).map_err(|e| fail(secrets_path, e))?;
        before = Some(std::fs::read_to_string(secrets_path).ok());
        write_private(secrets_path, &text).map_err(|e| fail(secrets_path, e.to_string()))?;
    }
    let Err(e) = write_private(&edit.file.path, &account_text) else { return Ok(()) };
    let undone = match before {
        Some(Some(old)) => write_private(secrets_path, &old),
        Some(None) => std::fs::remove_file(secrets_path),
        None => Ok(()),
    };
    let mut message = fail(&edit.file.path, e.to_string());
    if let Err(u) = undone {
        message.push_str(&format!(
            "; and {} now holds the new secret but could not be put back ({u})",
            secrets_path.display()
        ));
    }
    Err(message)
}
