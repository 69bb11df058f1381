//! The HTTP settings every connector flattens into its own: their form, snapshotted once
//! here (connectors' settings snapshots leave these fields out).

use roster_core::schema::for_type;
use roster_http::HttpSettings;

#[test]
fn http_settings_form_snapshot() {
    insta::assert_json_snapshot!("http_settings", for_type::<HttpSettings>());
}

#[test]
fn every_field_has_a_default_a_range_and_words() {
    let schema = for_type::<HttpSettings>();
    for (name, field) in schema["properties"].as_object().expect("properties") {
        assert!(field["default"].is_number(), "{name}");
        assert!(field["maximum"].is_number(), "{name}");
        assert!(field["title"].is_string() && field["description"].is_string(), "{name}");
    }
    assert_eq!(schema["additionalProperties"], false);
}
