//! The setup form: the issue's field names, titled and described, a labelled cloud
//! dropdown, a password field for the secret, base_url only with the custom cloud, and a
//! form description that says which permissions to grant.

use roster_core::{Connector, ConnectorDescriptor};
use roster_microsoft365::Microsoft365;
use serde_json::{Value, json};

/// The settings form without the shared HTTP fields. (The credentials form is
/// snapshotted with every connector's in `crates/roster/tests/forms.rs`.)
#[test]
fn settings_schema() {
    let settings = (ConnectorDescriptor::of::<Microsoft365>().settings_schema)();
    insta::assert_json_snapshot!(roster_testkit::own_settings(settings));
}

fn schema() -> Value {
    (ConnectorDescriptor::of::<Microsoft365>().credentials_schema)()
}

#[test]
fn the_form_is_the_issues_contract() {
    let s = schema();
    let props = s["properties"].as_object().expect("properties");
    assert_eq!(props.keys().collect::<Vec<_>>(), ["tenant_id", "client_id", "client_secret", "cloud"]);
    assert_eq!(
        (&props["client_secret"]["format"], &props["client_secret"]["writeOnly"]),
        (&json!("password"), &json!(true))
    );
    let clouds: Vec<&str> = props["cloud"]["oneOf"]
        .as_array()
        .expect("oneOf")
        .iter()
        .filter_map(|o| o["const"].as_str())
        .collect();
    assert_eq!(clouds, ["global", "us_gov", "us_gov_dod", "china", "custom"]);
    let titles = props["cloud"]["oneOf"].to_string();
    for host in [
        "graph.microsoft.us",
        "dod-graph.microsoft.us",
        "microsoftgraph.chinacloudapi.cn",
        "login.microsoftonline.com",
    ] {
        assert!(titles.contains(host), "{host}");
    }
    assert_eq!(
        (&s["if"]["properties"]["cloud"]["const"], &s["then"]["required"]),
        (&json!("custom"), &json!(["base_url"]))
    );
    let description = s["description"].as_str().unwrap_or_default();
    for permission in ["User.Read.All", "Directory.Read.All", "AuditLog.Read.All"] {
        assert!(description.contains(permission), "{permission}");
    }
    assert_eq!(<Microsoft365 as Connector>::ID, "microsoft365");
}
