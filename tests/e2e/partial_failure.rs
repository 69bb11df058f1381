//! Several accounts at once: failures stay with their account.

use roster_workato_sim::Fault;

use crate::support::{Harness, assert_matches_sim};

#[tokio::test(flavor = "multi_thread")]
async fn failing_accounts_fail_alone_and_the_others_sync_exactly() {
    let mut h = Harness::new().await;
    let alpha = h.add_account("alpha", 30, 1);
    let bravo = h.add_account("bravo", 45, 2);
    // Two 503s, then answers: within the retry budget of 3 attempts.
    let flaky = h.add_account("flaky", 25, 3);
    flaky.push_fault(Fault::Status(503), 2, None);
    // A token the simulator does not know.
    h.add_account("badtoken", 10, 4);
    h.set_token("badtoken", "wrkaus-not-a-known-token-0000");
    // Every request fails with 500.
    let broken = h.add_account("broken", 10, 5);
    broken.push_fault(Fault::Status(500), 10_000, None);

    let run = h.sync(&[]).await;
    run.expect_code(1);
    for ok in ["alpha", "bravo", "flaky"] {
        assert_eq!(run.outcome(ok), "ok", "{}", run.stdout);
    }
    assert_eq!(run.outcome("badtoken"), "failed");
    assert_eq!(run.outcome("broken"), "failed");
    assert_eq!(run.summary_row("badtoken").last().map(String::as_str), Some("invalid_credentials"));
    assert_eq!(run.summary_row("broken").last().map(String::as_str), Some("transient"));
    assert!(flaky.stats().faults >= 2, "the 503s were served: {:?}", flaky.stats());

    // Each failed account has its message and a remediation line.
    for failed in ["badtoken", "broken"] {
        let lines: Vec<&str> = run.stdout.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("{failed} (failed): ")))
            .unwrap_or_else(|| panic!("no message for {failed}:\n{}", run.stdout));
        let fix = lines.get(at + 1).copied().unwrap_or_default();
        assert!(
            fix.trim_start().starts_with("fix: ") && fix.trim().len() > "fix: ".len(),
            "no remediation for {failed}:\n{}",
            run.stdout
        );
    }
    assert!(run.stdout.contains("5 accounts: 3 ok, 0 degraded, 2 failed"), "{}", run.stdout);

    let users = h.users().await;
    assert_matches_sim("alpha", &users, &alpha);
    assert_matches_sim("bravo", &users, &bravo);
    assert_matches_sim("flaky", &users, &flaky);
    for failed in ["badtoken", "broken"] {
        assert!(!users.iter().any(|u| u["account"] == failed), "{failed} has users");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_that_hangs_is_cut_off_by_its_timeout_and_the_others_sync() {
    let mut h = Harness::new().await;
    let fast = h.add_account("fast", 12, 8);
    let slow = h.add_account("slow", 12, 9);
    slow.update_settings(|s| s.latency = std::time::Duration::from_secs(600));
    h.write_account("slow", &format!("timeout_secs = 1\n{}", h.account_toml(crate::support::FAST_SETTINGS)));

    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert_eq!(run.outcome("fast"), "ok");
    assert_eq!(run.outcome("slow"), "failed");
    assert_eq!(run.summary_row("slow").last().map(String::as_str), Some("transient"));
    assert!(run.stdout.contains("did not finish within 1s"), "{}", run.stdout);
    assert!(run.stdout.contains("fix: raise timeout_secs"), "{}", run.stdout);
    let users = h.users().await;
    assert_matches_sim("fast", &users, &fast);
    assert!(!users.iter().any(|u| u["account"] == "slow"));
}
