//! The whole `roster serve` flow in headless Chromium against the Workato
//! simulator: connect an account (a wrong token first), test the connection,
//! save, sync now, see the green check, open the users and filter the
//! inactive ones. See `web/test/flow.test.mjs`; its screenshots stay in
//! `target/tmp/screenshots`.

use std::path::Path;

use roster_workato_sim::{Simulator, WorkspaceSpec};
use tokio::io::AsyncReadExt;

use super::serve_setup::start_serve;
use super::support::{node_test, screenshots, web};

const ACCOUNT: &str = "acme-workato";

#[tokio::test(flavor = "multi_thread")]
async fn serve_connects_tests_saves_syncs_and_filters_in_headless_chromium() {
    let Some(web) = web() else { return };
    let sim = Simulator::start().await.expect("start the simulator");
    let mut spec = WorkspaceSpec::generated(1, 120, 11);
    spec.name = "Acme Automation (simulated)".into();
    let workspace = sim.add_workspace(spec);
    let token = workspace.token();

    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("accounts")).expect("accounts dir");
    let store = dir.path().join("roster.db");
    let (mut serve, mut lines, url) = start_serve(&config, &store, &[]).await;

    node_test(
        &web,
        "test/flow.test.mjs",
        &[
            ("ROSTER_URL", url),
            ("SIM_URL", sim.base_url()),
            ("SIM_TOKEN", token.clone()),
            ("ACCOUNT", ACCOUNT.to_owned()),
            ("SCREENSHOTS", screenshots().display().to_string()),
        ],
    )
    .await;

    serve.start_kill().expect("stop roster serve");
    let mut rest = String::new();
    while let Ok(Some(line)) = lines.next_line().await {
        rest.push_str(&line);
    }
    let mut stderr = String::new();
    if let Some(mut e) = serve.stderr.take() {
        let _ = e.read_to_string(&mut stderr).await;
    }
    assert!(!rest.contains(&token) && !stderr.contains(&token), "roster serve printed the token");
    files_keep_the_secret_apart(&config, &token);
    sim.shutdown();
}

/// The account file has no secret; the secrets file has it, for its owner only.
fn files_keep_the_secret_apart(config: &Path, token: &str) {
    let account = std::fs::read_to_string(config.join("accounts").join(format!("{ACCOUNT}.toml")))
        .expect("account file");
    assert!(!account.contains(token), "the account file holds the token:\n{account}");
    assert!(
        account.contains("connector = \"workato\"") && account.contains("data_center = \"custom\""),
        "{account}"
    );
    let secrets_path = config.join("secrets").join(format!("{ACCOUNT}.toml"));
    let secrets = std::fs::read_to_string(&secrets_path).expect("secrets file");
    assert!(secrets.contains(token), "the secrets file lacks the token");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secrets_path).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "secrets file mode {mode:o}");
    }
}
