//! Exit codes: 0 all ok, 1 some degraded or failed, 2 nothing could run,
//! 130/143 stopped by a signal.

use std::time::{Duration, Instant};

use crate::support::{Harness, roster, spawn};

#[tokio::test(flavor = "multi_thread")]
async fn all_accounts_ok_exits_0() {
    let mut h = Harness::new().await;
    h.add_account("acme", 5, 41);
    h.add_account("globex", 5, 42);
    let run = h.sync(&[]).await;
    run.expect_code(0);
    assert!(run.stdout.contains("2 accounts: 2 ok, 0 degraded, 0 failed"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_or_degraded_account_exits_1() {
    let mut h = Harness::new().await;
    h.add_account("acme", 5, 43);
    let ws = h.add_account("globex", 10, 44);
    h.sync(&[]).await.expect_code(0);

    // Failed: the token is refused.
    ws.revoke_token();
    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert_eq!(run.outcome("acme"), "ok");
    assert_eq!(run.outcome("globex"), "failed");

    // Degraded: zero users after having some.
    ws.restore_token();
    ws.set_member_count(0);
    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert_eq!(run.outcome("globex"), "degraded");

    // Only the named account: the other one's state does not count.
    h.sync(&["--account", "acme"]).await.expect_code(0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_config_dir_exits_2_without_creating_a_store() {
    let h = Harness::new().await;
    let missing = h.scratch("no-such-config").display().to_string();
    let store = h.scratch("store.db");
    let store_arg = store.display().to_string();
    let run = roster(&["sync", "--config", &missing, "--store", &store_arg]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("no-such-config"), "{}", run.stderr);
    assert!(!store.exists(), "no store is created when nothing can run");

    roster(&["validate", "--config", &missing]).await.expect_code(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_accounts_dir_exits_2() {
    let h = Harness::new().await;
    let run = h.sync(&[]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("no account files"), "{}", run.stderr);
    let config = h.config().display().to_string();
    h.roster(&["validate", "--config", &config]).await.expect_code(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unusable_store_path_exits_2_before_any_request() {
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", 5, 45);
    let config = h.config().display().to_string();
    for store in ["/proc/forbidden/x.db", ""] {
        let run = h.roster(&["sync", "--config", &config, "--store", store]).await;
        run.expect_code(2);
        assert!(run.stderr.contains("error:"), "{}", run.stderr);
        let run = h.roster(&["users", "--config", &config, "--store", store]).await;
        run.expect_code(2);
        let run = h.roster(&["report", "--config", &config, "--store", store]).await;
        run.expect_code(2);
    }
    assert_eq!(ws.stats().requests, 0, "nothing was synced");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_runner_settings_or_an_unknown_account_exit_2() {
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", 5, 46);
    let run = h.sync(&["--account", "nope"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("nope"), "{}", run.stderr);

    h.write_runner("concurrency = 0\n");
    let run = h.sync(&[]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("key `concurrency`"), "{}", run.stderr);
    assert_eq!(ws.stats().requests, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_exits_0_for_a_good_config_and_2_for_a_bad_one() {
    let mut h = Harness::new().await;
    h.add_account("acme", 5, 47);
    let config = h.config().display().to_string();
    let run = h.roster(&["validate", "--config", &config]).await;
    run.expect_code(0);
    assert!(run.stdout.contains("ok: acme (workato"), "{}", run.stdout);
    assert!(run.stdout.contains("1 accounts are valid"));

    h.forget_token("acme");
    let run = h.roster(&["validate", "--config", &config]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("acme.toml: key `credentials.api_token`"), "{}", run.stderr);
}

/// Starts a sync that hangs in the simulator, signals it, and checks the
/// exit code, the outcome and that the store kept the previous users.
async fn stopped_by(signal: &'static str, code: i32) {
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", 8, 48);
    h.sync(&[]).await.expect_code(0);
    let before = h.users_jsonl_text().await;

    ws.update_settings(|s| s.latency = Duration::from_secs(600));
    let requests = ws.stats().requests;
    let config = h.config().display().to_string();
    let store = h.store().display().to_string();
    let args: Vec<String> = ["sync", "--config", &config, "--store", &store].map(str::to_owned).to_vec();
    let env = vec![(crate::support::token_var("acme"), ws.token())];
    let child = spawn(&args, &env);
    // Wait until the sync is waiting on the simulator, then signal it.
    let started = Instant::now();
    while ws.stats().requests == requests {
        assert!(started.elapsed() < Duration::from_secs(60), "the sync never reached the simulator");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pid = child.id().to_string();
    let kill = tokio::task::spawn_blocking(move || {
        std::process::Command::new("kill").args([signal, &pid]).status().expect("run kill")
    })
    .await
    .expect("kill thread");
    assert!(kill.success());
    let run = tokio::task::spawn_blocking(move || child.wait()).await.expect("wait thread");
    run.expect_code(code);
    assert_eq!(run.outcome("acme"), "interrupted");

    ws.update_settings(|s| s.latency = Duration::ZERO);
    assert_eq!(h.users_jsonl_text().await, before);
    let report = h.roster_in("report", &["--format", "json"]).await;
    let report: serde_json::Value = serde_json::from_str(&report.stdout).expect("json");
    assert_eq!(report[0]["last_sync"]["outcome"], "interrupted");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigint_exits_130_and_records_the_sync_as_interrupted() {
    stopped_by("-INT", 130).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_exits_143_and_records_the_sync_as_interrupted() {
    stopped_by("-TERM", 143).await;
}
