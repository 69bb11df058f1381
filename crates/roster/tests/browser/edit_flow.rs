//! Editing and deleting an account in headless Chromium against the Workato
//! simulator: Edit shows the form filled in with the token blank, a new base
//! URL is saved with the token kept, then Delete removes the files and the
//! Accounts list shows the account deleted with its history kept. See
//! `web/test/edit.test.mjs`.

use roster_workato_sim::{Simulator, WorkspaceSpec};

use super::serve_setup::start_serve;
use super::support::{node_test, roster_sync, screenshots, web};

const ACCOUNT: &str = "acme-edit";

#[tokio::test(flavor = "multi_thread")]
async fn serve_edits_and_deletes_an_account_in_headless_chromium() {
    let Some(web) = web() else { return };
    let sim = Simulator::start().await.expect("start the simulator");
    let workspace = sim.add_workspace(WorkspaceSpec::generated(3, 25, 7));
    let token = workspace.token();
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config");
    let store = dir.path().join("roster.db");
    for (folder, text) in [
        (
            "accounts",
            format!(
                "connector = \"workato\"\n\n[credentials]\ndata_center = \"custom\"\nbase_url = \"{}\"\n",
                sim.base_url()
            ),
        ),
        ("secrets", format!("[credentials]\napi_token = \"{token}\"\n")),
    ] {
        std::fs::create_dir_all(config.join(folder)).expect("config folder");
        std::fs::write(config.join(folder).join(format!("{ACCOUNT}.toml")), text).expect("config file");
    }
    roster_sync(&config, &store);
    let (_serve, _lines, url) = start_serve(&config, &store, &[]).await;

    node_test(
        &web,
        "test/edit.test.mjs",
        &[
            ("ROSTER_URL", url),
            ("SIM_URL", sim.base_url()),
            ("SIM_TOKEN", token),
            ("ACCOUNT", ACCOUNT.to_owned()),
            ("CONFIG", config.display().to_string()),
            ("SCREENSHOTS", screenshots().display().to_string()),
        ],
    )
    .await;
    assert!(!config.join("accounts").join(format!("{ACCOUNT}.toml")).exists(), "the account file is removed");
    sim.shutdown();
}
