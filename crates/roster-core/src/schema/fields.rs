//! The fields of a form schema as a person sees them, conditional ones included.

use serde_json::Value;

/// When a conditional field applies: `switch` holds `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition<'a> {
    pub switch: &'a str,
    pub value: &'a Value,
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormField<'a> {
    pub name: &'a str,
    pub schema: &'a Value,
    /// Required (when its condition holds, for a conditional field).
    pub required: bool,
    /// Set for fields made conditional by [`super::only_when`].
    pub condition: Option<Condition<'a>>,
}

impl FormField<'_> {
    /// A secret: `writeOnly`, shown as a password input.
    pub fn is_secret(&self) -> bool {
        self.schema.get("writeOnly") == Some(&Value::Bool(true))
    }

    pub fn title(&self) -> &str {
        self.schema.get("title").and_then(Value::as_str).unwrap_or(self.name)
    }
}

/// Every field of a form schema in display order: the properties in
/// declaration order, each conditional field right after the field that
/// switches it on.
pub fn form_fields(schema: &Value) -> Vec<FormField<'_>> {
    let required = names(schema.get("required"));
    let conditionals: Vec<(Condition<'_>, &Value)> = std::iter::once(schema)
        .chain(schema.get("allOf").and_then(Value::as_array).into_iter().flatten())
        .filter_map(conditional)
        .collect();
    let mut out = Vec::new();
    for (name, p) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        out.push(FormField { name, schema: p, required: required.contains(&name.as_str()), condition: None });
        for (condition, then) in conditionals.iter().filter(|(c, _)| c.switch == name) {
            let then_required = names(then.get("required"));
            for (name, p) in then.get("properties").and_then(Value::as_object).into_iter().flatten() {
                out.push(FormField {
                    name,
                    schema: p,
                    required: then_required.contains(&name.as_str()),
                    condition: Some(condition.clone()),
                });
            }
        }
    }
    out
}

/// The condition and `then` of a schema's `if` on one field's `const`.
fn conditional(schema: &Value) -> Option<(Condition<'_>, &Value)> {
    let (switch, test) = schema.get("if")?.get("properties")?.as_object()?.iter().next()?;
    Some((Condition { switch, value: test.get("const")? }, schema.get("then")?))
}

fn names(list: Option<&Value>) -> Vec<&str> {
    list.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
}
