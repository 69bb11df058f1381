//! JSON Schemas for setup forms, in the shape off-the-shelf renderers expect
//! (react-jsonschema-form with its AJV validator, JSON Forms):
//!
//! * draft-07, the dialect AJV uses by default, clean under AJV's strict mode
//!   (with `password` registered as a format);
//! * no `$ref`: every subschema is inlined;
//! * properties in declaration order;
//! * `Option<T>` stays `T` (optional means "not required", not "nullable");
//! * only formats AJV knows are kept (`password` is kept for secrets);
//! * descriptions are paragraphs: the line breaks of doc comments are joined;
//! * a field that only applies to one choice of another field is moved into an
//!   `if`/`then`/`else` with [`only_when`], so renderers show it only then.

mod conditional;
mod fields;
mod transform;

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::Value;

pub use conditional::only_when;
pub use fields::{Condition, FormField, form_fields};

/// The form schema of `T` as JSON.
pub fn for_type<T: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft07()
        .with(|s| {
            s.inline_subschemas = true;
        })
        .with_transform(transform::FormFriendly)
        .into_generator();
    ordered(closed(generator.into_root_schema_for::<T>().to_value()))
}

/// A form takes no fields but its own: `additionalProperties: false` unless the schema
/// already says what else it takes (`propertyNames`, for forms with conditional fields).
/// Settings that flatten a shared struct (`roster_http::HttpSettings`) lose serde's
/// `deny_unknown_fields`; this puts the rule back in the schema, and the registry
/// enforces it on load ([`crate::ConnectorDescriptor`]).
fn closed(mut schema: Value) -> Value {
    if let Some(obj) = schema.as_object_mut()
        && obj.contains_key("properties")
        && !obj.contains_key("additionalProperties")
        && !obj.contains_key("propertyNames")
    {
        obj.insert("additionalProperties".into(), Value::Bool(false));
    }
    schema
}

/// The keys people read first come first: `$schema`, title, description,
/// then the fields; everything else keeps its place after them.
fn ordered(schema: Value) -> Value {
    const FIRST: [&str; 10] = [
        "$schema",
        "title",
        "description",
        "type",
        "properties",
        "required",
        "propertyNames",
        "if",
        "then",
        "else",
    ];
    let Value::Object(mut obj) = schema else {
        return schema;
    };
    let mut out = serde_json::Map::new();
    for key in FIRST {
        if let Some(v) = obj.shift_remove(key) {
            out.insert(key.to_owned(), v);
        }
    }
    out.extend(obj);
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;

    /// # Example credentials
    #[derive(JsonSchema, serde::Deserialize)]
    #[allow(dead_code)]
    #[serde(deny_unknown_fields)]
    #[schemars(transform = url_only_with_custom)]
    struct Example {
        /// # Region
        ///
        /// Where the account
        /// lives.
        ///
        /// Second paragraph.
        region: Region,
        /// # URL
        #[serde(default)]
        url: Option<String>,
        /// # Token
        token: Secret,
        /// # Page size
        page_size: Option<u32>,
    }

    fn url_only_with_custom(schema: &mut schemars::Schema) {
        only_when(schema, "url", "region", "custom");
    }

    #[derive(JsonSchema, serde::Deserialize)]
    #[allow(dead_code)]
    #[serde(rename_all = "snake_case")]
    enum Region {
        /// # United States
        Us,
        /// # Europe
        Eu,
        /// # Custom
        Custom,
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
        assert_eq!(s["properties"]["region"]["description"], "Where the account lives.\n\nSecond paragraph.");
    }

    #[test]
    fn conditional_fields_move_into_then_in_display_order() {
        let s = for_type::<Example>();
        assert_eq!(s["then"]["properties"]["url"]["type"], "string");
        assert_eq!(s["then"]["required"], serde_json::json!(["url"]));
        assert_eq!(s["else"], serde_json::json!({"not": {"required": ["url"]}}));
        assert!(s.get("additionalProperties").is_none());
        assert_eq!(s["propertyNames"], serde_json::json!({"enum": ["region", "url", "token", "page_size"]}));
        let fields = form_fields(&s);
        let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
        assert_eq!(names, ["region", "url", "token", "page_size"]);
        let url = &fields[1];
        assert!(url.required);
        assert_eq!(
            url.condition.as_ref().map(|c| (c.switch, c.value.as_str())),
            Some(("region", Some("custom")))
        );
        assert!(fields[0].required && fields[2].required && !fields[3].required);
    }
}
