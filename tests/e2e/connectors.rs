//! `roster connectors` and `roster schema`.

use serde_json::Value;

use crate::support::roster;

#[tokio::test(flavor = "multi_thread")]
async fn connectors_json_lists_workato_with_coverage_and_credential_fields() {
    let run = roster(&["connectors", "--json"]).await;
    run.expect_code(0);
    let list: Vec<Value> = serde_json::from_str(&run.stdout).expect("json");
    let w = list.iter().find(|c| c["id"] == "workato").expect("workato is registered");
    assert_eq!(w["name"], "Workato");
    assert!(w["description"].as_str().is_some_and(|d| !d.is_empty()));

    let covered: Vec<&str> = w["coverage"]
        .as_array()
        .expect("coverage")
        .iter()
        .map(|c| {
            assert!(c["source"].as_str().is_some_and(|s| !s.is_empty()), "{c}");
            c["field"].as_str().expect("field")
        })
        .collect();
    for field in ["id", "email", "name", "status", "last_visit_at", "roles", "license_types"] {
        assert!(covered.contains(&field), "{field} in {covered:?}");
    }

    let field = |name: &str| {
        w["credential_fields"]
            .as_array()
            .expect("credential_fields")
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("no credential field {name}"))
            .clone()
    };
    let token = field("api_token");
    assert_eq!(token["secret"], true);
    assert_eq!(token["required"], true);
    assert!(token["title"].is_string());
    let dc = field("data_center");
    assert_eq!(dc["secret"], false);
    assert_eq!(dc["required"], true);
    let base = field("base_url");
    assert_eq!(base["secret"], false);
    assert_eq!(base["required"], false);
    assert_eq!(base["only_when"], serde_json::json!({"data_center": "custom"}));

    let text = roster(&["connectors"]).await;
    text.expect_code(0);
    assert!(text.stdout.lines().any(|l| l.starts_with("workato  Workato")), "{}", text.stdout);
    assert!(text.stdout.contains("api_token"));
}

#[tokio::test(flavor = "multi_thread")]
async fn schema_workato_is_a_self_contained_draft_07_schema() {
    let run = roster(&["schema", "workato"]).await;
    run.expect_code(0);
    assert!(!run.stdout.contains("$ref"), "{}", run.stdout);
    let schema: Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["type"], "object");
    let props = schema["properties"].as_object().expect("properties");
    for key in ["data_center", "api_token"] {
        assert!(props.contains_key(key), "{key}");
    }
    assert!(schema["then"]["properties"]["base_url"].is_object(), "base_url shows only with custom");
    assert_eq!(props["api_token"]["writeOnly"], true);
    let required: Vec<&str> =
        schema["required"].as_array().expect("required").iter().filter_map(Value::as_str).collect();
    assert!(required.contains(&"api_token") && required.contains(&"data_center"));

    let ui = roster(&["schema", "workato", "--ui"]).await;
    ui.expect_code(0);
    assert!(!ui.stdout.contains("$ref"));
    let ui: Value = serde_json::from_str(&ui.stdout).expect("json");
    assert_eq!(ui["schema"], schema);
    assert_eq!(ui["uiSchema"]["api_token"]["ui:widget"], "password");
}

#[tokio::test(flavor = "multi_thread")]
async fn schema_of_an_unknown_connector_cannot_run() {
    let run = roster(&["schema", "salesforce"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("workato"), "{}", run.stderr);
}
