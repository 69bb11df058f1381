//! The Account page's history chart in headless Chromium: the real `roster` binary
//! syncs a Workato simulator four times (members join, then leave), then the page
//! draws the server's inline SVG with a marker per committed sync, its legend and
//! colours from the style sheet, and a sync's events one click away. See
//! `web/test/history.test.mjs`; its screenshots go beside the flow test's, in
//! `target/tmp/screenshots`.

use roster_workato_sim::{Simulator, WorkspaceSpec};

use super::serve_setup::{start_serve, synced, workato_account};
use super::support::{node_test, screenshots, web};

/// Members after each sync: some join, then some leave.
const MEMBERS: [usize; 4] = [30, 36, 36, 33];

#[tokio::test(flavor = "multi_thread")]
async fn the_history_chart_renders_in_headless_chromium() {
    let Some(web) = web() else { return };
    let sim = Simulator::start().await.expect("start the simulator");
    let workspace = sim.add_workspace(WorkspaceSpec::generated(1, MEMBERS[0], 13));
    let dir = tempfile::tempdir().expect("temp dir");
    let config = workato_account(dir.path(), &sim.base_url(), &workspace.token(), false);
    let store = dir.path().join("roster.db");
    for n in MEMBERS {
        workspace.set_member_count(n);
        synced(&config, &store);
    }
    let (_serve, _lines, url) = start_serve(&config, &store, &[]).await;
    node_test(
        &web,
        "test/history.test.mjs",
        &[
            ("ROSTER_URL", url),
            ("ACCOUNT", "acme".to_owned()),
            ("SYNCS", MEMBERS.len().to_string()),
            ("SCREENSHOTS", screenshots().display().to_string()),
        ],
    )
    .await;
    sim.shutdown();
}
