//! `roster check <account>` against the simulator.

use serde_json::Value;

use crate::support::Harness;

#[tokio::test(flavor = "multi_thread")]
async fn check_of_a_good_account_prints_its_tenant() {
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", 5, 31);
    let config = h.config().display().to_string();

    let run = h.roster(&["check", "acme", "--config", &config]).await;
    run.expect_code(0);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("tenant id:") && l.trim_end().ends_with(&ws.id().to_string())),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(&ws.name()), "{}", run.stdout);
    assert!(run.stdout.contains("[ok] list collaborators"), "{}", run.stdout);

    let json = h.roster(&["check", "acme", "--config", &config, "--json"]).await;
    json.expect_code(0);
    let v: Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["ok"], true);
    assert_eq!(v["info"]["account"]["tenant_id"], ws.id().to_string());
    // A check reads nothing into the store and needs none.
    assert!(!h.store().exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn check_with_a_refused_token_fails_with_a_remediation() {
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", 5, 32);
    ws.revoke_token();
    let config = h.config().display().to_string();

    let run = h.roster(&["check", "acme", "--config", &config]).await;
    run.expect_code(1);
    assert!(run.stderr.contains("invalid_credentials"), "{}", run.stderr);
    assert!(run.stderr.lines().any(|l| l.starts_with("fix: ") && l.len() > "fix: ".len()), "{}", run.stderr);
    assert!(!run.all_output().contains(&ws.token()));

    let json = h.roster(&["check", "acme", "--config", &config, "--json"]).await;
    json.expect_code(1);
    let v: Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["ok"], false);
    assert_eq!(v["error_kind"], "invalid_credentials");
    assert!(v["remediation"].as_str().is_some_and(|r| !r.is_empty()));
}

#[tokio::test(flavor = "multi_thread")]
async fn check_of_an_unknown_or_broken_account_cannot_run() {
    let mut h = Harness::new().await;
    h.add_account("acme", 5, 33);
    let config = h.config().display().to_string();
    let run = h.roster(&["check", "nope", "--config", &config]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("nope.toml"), "{}", run.stderr);

    h.forget_token("acme");
    let run = h.roster(&["check", "acme", "--config", &config]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("key `credentials.api_token`"), "{}", run.stderr);
}
