//! Fields that only apply to one choice of another field.

use schemars::Schema;
use serde_json::{Map, Value, json};

/// Makes `field` apply only when `switch` is `value`: the field moves from
/// `properties` into the `then` of an `if` on the switch, where it is
/// required; the `else` refuses it.
///
/// This is the shape react-jsonschema-form renders as "show the field only
/// while the condition holds" (it merges the `then` that applies into the
/// form), and AJV checks as written. Because draft-07's
/// `additionalProperties` does not see properties declared under `then`, an
/// `additionalProperties: false` becomes a `propertyNames` enum of every
/// field. Call it from a `#[schemars(transform = ...)]` on the credentials
/// struct; fields already moved for the same condition share its `then`.
pub fn only_when(schema: &mut Schema, field: &str, switch: &str, value: &str) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    let names = field_names(obj, field);
    let Some(moved) =
        obj.get_mut("properties").and_then(Value::as_object_mut).and_then(|p| p.shift_remove(field))
    else {
        return;
    };
    if let Some(Value::Array(required)) = obj.get_mut("required") {
        required.retain(|r| r != field);
    }
    if obj.get("additionalProperties") == Some(&Value::Bool(false)) {
        obj.shift_remove("additionalProperties");
        obj.insert("propertyNames".into(), json!({ "enum": names }));
    } else if let Some(Value::Array(allowed)) = obj.get_mut("propertyNames").and_then(|p| p.get_mut("enum"))
        && !allowed.iter().any(|n| n == field)
    {
        allowed.push(Value::String(field.to_owned()));
    }
    let condition = json!({"properties": {switch: {"const": value}}, "required": [switch]});
    if obj.get("if").is_some_and(|c| c != &condition) {
        let entry = json!({
            "if": condition,
            "then": {"properties": {field: moved}, "required": [field]},
            "else": {"not": {"required": [field]}},
        });
        match obj.get_mut("allOf") {
            Some(Value::Array(all)) => all.push(entry),
            _ => {
                obj.insert("allOf".into(), json!([entry]));
            }
        }
        return;
    }
    obj.insert("if".into(), condition);
    let then = obj.entry("then").or_insert_with(|| json!({"properties": {}, "required": []}));
    if let Some(props) = then.get_mut("properties").and_then(Value::as_object_mut) {
        props.insert(field.to_owned(), moved);
    }
    if let Some(Value::Array(required)) = then.get_mut("required") {
        required.push(Value::String(field.to_owned()));
    }
    let fields: Vec<Value> = then.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
    let refused = if fields.len() == 1 {
        json!({"not": {"required": fields}})
    } else {
        json!({"not": {"anyOf": fields.iter().map(|f| json!({"required": [f]})).collect::<Vec<_>>()}})
    };
    obj.insert("else".into(), refused);
}

/// Every field name, `field` included, in declaration order.
fn field_names(obj: &Map<String, Value>, field: &str) -> Vec<String> {
    let mut names: Vec<String> = obj
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    if let Some(Value::Object(then)) = obj.get("then")
        && let Some(Value::Object(props)) = then.get("properties")
    {
        names.extend(props.keys().cloned());
    }
    if !names.iter().any(|n| n == field) {
        names.push(field.to_owned());
    }
    names
}

#[cfg(test)]
mod tests {
    use schemars::json_schema;
    use serde_json::json;

    use super::only_when;

    #[test]
    fn two_fields_on_one_condition_share_the_then() {
        let mut s = json_schema!({
            "type": "object",
            "additionalProperties": false,
            "properties": {"mode": {"type": "string"}, "a": {"type": "string"}, "b": {"type": "string"}},
            "required": ["mode", "a", "b"]
        });
        only_when(&mut s, "a", "mode", "x");
        only_when(&mut s, "b", "mode", "x");
        let v = s.to_value();
        assert_eq!(v["required"], json!(["mode"]));
        assert_eq!(v["propertyNames"], json!({"enum": ["mode", "a", "b"]}));
        assert_eq!(v["then"]["required"], json!(["a", "b"]));
        assert_eq!(v["else"], json!({"not": {"anyOf": [{"required": ["a"]}, {"required": ["b"]}]}}));
    }
}
