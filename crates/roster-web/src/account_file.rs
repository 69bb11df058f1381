//! An account file as `roster serve` edits it: read with its comments and
//! every key the form does not manage (`[settings]`, `[actions]`,
//! `timeout_secs`, `sync_interval_secs`), and written back with only its
//! `[credentials]` changed: the form's plain fields, and the secrets the file
//! held that were not replaced.

use std::path::PathBuf;

use axum::http::StatusCode;
use roster_core::ConnectorDescriptor;
use roster_engine::config::valid_id;
use serde_json::{Map, Value};
use toml_edit::DocumentMut;

use super::state::AppState;

pub struct AccountFile {
    pub path: PathBuf,
    pub connector: &'static ConnectorDescriptor,
    pub text: AccountText,
}

/// The text of an account file, parsed twice: with its comments and layout, for
/// writing back, and as values, for reading.
pub struct AccountText {
    doc: DocumentMut,
    values: toml::Table,
}

impl AccountFile {
    /// `accounts/<id>.toml`, or why it cannot be edited (the status to answer with).
    pub fn open(state: &AppState, id: &str) -> Result<Self, (StatusCode, String)> {
        if !valid_id(id) {
            return Err((StatusCode::NOT_FOUND, format!("no account `{id}`")));
        }
        let path = state.config.join("accounts").join(format!("{id}.toml"));
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err((
                    StatusCode::NOT_FOUND,
                    format!("account `{id}` has no file {}", path.display()),
                ));
            }
            Err(e) => {
                return Err((
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("{} cannot be read: {e}", path.display()),
                ));
            }
        };
        let invalid = || {
            let message = format!(
                "{} is not valid TOML; correct it in an editor (`roster validate` says where)",
                path.display()
            );
            (StatusCode::CONFLICT, message)
        };
        let text = AccountText::parse(&text).ok_or_else(invalid)?;
        let name = text.values.get("connector").and_then(toml::Value::as_str).unwrap_or_default();
        let Some(connector) = state.registry.get(name) else {
            let message = format!(
                "{} names no registered connector in `connector`; correct it in an editor",
                path.display()
            );
            return Err((StatusCode::CONFLICT, message));
        };
        Ok(Self { path, connector, text })
    }
}

impl AccountText {
    pub fn parse(text: &str) -> Option<Self> {
        Some(Self { doc: text.parse().ok()?, values: text.parse().ok()? })
    }

    /// The file's `[credentials]`, as JSON.
    pub fn credentials(&self) -> Map<String, Value> {
        match self.values.get("credentials").map(serde_json::to_value) {
            Some(Ok(Value::Object(map))) => map,
            _ => Map::new(),
        }
    }

    /// The file's `[settings]`, as the connector's `build` takes them.
    pub fn settings(&self) -> Value {
        self.values.get("settings").and_then(|s| serde_json::to_value(s).ok()).unwrap_or(Value::Null)
    }

    /// The file's text with `[credentials]` holding `plain` and, of the secrets the file
    /// itself holds, those not in `moved` (now in the secrets file). Every other key and
    /// the comments stay; an unchanged value keeps its line as it was.
    pub fn with_credentials(
        &self,
        plain: &Map<String, Value>,
        secret_names: &[&str],
        moved: &[String],
    ) -> Result<String, String> {
        let old = self.credentials();
        let mut doc = self.doc.clone();
        let item = doc.entry("credentials").or_insert(toml_edit::table());
        let Some(table) = item.as_table_like_mut() else {
            return Err("`credentials` is not a table".to_owned());
        };
        let keys: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
        for key in keys {
            let stays = secret_names.contains(&key.as_str()) && !moved.contains(&key);
            if !stays && !plain.contains_key(&key) {
                table.remove(&key);
            }
        }
        for (key, value) in plain {
            if old.get(key) == Some(value) {
                continue;
            }
            match toml_value(value).map_err(|e| format!("`credentials.{key}` {e}"))? {
                None => {
                    table.remove(key);
                }
                Some(v) => match table.get_mut(key) {
                    Some(slot) => *slot = toml_edit::Item::Value(v),
                    None => {
                        table.insert(key, toml_edit::Item::Value(v));
                    }
                },
            }
        }
        Ok(doc.to_string())
    }
}

/// A form value as TOML: strings, numbers, booleans and lists of them; `None` for null.
fn toml_value(value: &Value) -> Result<Option<toml_edit::Value>, String> {
    Ok(Some(match value {
        Value::Null => return Ok(None),
        Value::String(s) => s.as_str().into(),
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.into(),
            (None, Some(f)) => f.into(),
            _ => return Err("is a number TOML cannot hold".to_owned()),
        },
        Value::Array(items) => {
            let mut list = toml_edit::Array::new();
            for item in items {
                match toml_value(item)? {
                    Some(
                        v @ (toml_edit::Value::String(_)
                        | toml_edit::Value::Integer(_)
                        | toml_edit::Value::Float(_)
                        | toml_edit::Value::Boolean(_)),
                    ) => list.push(v),
                    _ => {
                        return Err(
                            "is a list of something other than strings, numbers or booleans".to_owned()
                        );
                    }
                }
            }
            list.into()
        }
        Value::Object(_) => return Err("is not a string, number, boolean or list".to_owned()),
    }))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_the_plain_credentials_change_and_the_rest_stays() {
        let text = "# my account\nconnector = \"workato\"\ntimeout_secs = 30\n\n[credentials]\n# the region\ndata_center = \"us\"\nbase_url = \"https://old\"\napi_token = \"in-file\"\nold_key = 1\n\n[settings]\nx = 1\n\n[actions]\nallow = [\"remove_user\"]\n";
        let f = AccountText::parse(text).expect("toml");
        let plain = json!({"data_center": "us", "base_url": "https://new", "n": 2, "l": ["a"]});
        let out = f.with_credentials(plain.as_object().expect("object"), &["api_token"], &[]).expect("text");
        assert!(out.starts_with("# my account\nconnector = \"workato\"\ntimeout_secs = 30\n"), "{out}");
        assert!(out.contains("# the region\ndata_center = \"us\"\n"), "{out}");
        assert!(
            out.contains("base_url = \"https://new\"") && out.contains("api_token = \"in-file\""),
            "{out}"
        );
        assert!(!out.contains("old_key") && out.contains("n = 2") && out.contains("l = [\"a\"]"), "{out}");
        assert!(out.contains("[settings]\nx = 1") && out.contains("allow = [\"remove_user\"]"), "{out}");
        let moved = f
            .with_credentials(plain.as_object().expect("object"), &["api_token"], &["api_token".to_owned()])
            .expect("text");
        assert!(!moved.contains("api_token"), "{moved}");
        let nested = json!({"o": {"x": 1}});
        assert!(f.with_credentials(nested.as_object().expect("object"), &[], &[]).is_err());
    }
}
