//! Every registered connector's setup form, through `roster schema --all
//! --out DIR`: an insta snapshot each, examples that fill the form (checked
//! by the `jsonschema` crate in draft-07) and that the connector itself
//! accepts, and a conditional field that is refused when hidden and required
//! when shown. The browser half is `tests/browser.rs`.

use std::path::Path;
use std::process::Command;

use roster_core::schema::form_fields;
use serde_json::Value;

/// `DIR/<id>.json` of every registered connector, as written by the binary.
fn forms() -> Vec<(String, Value)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["schema", "--all", "--out"])
        .arg(dir.path())
        .output()
        .expect("run roster schema --all");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let registry = roster_connectors::registry().expect("registry");
    registry
        .ids()
        .into_iter()
        .map(|id| (id.to_owned(), read(&dir.path().join(format!("{id}.json")))))
        .collect()
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("not a valid draft-07 schema: {e}"))
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

#[test]
fn every_connector_form_matches_its_snapshot() {
    for (id, form) in forms() {
        insta::assert_json_snapshot!(format!("form_{id}"), form);
    }
}

#[test]
fn every_connector_has_examples_that_fill_its_form_and_build_it() {
    let registry = roster_connectors::registry().expect("registry");
    for (id, form) in forms() {
        let schema = &form["schema"];
        let v = validator(schema);
        let examples = schema["examples"].as_array().cloned().unwrap_or_default();
        assert!(
            !examples.is_empty(),
            "{id}: the credentials schema has no `examples` (complete credentials)"
        );
        let d = registry.get(&id).expect("registered");
        for example in &examples {
            let problems = errors(&v, example);
            assert!(problems.is_empty(), "{id}: example {example} does not fill the form: {problems:?}");
            if let Err(e) = (d.build)(example.clone(), Value::Null) {
                panic!("{id}: the connector refuses example {example}: {e:?}");
            }
        }
        for field in form_fields(schema) {
            for example in field.schema["examples"].as_array().into_iter().flatten() {
                let problems = errors(&validator(field.schema), example);
                assert!(problems.is_empty(), "{id}: `{}` example {example}: {problems:?}", field.name);
            }
        }
    }
}

#[test]
fn conditional_fields_are_required_when_shown_and_refused_when_hidden() {
    for (id, form) in forms() {
        let schema = &form["schema"];
        let v = validator(schema);
        let examples = schema["examples"].as_array().cloned().unwrap_or_default();
        for field in form_fields(schema) {
            let Some(c) = &field.condition else { continue };
            let shown = examples.iter().find(|e| &e[c.switch] == c.value);
            let hidden = examples.iter().find(|e| &e[c.switch] != c.value);
            let (Some(shown), Some(hidden)) = (shown, hidden) else {
                panic!(
                    "{id}: `{}` needs an example with {} = {} and one without",
                    field.name, c.switch, c.value
                );
            };
            let mut missing = shown.clone();
            missing.as_object_mut().map(|o| o.remove(field.name));
            assert!(!errors(&v, &missing).is_empty(), "{id}: `{}` is not required when shown", field.name);
            let mut extra = hidden.clone();
            extra[field.name] = shown[field.name].clone();
            assert!(!errors(&v, &extra).is_empty(), "{id}: `{}` is accepted while hidden", field.name);
        }
    }
}

#[test]
fn unknown_fields_are_refused_and_the_ui_schema_orders_every_field() {
    for (id, form) in forms() {
        let schema = &form["schema"];
        let v = validator(schema);
        let mut example = schema["examples"][0].clone();
        example["no_such_field"] = Value::from("x");
        assert!(!errors(&v, &example).is_empty(), "{id}: an unknown field is accepted");
        let order: Vec<&str> = form["uiSchema"]["ui:order"]
            .as_array()
            .expect("ui:order")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let mut expected: Vec<&str> = form_fields(schema).iter().map(|f| f.name).collect();
        expected.push("*");
        assert_eq!(order, expected, "{id}");
        for f in form_fields(schema).iter().filter(|f| f.is_secret()) {
            assert_eq!(form["uiSchema"][f.name]["ui:widget"], "password", "{id}: {}", f.name);
        }
    }
}
