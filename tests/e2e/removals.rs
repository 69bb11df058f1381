//! Users who disappear from the app are kept, marked removed.

use roster_workato_sim::FIRST_MEMBER_ID;

use crate::support::{Harness, assert_matches_sim};

#[tokio::test(flavor = "multi_thread")]
async fn a_member_gone_from_the_app_is_marked_removed_and_the_rest_is_unchanged() {
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", 20, 7);
    h.sync(&[]).await.expect_code(0);
    let before = h.users_of("acme").await;
    assert_eq!(before.len(), 20);

    let gone = FIRST_MEMBER_ID + 5;
    assert!(ws.remove_member(gone));
    let run = h.sync(&[]).await;
    run.expect_code(0);
    assert_eq!(run.outcome("acme"), "ok");

    let after = h.users_of("acme").await;
    assert_eq!(after.len(), 20, "removed users are kept");
    let gone = gone.to_string();
    let removed = &after[&gone];
    assert_eq!(removed["status"], "removed");
    assert!(removed["removed_at"].as_str().is_some_and(|t| t.ends_with('Z')), "removed_at is set: {removed}");
    assert_eq!(removed["first_seen_at"], before[&gone]["first_seen_at"]);
    assert_eq!(removed["email"], before[&gone]["email"]);
    for (id, user) in &after {
        if *id != gone {
            assert_eq!(user, &before[id], "user {id} changed");
            assert!(user["removed_at"].is_null());
        }
    }
    assert_matches_sim("acme", &h.users().await, &ws);
}

#[tokio::test(flavor = "multi_thread")]
async fn prune_removes_a_deleted_accounts_data_and_only_once_its_file_is_gone() {
    let mut h = Harness::new().await;
    h.add_account("gone", 5, 3);
    h.add_account("kept", 4, 4);
    h.sync(&[]).await.expect_code(0);
    h.sync(&[]).await.expect_code(0);

    // Its file still there: refused, named, nothing removed.
    let run = h.roster_in("prune", &["--account", "gone"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("account `gone` still has its file"), "{}", run.stderr);
    assert_eq!(h.users_of("gone").await.len(), 5);

    std::fs::remove_file(h.config().join("accounts").join("gone.toml")).unwrap();
    let run = h.roster_in("prune", &["--account", "gone"]).await;
    run.expect_code(0);
    assert!(run.stdout.contains("pruned gone: 2 syncs, 5 users"), "{}", run.stdout);
    assert!(h.users_of("gone").await.is_empty());
    assert_eq!(h.users_of("kept").await.len(), 4);
    let report = h.roster_in("report", &["--format", "json"]).await;
    assert!(!report.stdout.contains("\"gone\""), "{}", report.stdout);

    // Again: nothing left to prune, and it says so.
    let run = h.roster_in("prune", &["--account", "gone"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("no account named `gone` in the store"), "{}", run.stderr);
}
