//! The setup form: the key is a secret JSON document (a file or a paste), customer_id
//! defaults to my_customer, base_url is optional; and the settings' own fields.

use roster_core::ConnectorDescriptor;
use roster_google_workspace::GoogleWorkspace;
use serde_json::json;

#[test]
fn settings_schema() {
    insta::assert_json_snapshot!(roster_testkit::own_settings((ConnectorDescriptor::of::<GoogleWorkspace>(
    )
    .settings_schema)()));
}

#[test]
fn the_key_is_a_secret_json_document_and_the_scopes_are_listed() {
    let s = (ConnectorDescriptor::of::<GoogleWorkspace>().credentials_schema)();
    let key = &s["properties"]["service_account_key"];
    assert_eq!((key["format"].clone(), key["writeOnly"].clone()), (json!("password"), json!(true)));
    assert_eq!(key["contentMediaType"], "application/json");
    assert_eq!(s["required"], json!(["service_account_key", "admin_email", "domain"]));
    assert_eq!(s["properties"]["customer_id"]["default"], "my_customer");
    let description = s["description"].as_str().unwrap_or_default();
    for scope in
        ["admin.directory.user.readonly", "admin.directory.rolemanagement.readonly", "apps.licensing"]
    {
        assert!(description.contains(&format!("https://www.googleapis.com/auth/{scope}")), "{scope}");
    }
}
