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
