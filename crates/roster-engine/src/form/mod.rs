//! A connector's setup form for react-jsonschema-form: its credentials JSON
//! Schema, a `uiSchema` and the `Form` props the schema alone cannot say.
//! `roster schema --ui` prints it and `roster serve` renders it.

mod ui_schema;

use roster_core::ConnectorDescriptor;
use serde_json::{Value, json};

pub use ui_schema::ui_schema;

/// `{"schema", "uiSchema", "formProps"}` of a connector's credentials form.
pub fn of(d: &ConnectorDescriptor) -> Value {
    let schema = (d.credentials_schema)();
    let ui = ui_schema(&schema);
    json!({"schema": schema, "uiSchema": ui, "formProps": form_props()})
}

/// The react-jsonschema-form `Form` props every Roster form needs:
///
/// * `constAsDefaults: "skipOneOf"`: rjsf otherwise preselects the first
///   option of every `oneOf` dropdown. No Roster choice has a safe first
///   option (a wrong data center or cloud fails every request), so a choice
///   is preselected only when its schema has a `default`, and otherwise shows
///   its placeholder until the person picks one.
/// * `omitExtraData` + `liveOmit`: a field hidden again (the base URL after
///   switching away from `custom`) leaves the form data, so the `else` branch
///   that refuses it never shows an error about a field nobody can see.
pub fn form_props() -> Value {
    json!({
        "experimental_defaultFormStateBehavior": {"constAsDefaults": "skipOneOf"},
        "omitExtraData": true,
        "liveOmit": "onChange",
    })
}
