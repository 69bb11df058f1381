//! The form of an edit: the connector's Connect form with its secrets
//! optional. A blank secret keeps the current one, so the schema drops each
//! secret from every `required` (its own, and those of its `if`/`then`
//! branches) and says so in the secret's description and placeholder. The
//! committed form bundle renders it unchanged.

use std::collections::BTreeMap;

use roster_core::ConnectorDescriptor;
use roster_core::schema::form_fields;
use serde_json::{Map, Value};

use super::current_secrets::Source;

/// `{"schema", "uiSchema", "formProps", "formData"}` of the edit of account `id`:
/// `plain` fills the form; the secrets in it stay blank.
pub fn of(
    d: &ConnectorDescriptor,
    id: &str,
    plain: Map<String, Value>,
    sources: &BTreeMap<String, Source>,
) -> Value {
    let mut form = roster_engine::form::of(d);
    let secrets = secret_names(&form["schema"]);
    let notes: BTreeMap<String, String> = secrets
        .iter()
        .map(|s| {
            let note = match sources.get(s) {
                Some(source) => format!("Leave blank to keep the current value ({}).", source.describe(id)),
                None => "Not set now; leave blank to leave it unset.".to_owned(),
            };
            (s.clone(), note)
        })
        .collect();
    relax(&mut form["schema"], &notes);
    for s in &secrets {
        if let Some(ui) = form["uiSchema"].as_object_mut() {
            let field = ui.entry(s.clone()).or_insert_with(|| Value::Object(Map::new()));
            field["ui:placeholder"] = "Leave blank to keep the current value".into();
        }
    }
    let plain: Map<String, Value> = plain.into_iter().filter(|(k, _)| !secrets.contains(k)).collect();
    form["formData"] = Value::Object(plain);
    form
}

/// The names of the secret fields of a form schema.
pub fn secret_names(schema: &Value) -> Vec<String> {
    form_fields(schema).into_iter().filter(|f| f.is_secret()).map(|f| f.name.to_owned()).collect()
}

/// Drops the secrets of `notes` from the `required` of `schema` and of its
/// `then`, `else` and `allOf` parts, and adds each note to its secret's description.
fn relax(schema: &mut Value, notes: &BTreeMap<String, String>) {
    let Some(obj) = schema.as_object_mut() else { return };
    if let Some(Value::Array(required)) = obj.get_mut("required") {
        required.retain(|r| r.as_str().is_none_or(|r| !notes.contains_key(r)));
    }
    if let Some(Value::Object(props)) = obj.get_mut("properties") {
        for (name, note) in notes {
            if let Some(Value::Object(p)) = props.get_mut(name) {
                let text = match p.get("description").and_then(Value::as_str) {
                    Some(d) if !d.is_empty() => format!("{d}\n\n{note}"),
                    _ => note.clone(),
                };
                p.insert("description".into(), text.into());
            }
        }
    }
    for key in ["then", "else"] {
        if let Some(part) = obj.get_mut(key) {
            relax(part, notes);
        }
    }
    if let Some(Value::Array(parts)) = obj.get_mut("allOf") {
        parts.iter_mut().for_each(|p| relax(p, notes));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secrets_are_optional_and_say_blank_keeps_them() {
        let mut schema = json!({
            "required": ["token", "region"],
            "properties": {
                "token": {"type": "string", "writeOnly": true, "description": "The API token."},
                "region": {"type": "string"},
            },
            "allOf": [{
                "if": {"properties": {"region": {"const": "x"}}},
                "then": {"required": ["key"], "properties": {"key": {"type": "string", "writeOnly": true}}},
            }],
        });
        let notes =
            BTreeMap::from([("token".to_owned(), "keep".to_owned()), ("key".to_owned(), "k".to_owned())]);
        relax(&mut schema, &notes);
        assert_eq!(schema["required"], json!(["region"]));
        assert_eq!(schema["allOf"][0]["then"]["required"], json!([]));
        assert_eq!(schema["properties"]["token"]["description"], "The API token.\n\nkeep");
        assert_eq!(schema["allOf"][0]["then"]["properties"]["key"]["description"], "k");
        assert_eq!(secret_names(&schema), ["token", "key"]);
    }
}
