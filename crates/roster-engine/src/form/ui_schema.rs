//! The react-jsonschema-form `uiSchema` of a form schema, derived from the
//! schema alone so that every connector gets one.

use roster_core::schema::{FormField, form_fields};
use serde_json::{Map, Value, json};

/// Field order (conditional fields right after the field that reveals them),
/// password widgets for secrets, and placeholders: "Choose the …" for a
/// choice without a default, the first example for a text field. A secret
/// whose schema names a `contentMediaType` (a whole key file, say) keeps the
/// password widget and asks, in `ui:options`, for a masked multi-line box
/// with a file picker: `rows`, and `accept` (the media type) for the picker.
pub fn ui_schema(schema: &Value) -> Value {
    let fields = form_fields(schema);
    let mut order: Vec<Value> = fields.iter().map(|f| Value::from(f.name)).collect();
    // Anything the list misses still renders, at the end, instead of failing the form.
    order.push("*".into());
    let mut ui = Map::new();
    ui.insert("ui:order".into(), Value::Array(order));
    for f in &fields {
        let field = field_ui(f);
        if !field.is_empty() {
            ui.insert(f.name.to_owned(), Value::Object(field));
        }
    }
    ui.insert("ui:submitButtonOptions".into(), json!({"submitText": "Connect"}));
    Value::Object(ui)
}

fn field_ui(f: &FormField<'_>) -> Map<String, Value> {
    let mut ui = Map::new();
    if f.is_secret() {
        ui.insert("ui:widget".into(), "password".into());
        ui.insert("ui:autocomplete".into(), "off".into());
        let title = lower_first(f.title());
        match f.schema.get("contentMediaType").and_then(Value::as_str) {
            Some(media_type) => {
                ui.insert("ui:placeholder".into(), format!("Paste the {title}, or choose its file").into());
                ui.insert("ui:options".into(), json!({"rows": 8, "accept": media_type}));
            }
            None => {
                ui.insert("ui:placeholder".into(), format!("Paste the {title}").into());
            }
        }
    } else if f.schema.get("oneOf").is_some() {
        if f.schema.get("default").is_none() {
            ui.insert("ui:placeholder".into(), format!("Choose the {}", lower_first(f.title())).into());
        }
    } else if let Some(example) =
        f.schema.get("examples").and_then(Value::as_array).and_then(|e| e.first()).and_then(Value::as_str)
    {
        ui.insert("ui:placeholder".into(), example.into());
    }
    ui
}

/// "Data center" → "data center", but "API token" stays "API token".
fn lower_first(title: &str) -> String {
    let mut chars = title.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(title[first.len_utf8()..].chars()).collect()
        }
        _ => title.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn order_widgets_and_placeholders_come_from_the_schema() {
        let schema = json!({
            "type": "object",
            "properties": {
                "region": {"title": "Data center", "oneOf": [{"const": "us", "title": "US"}, {"const": "custom", "title": "Custom"}]},
                "token": {"title": "API token", "type": "string", "format": "password", "writeOnly": true},
                "cloud": {"title": "Cloud", "default": "us", "oneOf": [{"const": "us", "title": "US"}]}
            },
            "required": ["region", "token"],
            "if": {"properties": {"region": {"const": "custom"}}, "required": ["region"]},
            "then": {"properties": {"url": {"title": "URL", "type": "string", "examples": ["https://x.example.com"]}}, "required": ["url"]},
            "else": {"not": {"required": ["url"]}}
        });
        let ui = ui_schema(&schema);
        assert_eq!(ui["ui:order"], json!(["region", "url", "token", "cloud", "*"]));
        assert_eq!(ui["region"]["ui:placeholder"], "Choose the data center");
        assert_eq!(ui["token"]["ui:widget"], "password");
        assert_eq!(ui["token"]["ui:placeholder"], "Paste the API token");
        assert_eq!(ui["url"]["ui:placeholder"], "https://x.example.com");
        assert!(ui.get("cloud").is_none(), "a choice with a default has no placeholder: {ui}");
        assert!(ui["token"].get("ui:options").is_none(), "{ui}");
    }

    #[test]
    fn a_secret_file_is_a_masked_multi_line_box_with_a_file_picker() {
        let schema = json!({
            "type": "object",
            "properties": {"key": {"title": "Service account key", "type": "string", "format": "password",
                                   "writeOnly": true, "contentMediaType": "application/json"}}
        });
        let ui = ui_schema(&schema);
        assert_eq!(ui["key"]["ui:widget"], "password");
        assert_eq!(ui["key"]["ui:autocomplete"], "off");
        assert_eq!(ui["key"]["ui:options"], json!({"rows": 8, "accept": "application/json"}));
        assert_eq!(ui["key"]["ui:placeholder"], "Paste the service account key, or choose its file");
    }
}
