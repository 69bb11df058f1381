//! A sync that fails leaves the last good users exactly as they were.

use roster_workato_sim::{FIRST_MEMBER_ID, Fault, Workspace};
use serde_json::Value;

use crate::support::Harness;

/// Syncs 700 members (more than one batch of staged users), then changes the
/// simulator's data so that any leak of the failed sync would show, breaks
/// the sync with `fail`, and compares `roster users` byte for byte.
async fn failed_sync_changes_nothing(fail: impl FnOnce(&Workspace), kind: Option<&str>) {
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", 700, 51);
    h.add_account("globex", 20, 52);
    h.sync(&[]).await.expect_code(0);
    let before = h.users_jsonl_text().await;
    assert_eq!(before.lines().count(), 720);

    for id in FIRST_MEMBER_ID..FIRST_MEMBER_ID + 10 {
        assert!(ws.remove_member(id));
    }
    assert!(ws.update_member(FIRST_MEMBER_ID + 20, |m| {
        m["name"] = Value::from("Renamed During The Failed Sync");
    }));
    ws.set_member_count(650);
    fail(&ws);

    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert_eq!(run.outcome("acme"), "failed");
    assert_eq!(run.outcome("globex"), "ok");
    if let Some(kind) = kind {
        assert_eq!(run.summary_row("acme").last().map(String::as_str), Some(kind));
    }
    assert_eq!(h.users_jsonl_text().await, before);

    let report = h.roster_in("report", &["--format", "json", "--account", "acme"]).await;
    let report: Vec<Value> = serde_json::from_str(&report.stdout).expect("json");
    assert_eq!(report[0]["last_sync"]["outcome"], "failed");
    assert_eq!(report[0]["users"]["active"], 700);
    assert_eq!(report[0]["users"]["removed"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_members_body_that_always_aborts_midway_changes_nothing() {
    failed_sync_changes_nothing(|ws| ws.push_fault(Fault::AbortedBody, 10_000, Some("/api/members")), None)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_members_body_that_is_always_truncated_changes_nothing() {
    failed_sync_changes_nothing(
        |ws| ws.push_fault(Fault::TruncatedJson, 10_000, Some("/api/members")),
        Some("invalid_response"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_members_list_refused_after_the_workspace_answered_changes_nothing() {
    // The workspace details answer; the members list is refused (401).
    failed_sync_changes_nothing(|ws| ws.push_fault(Fault::Unauthorized, 10_000, Some("/api/members")), None)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_token_changes_nothing() {
    failed_sync_changes_nothing(|ws| ws.revoke_token(), Some("invalid_credentials")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_file_broken_after_a_good_sync_changes_nothing() {
    let mut h = Harness::new().await;
    h.add_account("acme", 30, 53);
    h.sync(&[]).await.expect_code(0);
    let before = h.users_jsonl_text().await;

    let broken = format!("{}colour = \"blue\"\n", h.account_toml(crate::support::FAST_SETTINGS));
    h.write_account("acme", &broken);
    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert_eq!(h.users_jsonl_text().await, before);
    assert_eq!(run.outcome("acme"), "failed");
    assert_eq!(run.summary_row("acme")[1], "workato", "{}", run.stdout);
    assert_eq!(run.summary_row("acme").last().map(String::as_str), Some("config"));

    // A file that cannot even be parsed keeps the stored connector too.
    h.write_account("acme", "connector = \"workato\n");
    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert_eq!(h.users_jsonl_text().await, before);
    assert_eq!(run.summary_row("acme")[1], "workato", "{}", run.stdout);
}
