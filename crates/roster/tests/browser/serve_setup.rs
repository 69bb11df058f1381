//! What the `roster serve` tests set up: the server itself, whether a connector has an
//! action (as `roster actions --json` lists it), a Workato account on the simulator, and
//! `roster sync`. Shared with the `tests/*.rs` that include this file. The Workato and Zoom actions are built on
//! another branch; the tests that apply one skip, saying so, until they are merged.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout};

/// Whether `connector` has `action`; when not, a note says which test part is skipped.
pub fn connector_has(connector: &str, action: &str) -> bool {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["actions", "--json", "--config"])
        .arg(dir.path())
        .output()
        .expect("run roster actions");
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("roster actions --json");
    let has = listed["connectors"].as_array().into_iter().flatten().any(|c| {
        c["id"] == connector && c["actions"].as_array().into_iter().flatten().any(|a| a["id"] == action)
    });
    if !has {
        eprintln!(
            "note: skipping what applies {action}: the {connector} connector has no {action} yet (it comes with the connector actions branch)"
        );
    }
    has
}

/// A config directory with one Workato account (`acme`) on `sim`, allowing remove_user
/// when the connector has it.
pub fn workato_account(
    dir: &std::path::Path,
    base_url: &str,
    token: &str,
    allow: bool,
) -> std::path::PathBuf {
    let config = dir.join("config");
    std::fs::create_dir_all(config.join("accounts")).expect("accounts dir");
    let actions = if allow { "\n[actions]\nallow = [\"remove_user\"]\n" } else { "" };
    std::fs::write(
        config.join("accounts/acme.toml"),
        format!("connector = \"workato\"\n\n[credentials]\ndata_center = \"custom\"\nbase_url = \"{base_url}\"\napi_token = \"{token}\"\n{actions}"),
    )
    .expect("account file");
    config
}

/// `roster sync` of the config directory into `store`, as a user runs it.
#[allow(dead_code, reason = "tests/serve.rs syncs through the web UI instead")]
pub fn roster_sync(config: &Path, store: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["sync", "--config"])
        .arg(config)
        .arg("--store")
        .arg(store)
        .output()
        .expect("run roster sync")
}

/// [`roster_sync`], which must succeed.
#[allow(dead_code, reason = "tests/serve.rs syncs through the web UI instead")]
pub fn synced(config: &Path, store: &Path) {
    let out = roster_sync(config, store);
    assert!(out.status.success(), "roster sync: {}", String::from_utf8_lossy(&out.stderr));
}

/// `roster serve` on a free loopback port over `config` and `store` (with `extra`
/// arguments), with the rest of its output and the URL it listens on.
pub async fn start_serve(
    config: &Path,
    store: &Path,
    extra: &[&str],
) -> (Child, Lines<BufReader<ChildStdout>>, String) {
    start_serve_with_env(config, store, extra, &[]).await
}

/// [`start_serve`] with environment variables `env` set for it.
pub async fn start_serve_with_env(
    config: &Path,
    store: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (Child, Lines<BufReader<ChildStdout>>, String) {
    let mut serve = tokio::process::Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(config)
        .arg("--store")
        .arg(store)
        .args(extra)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start roster serve");
    let mut lines = BufReader::new(serve.stdout.take().expect("stdout")).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("roster serve said nothing within 30s")
        .expect("read stdout")
        .expect("roster serve exited");
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no url in {first:?}"))
        .trim_end_matches('/')
        .to_owned();
    (serve, lines, url)
}
