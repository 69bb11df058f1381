//! The shrink guardrail: a sync that loses too many users marks nobody
//! removed until the shrink is accepted.

use serde_json::Value;

use crate::support::Harness;

fn count(users: &[Value], status: &str) -> usize {
    users.iter().filter(|u| u["status"] == status).count()
}

#[tokio::test(flavor = "multi_thread")]
async fn losing_most_users_is_degraded_until_accepted() {
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", 100, 11);
    h.sync(&[]).await.expect_code(0);
    assert_eq!(count(&h.users().await, "active"), 100);

    ws.set_member_count(40);
    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert_eq!(run.outcome("acme"), "degraded");
    assert!(run.stdout.contains("--accept-shrink"), "{}", run.stdout);
    let users = h.users().await;
    assert_eq!(count(&users, "removed"), 0, "nobody is marked removed");
    assert_eq!(count(&users, "active"), 100);

    let run = h.sync(&["--accept-shrink"]).await;
    run.expect_code(0);
    assert_eq!(run.outcome("acme"), "ok");
    let users = h.users().await;
    assert_eq!(count(&users, "active"), 40);
    assert_eq!(count(&users, "removed"), 60);
    assert!(users.iter().filter(|u| u["status"] == "removed").all(|u| u["removed_at"].is_string()));
}

#[tokio::test(flavor = "multi_thread")]
async fn zero_users_after_having_users_is_degraded() {
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", 12, 12);
    h.sync(&[]).await.expect_code(0);

    ws.set_member_count(0);
    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert_eq!(run.outcome("acme"), "degraded");
    let users = h.users().await;
    assert_eq!(count(&users, "active"), 12);
    assert_eq!(count(&users, "removed"), 0);

    let report = h.roster_in("report", &["--format", "json"]).await;
    report.expect_code(0);
    let report: Value = serde_json::from_str(&report.stdout).expect("report json");
    assert_eq!(report[0]["last_sync"]["outcome"], "degraded");

    h.sync(&["--accept-shrink"]).await.expect_code(0);
    let users = h.users().await;
    assert_eq!(count(&users, "removed"), 12);
}

#[tokio::test(flavor = "multi_thread")]
async fn max_shrink_fraction_from_roster_toml_is_honoured() {
    let mut h = Harness::new().await;
    h.write_runner("max_shrink_fraction = 0.1\n");
    let ws = h.add_account("acme", 20, 13);
    h.sync(&[]).await.expect_code(0);
    // 3 of 20 is 15%: fine by the default 50%, too many by 10%.
    ws.set_member_count(17);
    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert_eq!(run.outcome("acme"), "degraded");
    assert_eq!(count(&h.users().await, "removed"), 0);
}
