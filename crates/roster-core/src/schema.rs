//! JSON Schemas for setup forms, in the shape off-the-shelf renderers expect.
//!
//! * draft-07, which AJV (react-jsonschema-form, JSON Forms) uses by default;
//! * no `$ref`: every subschema is inlined;
//! * properties in declaration order;
//! * `Option<T>` stays `T` (optional means "not required", not "nullable");
//! * only formats AJV knows are kept (`password` is kept for secrets).

use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use schemars::{JsonSchema, Schema};
use serde_json::Value;

const KEPT_FORMATS: [&str; 5] = ["password", "uri", "email", "date-time", "hostname"];

/// The form schema of `T` as JSON.
pub fn for_type<T: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft07()
        .with(|s| {
            s.inline_subschemas = true;
        })
        .with_transform(FormFriendly)
        .into_generator();
    generator.into_root_schema_for::<T>().to_value()
}

#[derive(Debug, Clone, Copy)]
struct FormFriendly;

impl Transform for FormFriendly {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(obj) = schema.as_object_mut() {
            // ["string", "null"] -> "string"
            if let Some(Value::Array(types)) = obj.get("type") {
                let non_null: Vec<Value> =
                    types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
                if non_null.len() == 1 {
                    obj.insert("type".into(), non_null[0].clone());
                }
            }
            // oneOf/anyOf options that only say "null" (from Option<Enum>) go away.
            for key in ["oneOf", "anyOf"] {
                if let Some(Value::Array(options)) = obj.get_mut(key) {
                    options.retain(|o| {
                        !(o.get("type").and_then(Value::as_str) == Some("null")
                            || o.get("const").is_some_and(Value::is_null))
                    });
                }
            }
            if obj.get("default").is_some_and(Value::is_null) {
                obj.remove("default");
            }
            if let Some(Value::Array(values)) = obj.get_mut("enum") {
                values.retain(|v| !v.is_null());
            }
            if let Some(format) = obj.get("format").and_then(Value::as_str)
                && !KEPT_FORMATS.contains(&format)
            {
                obj.remove("format");
            }
        }
        transform_subschemas(self, schema);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;

    /// # Example credentials
    #[derive(JsonSchema, serde::Deserialize)]
    #[allow(dead_code)]
    #[serde(deny_unknown_fields)]
    struct Example {
        /// # Region
        region: Region,
        /// # Token
        token: Secret,
        /// # Page size
        page_size: Option<u32>,
    }

    #[derive(JsonSchema, serde::Deserialize)]
    #[allow(dead_code)]
    #[serde(rename_all = "snake_case")]
    enum Region {
        /// # United States
        Us,
        /// # Europe
        Eu,
    }

    #[test]
    fn schema_is_form_friendly() {
        let s = for_type::<Example>();
        let text = s.to_string();
        assert!(!text.contains("$ref"), "{text}");
        assert!(!text.contains("\"null\""), "{text}");
        assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
        let keys: Vec<_> = s["properties"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["region", "token", "page_size"]);
        assert_eq!(s["properties"]["token"]["format"], "password");
        assert_eq!(s["properties"]["token"]["writeOnly"], true);
        assert_eq!(s["properties"]["page_size"]["type"], "integer");
        assert!(s["properties"]["page_size"].get("format").is_none());
        let options = s["properties"]["region"]["oneOf"].as_array().unwrap();
        assert_eq!(options[0]["const"], "us");
        assert_eq!(options[0]["title"], "United States");
    }
}
