//! Defence in depth: whatever a connector or the config loader says, a secret
//! the page sent is never sent back.

use serde_json::Value;

use roster_core::schema::form_fields;

/// The values of the secret fields of `credentials` (by the connector's schema).
pub fn secrets_of(schema: &Value, credentials: &Value) -> Vec<String> {
    form_fields(schema)
        .into_iter()
        .filter(|f| f.is_secret())
        .filter_map(|f| credentials.get(f.name).and_then(Value::as_str))
        .filter(|s| s.len() >= 4)
        .map(str::to_owned)
        .collect()
}

/// Replaces every occurrence of a secret in the strings of `value`.
pub fn redact(value: &mut Value, secrets: &[String]) {
    match value {
        Value::String(s) => {
            for secret in secrets {
                if s.contains(secret.as_str()) {
                    *s = s.replace(secret.as_str(), "[redacted]");
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact(v, secrets)),
        Value::Object(map) => map.values_mut().for_each(|v| redact(v, secrets)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secrets_are_replaced_wherever_they_appear() {
        let schema =
            json!({"properties": {"token": {"type": "string", "writeOnly": true}, "dc": {"type": "string"}}});
        let secrets = secrets_of(&schema, &json!({"token": "s3cret-value", "dc": "eu"}));
        assert_eq!(secrets, ["s3cret-value"]);
        let mut v = json!({"message": "bad token s3cret-value", "list": ["x s3cret-value"], "n": 1});
        redact(&mut v, &secrets);
        assert_eq!(v, json!({"message": "bad token [redacted]", "list": ["x [redacted]"], "n": 1}));
    }
}
