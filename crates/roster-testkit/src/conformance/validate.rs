//! A small JSON Schema validator for the subset form schemas use (draft-07: `type`,
//! `properties`, `required`, `additionalProperties: false`, `propertyNames`, `oneOf`/`anyOf`, `const`,
//! `enum`, `minLength`, `minimum`/`maximum`, `if`/`then`/`else`, `not`). Enough to check
//! that a connector's own good credentials fill its form.

use serde_json::Value;

/// Every place `instance` breaks `schema`; empty when it is valid.
pub fn validate(schema: &Value, instance: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, instance, "", &mut errors);
    errors
}

fn valid(schema: &Value, instance: &Value) -> bool {
    validate(schema, instance).is_empty()
}

fn check(schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(s) = schema.as_object() else {
        return;
    };
    let here = if at.is_empty() { "(top level)" } else { at };
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => true,
        };
        if !ok {
            errors.push(format!("{here}: expected {t}"));
            return;
        }
    }
    if let Some(c) = s.get("const")
        && c != v
    {
        errors.push(format!("{here}: expected {c}"));
    }
    if let Some(options) = s.get("enum").and_then(Value::as_array)
        && !options.contains(v)
    {
        errors.push(format!("{here}: not one of the allowed values"));
    }
    if let Some(options) = s.get("oneOf").and_then(Value::as_array) {
        let matching = options.iter().filter(|o| valid(o, v)).count();
        if matching != 1 {
            errors.push(format!("{here}: matches {matching} of the oneOf options, not exactly one"));
        }
    }
    if let Some(options) = s.get("anyOf").and_then(Value::as_array)
        && !options.iter().any(|o| valid(o, v))
    {
        errors.push(format!("{here}: matches none of the anyOf options"));
    }
    if let (Some(min), Some(text)) = (s.get("minLength").and_then(Value::as_u64), v.as_str())
        && (text.chars().count() as u64) < min
    {
        errors.push(format!("{here}: shorter than {min}"));
    }
    if let Some(n) = v.as_f64() {
        if s.get("minimum").and_then(Value::as_f64).is_some_and(|m| n < m) {
            errors.push(format!("{here}: below the minimum"));
        }
        if s.get("maximum").and_then(Value::as_f64).is_some_and(|m| n > m) {
            errors.push(format!("{here}: above the maximum"));
        }
    }
    if let Some(obj) = v.as_object() {
        for name in super::form::required(schema) {
            if !obj.contains_key(&name) {
                errors.push(format!("{here}: `{name}` is required"));
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, child) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(sub) => {
                    check(sub, child, &format!("{at}{}{k}", if at.is_empty() { "" } else { "." }), errors)
                }
                None if s.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{here}: `{k}` is not allowed"));
                }
                None => {}
            }
            if let Some(names) = s.get("propertyNames")
                && !valid(names, &Value::String(k.clone()))
            {
                errors.push(format!("{here}: `{k}` is not allowed"));
            }
        }
    }
    if let Some(cond) = s.get("if") {
        let branch = if valid(cond, v) { s.get("then") } else { s.get("else") };
        if let Some(b) = branch {
            check(b, v, at, errors);
        }
    }
    if let Some(not) = s.get("not")
        && valid(not, v)
    {
        errors.push(format!("{here}: matches a schema it must not match"));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_form_subset() {
        let schema = json!({
            "type": "object", "additionalProperties": false,
            "properties": {
                "region": {"oneOf": [{"type": "string", "const": "us"}, {"type": "string", "const": "custom"}]},
                "token": {"type": "string", "minLength": 1},
                "base_url": {"type": "string"},
                "n": {"type": "integer", "minimum": 1}
            },
            "required": ["region", "token"],
            "if": {"properties": {"region": {"const": "custom"}}, "required": ["region"]},
            "then": {"required": ["base_url"]},
            "else": {"not": {"required": ["base_url"]}}
        });
        assert!(validate(&schema, &json!({"region": "us", "token": "t"})).is_empty());
        assert!(
            validate(&schema, &json!({"region": "custom", "token": "t", "base_url": "http://x"})).is_empty()
        );
        assert_eq!(validate(&schema, &json!({"region": "custom", "token": "t"})).len(), 1);
        assert_eq!(validate(&schema, &json!({"region": "us", "token": "t", "base_url": "x"})).len(), 1);
        assert_eq!(validate(&schema, &json!({"region": "mars", "token": "", "n": 0, "extra": 1})).len(), 4);
    }
}
