//! The transform that turns schemars' output into a form schema.

use schemars::Schema;
use schemars::transform::{Transform, transform_subschemas};
use serde_json::Value;

const KEPT_FORMATS: [&str; 5] = ["password", "uri", "email", "date-time", "hostname"];

#[derive(Debug, Clone, Copy)]
pub(super) struct FormFriendly;

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
            // A choice among constants of one type says that type itself, so that
            // renderers draw one dropdown rather than a schema picker.
            if !obj.contains_key("type")
                && let Some(t) = shared_const_type(obj.get("oneOf"))
            {
                obj.insert("type".into(), t);
            }
            if obj.get("default").is_some_and(Value::is_null) {
                obj.shift_remove("default");
            }
            if let Some(Value::Array(values)) = obj.get_mut("enum") {
                values.retain(|v| !v.is_null());
            }
            if let Some(format) = obj.get("format").and_then(Value::as_str)
                && !KEPT_FORMATS.contains(&format)
            {
                obj.shift_remove("format");
            }
            if let Some(Value::String(text)) = obj.get_mut("description") {
                *text = paragraphs(text);
            }
        }
        transform_subschemas(self, schema);
    }
}

/// The `type` every option of a `oneOf` of constants shares, if any.
fn shared_const_type(options: Option<&Value>) -> Option<Value> {
    let options = options?.as_array()?;
    let first = options.first()?.get("type")?;
    options.iter().all(|o| o.get("const").is_some() && o.get("type") == Some(first)).then(|| first.clone())
}

/// Joins the lines of each paragraph of a doc comment: forms wrap text
/// themselves, and a hard break mid-sentence shows as a space or a gap.
fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::paragraphs;

    #[test]
    fn paragraphs_keep_blank_lines_and_join_the_rest() {
        assert_eq!(paragraphs("a\nb\n\nc\n d"), "a b\n\nc d");
        assert_eq!(paragraphs("one line"), "one line");
    }
}
