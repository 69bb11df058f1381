//! `kill -9` of the runner in the middle of a sync and in the middle of the
//! store commit: the store opens cleanly afterwards, `roster users` shows the
//! previous snapshot byte for byte, the killed run is recorded as
//! interrupted, and the next sync works.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use roster_store::PAUSE_BEFORE_COMMIT_ENV;
use roster_workato_sim::{FIRST_MEMBER_ID, Fault, Workspace};
use serde_json::Value;

use crate::support::{Harness, assert_matches_sim, token_var};

const MEMBERS: usize = 700;

/// A synced account whose simulator data then changed (ten members gone,
/// one renamed), so that anything the killed sync wrote would show.
async fn synced_then_changed() -> (Harness, Workspace, String) {
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", MEMBERS, 97);
    h.sync(&[]).await.expect_code(0);
    let before = h.users_jsonl_text().await;
    for id in FIRST_MEMBER_ID..FIRST_MEMBER_ID + 10 {
        assert!(ws.remove_member(id));
    }
    assert!(ws.update_member(FIRST_MEMBER_ID + 20, |m| m["name"] = Value::from("Renamed Before The Kill")));
    (h, ws, before)
}

/// Starts `roster -v sync` for `acme` with its stderr going to `log`.
fn start_sync(h: &Harness, ws: &Workspace, log: &Path, extra_env: &[(&str, &str)]) -> std::process::Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_roster"));
    cmd.arg("-v")
        .args(["sync", "--config"])
        .arg(h.config())
        .arg("--store")
        .arg(h.store())
        .env_clear()
        .env(token_var("acme"), ws.token())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(std::fs::File::create(log).expect("log file")));
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("start roster")
}

/// Polls until `ready` holds, failing after a minute.
async fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(started.elapsed() < Duration::from_secs(60), "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// SIGKILL, after checking the child is still running.
fn kill_9(child: &mut std::process::Child, log: &Path) {
    let log = || std::fs::read_to_string(log).unwrap_or_default();
    assert!(child.try_wait().expect("try_wait").is_none(), "roster ended before the kill:\n{}", log());
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("wait");
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(9), "{}", log());
}

/// What must hold after the kill: the store opens, the snapshot is the
/// previous one, the run is recorded as interrupted, and the next sync works.
async fn after_the_kill(h: &Harness, ws: &Workspace, before: &str) {
    assert_eq!(h.users_jsonl_text().await, before, "the snapshot changed");
    let report = h.roster_in("report", &["--format", "json"]).await;
    report.expect_code(0);
    let report: Value = serde_json::from_str(&report.stdout).expect("report json");
    assert_eq!(report[0]["last_sync"]["outcome"], "interrupted", "{report}");
    assert_eq!(report[0]["users"]["active"], MEMBERS as u64);

    ws.clear_faults();
    let run = h.sync(&[]).await;
    run.expect_code(0);
    assert_eq!(run.outcome("acme"), "ok");
    let users = h.users().await;
    assert_matches_sim("acme", &users, ws);
    assert_eq!(users.iter().filter(|u| u["status"] == "removed").count(), 10);
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_while_the_members_body_is_being_served_keeps_the_previous_snapshot() {
    let (h, ws, before) = synced_then_changed().await;
    // The first chunk (256 members, two staged batches) arrives at once, the
    // next ones ten minutes apart.
    ws.push_fault(Fault::SlowBody(Duration::from_secs(600)), 1, Some("/api/members"));
    let log = h.scratch("sync.log");
    let mut child = start_sync(&h, &ws, &log, &[]);
    wait_until("the members list is being served", || ws.stats().faults == 1).await;
    // Let the first chunk reach the runner and its users reach the store's
    // staging area.
    tokio::time::sleep(Duration::from_millis(500)).await;
    kill_9(&mut child, &log);
    after_the_kill(&h, &ws, &before).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_during_the_store_commit_keeps_the_previous_snapshot() {
    let (h, ws, before) = synced_then_changed().await;
    let log = h.scratch("sync.log");
    // The store's test hook sleeps inside the commit transaction, after every
    // change of the sync was written and before COMMIT, and says so.
    let mut child = start_sync(&h, &ws, &log, &[(PAUSE_BEFORE_COMMIT_ENV, "120000")]);
    wait_until("the commit is paused before COMMIT", || {
        std::fs::read_to_string(&log).is_ok_and(|l| l.contains("pausing inside the commit transaction"))
    })
    .await;
    assert_eq!(ws.stats().by_path.get("/api/members"), Some(&2), "the sync read the members list");
    kill_9(&mut child, &log);
    after_the_kill(&h, &ws, &before).await;
}
