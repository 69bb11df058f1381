//! The setup form: the credentials' and settings' JSON Schemas, snapshotted,
//! plus the properties form renderers rely on.

use roster_core::schema::for_type;
use roster_workato::{WorkatoCredentials, WorkatoSettings};
use serde_json::{Value, json};

fn credentials() -> Value {
    for_type::<WorkatoCredentials>()
}

fn settings() -> Value {
    for_type::<WorkatoSettings>()
}

#[test]
fn credentials_schema_snapshot() {
    insta::assert_json_snapshot!("credentials_schema", credentials());
}

#[test]
fn settings_schema_snapshot() {
    insta::assert_json_snapshot!("settings_schema", roster_testkit::own_settings(settings()));
}

#[test]
fn data_centers_are_one_of_in_form_order_with_host_titles() {
    let schema = credentials();
    let options = schema["properties"]["data_center"]["oneOf"].as_array().expect("data_center is a oneOf");
    let ids: Vec<&str> =
        options.iter().map(|o| o["const"].as_str().expect("each option is a const")).collect();
    assert_eq!(ids, ["us", "eu", "jp", "sg", "au", "il", "sandbox", "kr", "cn", "uk", "custom"]);
    let title = |id: &str| {
        options
            .iter()
            .find(|o| o["const"] == id)
            .and_then(|o| o["title"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(title("eu"), "EU (app.eu.workato.com)");
    assert_eq!(title("us"), "US (www.workato.com or app.workato.com)");
    assert_eq!(title("cn"), "CN (app.workatoapp.cn)");
    assert_eq!(title("sandbox"), "Developer Sandbox (app.trial.workato.com)");
    assert_eq!(title("custom"), "Virtual Private Workato (custom URL)");
    for o in options {
        assert!(o["description"].is_string(), "{o}");
        assert_eq!(o["type"], "string", "{o}");
    }
}

#[test]
fn the_api_token_is_a_write_only_password() {
    let token = &credentials()["properties"]["api_token"];
    assert_eq!(token["type"], "string");
    assert_eq!(token["format"], "password");
    assert_eq!(token["writeOnly"], true);
}

#[test]
fn schemas_are_draft_07_without_refs() {
    for schema in [credentials(), settings()] {
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        let text = schema.to_string();
        assert!(!text.contains("$ref"), "{text}");
        assert!(!text.contains("\"null\""), "{text}");
        assert_eq!(schema["type"], "object");
    }
    assert_eq!(settings()["additionalProperties"], false);
}

#[test]
fn base_url_is_shown_and_required_with_custom_and_refused_otherwise() {
    let schema = credentials();
    assert_eq!(
        schema["if"],
        json!({"properties": {"data_center": {"const": "custom"}}, "required": ["data_center"]})
    );
    assert_eq!(schema["then"]["required"], json!(["base_url"]));
    assert_eq!(schema["else"], json!({"not": {"required": ["base_url"]}}));
    assert_eq!(schema["required"], json!(["data_center", "api_token"]));
    assert!(schema["properties"].get("base_url").is_none(), "renderers would always show it");
    assert_eq!(schema["propertyNames"], json!({"enum": ["data_center", "base_url", "api_token"]}));
    let base_url = &schema["then"]["properties"]["base_url"];
    assert_eq!(base_url["type"], "string");
    assert_eq!(base_url["format"], "uri");
}

#[test]
fn settings_are_all_optional_with_defaults_and_ranges() {
    let schema = settings();
    assert!(schema.get("required").is_none_or(|r| r == &json!([])), "{schema}");
    let props = schema["properties"].as_object().unwrap();
    let keys: Vec<&str> = props.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "exact_last_login",
            "audit_log_window_days",
            "requests_per_minute",
            "request_timeout_secs",
            "max_attempts",
            "retry_base_delay_ms"
        ]
    );
    assert_eq!(props["exact_last_login"]["default"], false);
    assert_eq!(props["requests_per_minute"]["default"], 60);
    assert_eq!(props["max_attempts"]["minimum"], 1);
    assert_eq!(props["audit_log_window_days"]["maximum"], 366);
    for (key, p) in props {
        assert!(p["title"].is_string(), "{key} has no title");
    }
}
