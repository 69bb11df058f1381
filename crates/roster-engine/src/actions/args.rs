//! An action's arguments: `--set KEY=VALUE` pairs, checked against the action's schema.

use roster_core::{ActionArgs, ActionSpec};
use serde_json::Value;

/// Turns `KEY=VALUE` pairs into the action's arguments, refusing keys and values its
/// schema does not take. The message names the key and what was expected.
pub fn parse_set(spec: &ActionSpec, pairs: &[String]) -> Result<ActionArgs, String> {
    let schema = (spec.arguments)();
    let props = schema.get("properties").and_then(Value::as_object);
    let mut args = ActionArgs::new();
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(format!("--set takes KEY=VALUE; `{pair}` has no `=`"));
        };
        let (key, value) = (key.trim(), value.trim());
        let Some(field) = props.and_then(|p| p.get(key)) else {
            return Err(format!("{} takes no argument `{key}`; it takes {}", spec.kind, expected(props)));
        };
        if let Some(choices) = field.get("enum").and_then(Value::as_array)
            && !choices.iter().any(|c| c.as_str() == Some(value))
        {
            let names: Vec<&str> = choices.iter().filter_map(Value::as_str).collect();
            return Err(format!("`{key}` must be one of {}", names.join(", ")));
        }
        if value.is_empty() {
            return Err(format!("`{key}` needs a value"));
        }
        if args.insert(key.to_owned(), Value::String(value.to_owned())).is_some() {
            return Err(format!("`{key}` is set twice"));
        }
    }
    let required = schema.get("required").and_then(Value::as_array).into_iter().flatten();
    for key in required.filter_map(Value::as_str) {
        if !args.contains_key(key) {
            return Err(format!("{} needs --set {key}=...", spec.kind));
        }
    }
    let min = schema.get("minProperties").and_then(Value::as_u64).unwrap_or(0);
    if (args.len() as u64) < min {
        return Err(format!("{} needs at least {min} of {}", spec.kind, expected(props)));
    }
    Ok(args)
}

fn expected(props: Option<&serde_json::Map<String, Value>>) -> String {
    match props {
        Some(p) if !p.is_empty() => p.keys().map(|k| format!("{k}=...")).collect::<Vec<_>>().join(", "),
        _ => "none".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use roster_core::ActionKind;
    use serde_json::json;

    use super::*;

    fn spec() -> ActionSpec {
        ActionSpec {
            kind: ActionKind::SetRoles,
            summary: "",
            arguments: || json!({"type": "object", "properties": {"dev": {"type": "string"}, "mode": {"type": "string", "enum": ["a", "b"]}}, "minProperties": 1}),
            permission: "",
            reversible: true,
        }
    }

    #[test]
    fn pairs_are_checked_against_the_schema() {
        let ok = parse_set(&spec(), &["dev=Analyst".into(), "mode = b".into()]).expect("valid");
        assert_eq!(ok.get("dev"), Some(&json!("Analyst")));
        assert_eq!(ok.get("mode"), Some(&json!("b")));
        let err = |pairs: &[&str]| {
            parse_set(&spec(), &pairs.iter().map(|p| p.to_string()).collect::<Vec<_>>()).unwrap_err()
        };
        assert!(err(&["prod=Admin"]).contains("takes no argument `prod`"));
        assert!(err(&["mode=c"]).contains("must be one of a, b"));
        assert!(err(&["dev"]).contains("no `=`"));
        assert!(err(&["dev="]).contains("needs a value"));
        assert!(err(&["dev=a", "dev=b"]).contains("set twice"));
        assert!(err(&[]).contains("at least 1"));
    }
}
