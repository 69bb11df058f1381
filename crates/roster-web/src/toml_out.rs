//! Writing account and secrets files: TOML from JSON form data, written
//! atomically, secrets readable by the owner only.

use std::io::Write;
use std::path::Path;

use chrono::Utc;
use roster_engine::config::env_prefix;
use serde_json::{Map, Value};

/// `key = value` lines of a flat JSON object. Strings, numbers, booleans and
/// arrays of them; JSON's string escapes are valid in TOML basic strings.
pub fn table(fields: &Map<String, Value>) -> Result<String, String> {
    let mut out = String::new();
    for (key, value) in fields {
        if !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(format!("`{key}` is not a plain key"));
        }
        let text = match value {
            Value::String(_) | Value::Number(_) | Value::Bool(_) => value.to_string(),
            Value::Array(items) if items.iter().all(|i| i.is_string() || i.is_number() || i.is_boolean()) => {
                value.to_string()
            }
            Value::Null => continue,
            _ => return Err(format!("`{key}` is not a string, number, boolean or list")),
        };
        out.push_str(&format!("{key} = {text}\n"));
    }
    Ok(out)
}

/// The text of `secrets/<id>.toml`: a header that says what it is and which
/// environment variables can replace it, and the `[credentials]` table.
pub fn secrets_text(id: &str, secret: &Map<String, Value>) -> Result<String, String> {
    let now = Utc::now().format("%Y-%m-%d %H:%M UTC");
    let body = table(secret)?;
    Ok(format!(
        "# secrets of account `{id}`, written by `roster serve` on {now}. Keep this file private (mode 0600).\n\
         # Instead of this file, you can set {}CREDENTIALS__<KEY> variables.\n[credentials]\n{body}",
        env_prefix(id)
    ))
}

/// Writes `text` to `path` through a temporary file in the same folder (mode
/// 0600 from the start), so a reader sees the old file or the new one.
pub fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().ok_or_else(|| std::io::Error::other("the file has no folder"))?;
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    if dir.file_name().is_some_and(|n| n == "secrets") {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_fields_become_toml_that_parses_back() {
        let fields = json!({"s": "a \"quoted\"\nline\\", "n": 3, "b": true, "l": ["x", "y"], "none": null});
        let text = table(fields.as_object().expect("object")).expect("toml");
        let parsed: toml::Table = text.parse().expect("valid toml");
        assert_eq!(parsed["s"].as_str(), Some("a \"quoted\"\nline\\"));
        assert_eq!(parsed["n"].as_integer(), Some(3));
        assert!(!parsed.contains_key("none"));
        assert!(table(json!({"bad key": 1}).as_object().expect("object")).is_err());
        assert!(table(json!({"o": {"x": 1}}).as_object().expect("object")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("secrets").join("a.toml");
        write_private(&path, "x = 1\n").expect("write");
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
        assert_eq!(
            std::fs::metadata(path.parent().expect("dir")).expect("meta").permissions().mode() & 0o777,
            0o700
        );
    }
}
