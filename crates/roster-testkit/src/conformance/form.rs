//! What a connector's descriptor must look like, whatever the connector: setup forms that
//! off-the-shelf renderers draw, with every field titled and described, and a coverage
//! list that says where each field comes from. Needs no simulator.

use roster_core::ConnectorDescriptor;
use roster_core::schema::form_fields;
use serde_json::Value;

/// Every problem with `d`'s schemas and coverage; empty when it conforms.
pub fn descriptor_problems(d: &ConnectorDescriptor) -> Vec<String> {
    let mut problems = Vec::new();
    for (table, schema) in [("credentials", (d.credentials_schema)()), ("settings", (d.settings_schema)())] {
        for p in schema_problems(&schema) {
            problems.push(format!("{}: {table} schema: {p}", d.id));
        }
    }
    if d.coverage.is_empty() {
        problems.push(format!("{}: declares no field coverage", d.id));
    }
    for c in d.coverage {
        if c.source.trim().is_empty() {
            problems.push(format!("{}: coverage of {} names no source", d.id, c.field.as_str()));
        }
    }
    if d.display_name.trim().is_empty() || d.description.trim().is_empty() {
        problems.push(format!("{}: needs a display name and a description", d.id));
    }
    problems
}

/// Problems with one form schema.
pub fn schema_problems(schema: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if schema.get("$schema").and_then(Value::as_str) != Some("http://json-schema.org/draft-07/schema#") {
        problems.push("is not a draft-07 schema".to_owned());
    }
    if schema.to_string().contains("\"$ref\"") {
        problems.push("uses $ref; forms need every subschema inlined".to_owned());
    }
    if schema.get("type").and_then(Value::as_str) != Some("object") {
        problems.push("is not an object".to_owned());
    }
    let fields = form_fields(schema);
    let known = |name: &str| fields.iter().any(|f| f.name == name);
    for name in required(schema) {
        if !known(&name) {
            problems.push(format!("requires `{name}`, which is not a property"));
        }
    }
    for key in ["if", "then", "else"] {
        if let Some(sub) = schema.get(key) {
            for name in mentioned(sub) {
                if !known(&name) {
                    problems.push(format!("`{key}` names `{name}`, which is not a property"));
                }
            }
        }
    }
    for f in &fields {
        let (name, p) = (f.name, f.schema);
        for key in ["title", "description"] {
            if p.get(key).and_then(Value::as_str).is_none_or(|t| t.trim().is_empty()) {
                problems.push(format!("`{name}` has no {key} (a `/// # Title` line and a paragraph)"));
            }
        }
        let write_only = p.get("writeOnly") == Some(&Value::Bool(true));
        let password = p.get("format").and_then(Value::as_str) == Some("password");
        if write_only != password {
            problems.push(format!(
                "`{name}` must be both writeOnly and format password, or neither (use roster_core::Secret)"
            ));
        }
        if let Some(options) = p.get("oneOf").and_then(Value::as_array) {
            for o in options {
                if o.get("const").is_none() || o.get("title").and_then(Value::as_str).is_none() {
                    problems.push(format!("`{name}` has a dropdown option without a const and a title: {o}"));
                }
            }
        }
    }
    problems
}

/// The `required` names of a schema.
pub(crate) fn required(schema: &Value) -> Vec<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Property names a conditional subschema mentions.
fn mentioned(sub: &Value) -> Vec<String> {
    let mut names = required(sub);
    if let Some(p) = sub.get("properties").and_then(Value::as_object) {
        names.extend(p.keys().cloned());
    }
    if let Some(not) = sub.get("not") {
        names.extend(mentioned(not));
    }
    names
}

/// The fields of a credentials schema that are secrets (writeOnly), conditional ones included.
pub fn secret_fields(schema: &Value) -> Vec<String> {
    form_fields(schema).into_iter().filter(|f| f.is_secret()).map(|f| f.name.to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_good_form_has_no_problems_and_a_bad_one_says_what_is_wrong() {
        let good = json!({
            "$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
            "properties": {
                "token": {"type": "string", "title": "Token", "description": "d", "format": "password", "writeOnly": true},
                "region": {"title": "Region", "description": "d", "oneOf": [{"const": "us", "title": "US"}]},
                "base_url": {"type": "string", "title": "Base URL", "description": "d"}
            },
            "required": ["token"],
            "if": {"properties": {"region": {"const": "custom"}}}, "then": {"required": ["base_url"]},
            "else": {"not": {"required": ["base_url"]}}
        });
        assert_eq!(schema_problems(&good), Vec::<String>::new());
        assert_eq!(secret_fields(&good), ["token"]);
        let bad = json!({
            "$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
            "properties": {"token": {"type": "string", "writeOnly": true}},
            "required": ["missing"]
        });
        let problems = schema_problems(&bad);
        assert_eq!(problems.len(), 4, "{problems:?}");
    }
}
