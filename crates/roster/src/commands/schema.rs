//! `roster schema <connector> [--ui]`

use anyhow::{Result, bail};
use roster_core::Registry;
use serde_json::{Value, json};

use crate::exit;

pub fn run(registry: &Registry, connector: &str, ui: bool) -> Result<u8> {
    let Some(d) = registry.get(connector) else {
        bail!("unknown connector `{connector}`; registered connectors: {}", registry.ids().join(", "));
    };
    let schema = (d.credentials_schema)();
    let out = if ui { json!({"schema": schema, "uiSchema": ui_schema(&schema)}) } else { schema };
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(exit::OK)
}

/// The react-jsonschema-form uiSchema: field order, password widgets, and no
/// preselected option for optional choices.
pub fn ui_schema(schema: &Value) -> Value {
    let mut ui = serde_json::Map::new();
    let props = schema.get("properties").and_then(Value::as_object);
    let order: Vec<Value> =
        props.map(|p| p.keys().map(|k| Value::String(k.clone())).collect()).unwrap_or_default();
    ui.insert("ui:order".into(), Value::Array(order));
    for (name, p) in props.into_iter().flatten() {
        if p.get("format").and_then(Value::as_str) == Some("password") {
            ui.insert(name.clone(), json!({"ui:widget": "password", "ui:autocomplete": "off"}));
        } else if p.get("oneOf").is_some() {
            ui.insert(name.clone(), json!({"ui:placeholder": "Choose…"}));
        }
    }
    Value::Object(ui)
}
