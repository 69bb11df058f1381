//! The setup form: titled fields, a labelled cloud dropdown, a password field for the
//! secret, and `base_url` only with the custom cloud.

use roster_core::{Connector, ConnectorDescriptor};
use roster_zoom::Zoom;
use serde_json::{Value, json};

fn schema() -> Value {
    (ConnectorDescriptor::of::<Zoom>().credentials_schema)()
}

#[test]
fn credentials_schema() {
    insta::assert_json_snapshot!(schema());
}

#[test]
fn settings_schema() {
    insta::assert_json_snapshot!(roster_testkit::own_settings(
        (ConnectorDescriptor::of::<Zoom>().settings_schema)()
    ));
}

#[test]
fn fields_are_named_titled_and_the_secret_is_a_password() {
    let s = schema();
    let props = s["properties"].as_object().expect("properties");
    let names: Vec<&str> = props.keys().map(String::as_str).collect();
    assert_eq!(names, ["account_id", "client_id", "client_secret", "cloud"]);
    for (name, p) in props {
        assert!(p["title"].is_string() && p["description"].is_string(), "{name}: {p}");
    }
    assert_eq!(props["client_secret"]["format"], "password");
    assert_eq!(props["client_secret"]["writeOnly"], true);
    let clouds: Vec<(Value, Value)> = props["cloud"]["oneOf"]
        .as_array()
        .expect("oneOf")
        .iter()
        .map(|o| (o["const"].clone(), o["title"].clone()))
        .collect();
    assert_eq!(
        clouds,
        [
            (json!("zoom"), json!("Zoom (zoom.us)")),
            (json!("zoomgov"), json!("Zoom for Government (zoomgov.com)")),
            (json!("custom"), json!("Custom URL")),
        ]
    );
    assert_eq!(s["if"]["properties"]["cloud"]["const"], "custom");
    assert_eq!(s["then"]["required"], json!(["base_url"]));
    let base_url = &s["then"]["properties"]["base_url"];
    assert!(base_url["title"].is_string() && base_url["description"].is_string(), "{base_url}");
    assert_eq!(s["else"], json!({"not": {"required": ["base_url"]}}));
    assert_eq!(s["required"], json!(["account_id", "client_id", "client_secret", "cloud"]));
    assert_eq!(<Zoom as Connector>::ID, "zoom");
}
