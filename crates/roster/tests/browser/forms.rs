//! Every registered connector's form in the real @rjsf/core with
//! @rjsf/validator-ajv8: labels, dropdown options, password inputs, required
//! markers, the conditional base URL, a filled-in form that validates and an
//! empty or malformed one that shows errors; and the schema under AJV's
//! strict mode. See `web/test/forms.test.mjs`.

use std::process::Command;

use super::support::{node_test, web};

#[tokio::test(flavor = "multi_thread")]
async fn rjsf_renders_every_connector_form_in_headless_chromium() {
    let Some(web) = web() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["schema", "--all", "--out"])
        .arg(dir.path())
        .output()
        .expect("run roster schema --all");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report =
        node_test(&web, "test/forms.test.mjs", &[("ROSTER_FORMS_DIR", dir.path().display().to_string())])
            .await;
    for id in roster_connectors::registry().expect("registry").ids() {
        assert!(report.contains(id), "no browser test ran for {id}:\n{report}");
    }
}
