//! Actions in headless Chromium against the Workato simulator: open an account, choose
//! remove_user on a user, see the dry-run plan (nothing sent), apply, see the result and
//! the audit trail, then the Reclaim page's plan; and under `--allow-remote`, the dry run
//! and the audit still shown but Apply refused with a page that says why. See
//! `web/test/actions.test.mjs`.
//!
//! Skipped, with a note, while the Workato connector has no remove_user (its actions
//! are built on another branch).

use roster_workato_sim::{Simulator, WorkspaceSpec};

use super::serve_setup::{connector_has, start_serve, workato_account};
use super::support::{node_test, roster_sync, screenshots, web};

const MEMBERS: usize = 40;

#[tokio::test(flavor = "multi_thread")]
async fn serve_plans_applies_audits_and_reclaims_in_headless_chromium() {
    let Some(web) = web() else { return };
    if !connector_has("workato", "remove_user") {
        return;
    }
    let sim = Simulator::start().await.expect("start the simulator");
    let workspace = sim.add_workspace(WorkspaceSpec::generated(1, MEMBERS, 7));
    let dir = tempfile::tempdir().expect("temp dir");
    let config = workato_account(dir.path(), &sim.base_url(), &workspace.token(), true);
    let store = dir.path().join("roster.db");
    roster_sync(&config, &store);
    let member = workspace.members_json()[0].clone();
    let (mut serve, _lines, url) = start_serve(&config, &store, &[]).await;
    // The same config and store, served beyond loopback's protection: no Apply.
    let (mut remote, _remote_lines, remote_url) = start_serve(&config, &store, &["--allow-remote"]).await;

    node_test(
        &web,
        "test/actions.test.mjs",
        &[
            ("ROSTER_URL", url),
            ("REMOTE_URL", remote_url),
            ("ACCOUNT", "acme".to_owned()),
            ("USER_ID", member["id"].to_string()),
            ("MEMBERS", MEMBERS.to_string()),
            ("SCREENSHOTS", screenshots().display().to_string()),
        ],
    )
    .await;

    assert_eq!(workspace.member_count(), MEMBERS - 1, "exactly the one user was removed");
    serve.start_kill().expect("stop roster serve");
    remote.start_kill().expect("stop roster serve --allow-remote");
    sim.shutdown();
}
