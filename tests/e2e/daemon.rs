//! `roster run`, the daemon, as a real process against the simulator: syncs
//! at each account's interval, backs off after failures, follows config
//! changes, serves `/healthz` and `/metrics`, and stops cleanly on SIGTERM.
//!
//! Intervals are a second or two; every wait is "eventually, within a
//! generous bound", never an exact timing.

use std::time::{Duration, Instant};

use roster_workato_sim::{Fault, RetryAfter, Workspace};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{Child, Harness, Run, assert_matches_sim, spawn, token_var};

/// The longest any "eventually" may take.
pub const BOUND: Duration = Duration::from_secs(90);

/// A fast schedule: 1 s intervals, 1 s config polls, short grace.
const FAST_RUNNER: &str =
    "sync_interval_secs = 1\nconfig_poll_secs = 1\nfailure_backoff_secs = 1\nshutdown_grace_secs = 30\n";

/// A running `roster run`.
pub struct Daemon {
    child: Option<Child>,
    port: u16,
}

impl Daemon {
    /// Starts `roster -v run` on the harness's config and store, with the
    /// tokens of `accounts` in its environment.
    pub fn start(h: &Harness, accounts: &[(&str, &Workspace)]) -> Daemon {
        Daemon::start_on(h, &h.store().display().to_string(), accounts)
    }

    /// Like [`Daemon::start`], with the store at `store` (a path or a URL).
    pub fn start_on(h: &Harness, store: &str, accounts: &[(&str, &Workspace)]) -> Daemon {
        let port = free_port();
        let args: Vec<String> = [
            "-v",
            "run",
            "--config",
            &h.config().display().to_string(),
            "--store",
            store,
            "--listen",
            &format!("127.0.0.1:{port}"),
        ]
        .map(str::to_owned)
        .to_vec();
        let env: Vec<(String, String)> =
            accounts.iter().map(|(id, ws)| (token_var(id), ws.token())).collect();
        Daemon { child: Some(spawn(&args, &env)), port }
    }

    pub fn pid(&self) -> String {
        self.child.as_ref().expect("running").id().to_string()
    }

    /// `GET path`: the status code and the body, or `None` when nothing listens yet.
    pub async fn get(&self, path: &str) -> Option<(u16, String)> {
        let mut conn = tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.ok()?;
        let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        conn.write_all(request.as_bytes()).await.ok()?;
        let mut raw = Vec::new();
        conn.read_to_end(&mut raw).await.ok()?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text.split_whitespace().nth(1)?.parse().ok()?;
        let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
        Some((status, body))
    }

    /// The `/metrics` text, waiting for the server to come up.
    pub async fn metrics(&self) -> String {
        let started = Instant::now();
        loop {
            if let Some((200, body)) = self.get("/metrics").await {
                return body;
            }
            assert!(started.elapsed() < BOUND, "/metrics never answered");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The value of one series (`name{labels}` exactly as rendered), 0 when absent.
    pub async fn value(&self, series: &str) -> f64 {
        sample(&self.metrics().await, series).unwrap_or(0.0)
    }

    /// Sends `signal` (`-TERM`, `-INT`) and waits for the exit.
    pub async fn stop(mut self, signal: &'static str) -> Run {
        let pid = self.pid();
        let child = self.child.take().expect("running");
        tokio::task::spawn_blocking(move || {
            let status = std::process::Command::new("kill").args([signal, &pid]).status().expect("run kill");
            assert!(status.success());
            child.wait()
        })
        .await
        .expect("wait thread")
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(child) = self.child.take() {
            let _ = std::process::Command::new("kill").args(["-KILL", &child.id().to_string()]).status();
            let _ = child.wait();
        }
    }
}

/// A port nothing listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// The value of `series` in a Prometheus text body.
pub fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.trim().parse().ok())
}

fn syncs(account: &str, outcome: &str) -> String {
    format!("roster_syncs_total{{account=\"{account}\",connector=\"workato\",outcome=\"{outcome}\"}}")
}

/// Syncs of `ws` so far, counted by the simulator: one members listing each.
pub fn listings(ws: &Workspace) -> u64 {
    ws.stats().by_path.get("/api/members").copied().unwrap_or(0)
}

/// Polls until `ready` holds, failing after [`BOUND`].
pub async fn eventually(what: &str, mut ready: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    while !ready().await {
        assert!(started.elapsed() < BOUND, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_are_synced_again_at_their_interval() {
    let mut h = Harness::new().await;
    h.write_runner(FAST_RUNNER);
    let acme = h.add_account("acme", 12, 1);
    let slow = h.add_account("slow", 5, 2);
    // `slow` sets its own, long interval.
    h.write_account(
        "slow",
        &format!("sync_interval_secs = 3600\n{}", h.account_toml(crate::support::FAST_SETTINGS)),
    );
    let daemon = Daemon::start(&h, &[("acme", &acme), ("slow", &slow)]);

    eventually("acme was synced four times", async || listings(&acme) >= 4).await;
    assert_eq!(listings(&slow), 1, "an account with a long interval is synced once");
    eventually("/metrics counts acme's syncs", async || daemon.value(&syncs("acme", "ok")).await >= 3.0)
        .await;

    let users = h.users().await;
    assert_matches_sim("acme", &users, &acme);
    assert_matches_sim("slow", &users, &slow);
    daemon.stop("-TERM").await.expect_code(0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_token_backs_off_instead_of_retrying_every_interval() {
    let mut h = Harness::new().await;
    h.write_runner(&format!("{FAST_RUNNER}max_failure_backoff_secs = 60\n"));
    let good = h.add_account("good", 5, 3);
    let bad = h.add_account("bad", 5, 4);
    bad.revoke_token();
    let daemon = Daemon::start(&h, &[("good", &good), ("bad", &bad)]);

    eventually("the bad account failed once", async || daemon.value(&syncs("bad", "failed")).await >= 1.0)
        .await;
    let (requests, failed) = (bad.stats().requests, daemon.value(&syncs("bad", "failed")).await);
    let per_attempt = requests.div_ceil(failed as u64);
    assert!(per_attempt > 0);
    // A dozen intervals go by.
    eventually("the good account was synced 12 times", async || listings(&good) >= 12).await;
    let attempts = daemon.value(&syncs("bad", "failed")).await;
    // Backoff 1, 2, 4, 8 s (±20%) allows at most 5 attempts in that time; the
    // interval alone would have made 12.
    assert!((2.0..=6.0).contains(&attempts), "the bad account was tried {attempts} times");
    let requests = bad.stats().requests;
    assert!(
        requests <= per_attempt * 6,
        "the bad account made {requests} requests, {per_attempt} per attempt"
    );
    assert_eq!(daemon.value(&syncs("good", "failed")).await, 0.0);
    daemon.stop("-TERM").await.expect_code(0);
}

#[tokio::test(flavor = "multi_thread")]
async fn added_changed_broken_and_removed_account_files_are_picked_up() {
    let mut h = Harness::new().await;
    h.write_runner(FAST_RUNNER);
    let acme = h.add_account("acme", 6, 5);
    let beta = h.add_account("beta", 7, 6);
    let beta_file = h.config().join("accounts").join("beta.toml");
    let beta_text = std::fs::read_to_string(&beta_file).expect("beta file");
    std::fs::remove_file(&beta_file).expect("remove beta");
    let daemon = Daemon::start(&h, &[("acme", &acme), ("beta", &beta)]);

    eventually("acme was synced", async || listings(&acme) >= 1).await;
    assert_eq!(listings(&beta), 0);

    // Added.
    h.write_account("beta", &beta_text);
    eventually("beta was synced", async || listings(&beta) >= 2).await;
    eventually("beta's users are stored", async || h.users().await.iter().any(|u| u["account"] == "beta"))
        .await;
    assert_matches_sim("beta", &h.users().await, &beta);

    // Broken: counted, recorded as a config failure, not synced.
    h.write_account("beta", "connector = \"workato\"\n[credentials\n");
    eventually("beta is broken", async || daemon.value("roster_accounts{state=\"broken\"}").await == 1.0)
        .await;
    eventually("the config failure is recorded", async || {
        daemon.value(&syncs("beta", "failed")).await >= 1.0
    })
    .await;
    let frozen = listings(&beta);
    eventually("acme goes on", async || listings(&acme) >= 6).await;
    assert!(listings(&beta) <= frozen + 1, "a broken account is not synced");

    // Changed back: synced again.
    h.write_account("beta", &beta_text);
    eventually("beta is synced after its fix", async || listings(&beta) >= frozen + 2).await;

    // Removed.
    std::fs::remove_file(h.config().join("accounts").join("acme.toml")).expect("remove acme");
    eventually("acme's gauges are gone", async || {
        !daemon.metrics().await.contains("roster_account_users{account=\"acme\"")
    })
    .await;
    let after_removal = listings(&acme);
    let beta_now = listings(&beta);
    eventually("beta was synced three more times", async || listings(&beta) >= beta_now + 3).await;
    assert!(listings(&acme) <= after_removal + 1, "a removed account is no longer synced");
    assert_eq!(daemon.value("roster_accounts{state=\"ok\"}").await, 1.0);
    daemon.stop("-TERM").await.expect_code(0);
}

#[tokio::test(flavor = "multi_thread")]
async fn healthz_and_metrics_answer_with_the_documented_series() {
    let mut h = Harness::new().await;
    h.write_runner(FAST_RUNNER);
    let acme = h.add_account("acme", 9, 7);
    // One 429 on the first listing: retried after its Retry-After.
    acme.push_fault(Fault::RateLimited(RetryAfter::Seconds), 1, Some("/api/members"));
    let daemon = Daemon::start(&h, &[("acme", &acme)]);

    eventually("acme synced twice", async || daemon.value(&syncs("acme", "ok")).await >= 2.0).await;
    let (status, body) = daemon.get("/healthz").await.expect("healthz answers");
    assert_eq!((status, body.trim()), (200, "ok"));
    let (status, _) = daemon.get("/nothing").await.expect("the server answers");
    assert_eq!(status, 404);

    let text = daemon.metrics().await;
    let acme_labels = "{account=\"acme\",connector=\"workato\"}";
    assert_eq!(sample(&text, &format!("roster_account_users{acme_labels}")), Some(9.0), "{text}");
    assert!(sample(&text, &format!("roster_http_requests_total{acme_labels}")).unwrap() >= 4.0, "{text}");
    assert_eq!(sample(&text, &format!("roster_http_rate_limited_total{acme_labels}")), Some(1.0), "{text}");
    assert!(sample(&text, &format!("roster_http_retries_total{acme_labels}")).unwrap() >= 1.0, "{text}");
    let age = sample(&text, &format!("roster_last_good_sync_age_seconds{acme_labels}")).unwrap();
    assert!((0.0..60.0).contains(&age), "{text}");
    let count = sample(&text, "roster_sync_duration_seconds_count{connector=\"workato\"}").unwrap();
    assert!(count >= 2.0, "{text}");
    assert_eq!(
        sample(&text, "roster_sync_duration_seconds_bucket{connector=\"workato\",le=\"+Inf\"}"),
        Some(count)
    );
    assert_eq!(sample(&text, "roster_accounts{state=\"ok\"}"), Some(1.0), "{text}");
    assert!(sample(&text, "roster_syncs_in_flight").is_some(), "{text}");
    for family in [
        "roster_syncs_total counter",
        "roster_sync_duration_seconds histogram",
        "roster_account_users gauge",
        "roster_http_requests_total counter",
        "roster_http_retries_total counter",
        "roster_http_rate_limited_total counter",
        "roster_last_good_sync_age_seconds gauge",
        "roster_accounts gauge",
        "roster_syncs_in_flight gauge",
    ] {
        assert!(text.contains(&format!("# TYPE {family}\n")), "no {family} in\n{text}");
    }
    assert!(!text.contains(&acme.token()), "the token leaked into /metrics");
    let run = daemon.stop("-TERM").await;
    run.expect_code(0);
    assert!(!run.all_output().contains(&acme.token()), "the token leaked into the logs");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_lets_an_in_flight_sync_finish_and_exits_0() {
    let mut h = Harness::new().await;
    h.write_runner(FAST_RUNNER);
    let acme = h.add_account("acme", 10, 8);
    let daemon = Daemon::start(&h, &[("acme", &acme)]);
    eventually("acme was synced", async || daemon.value(&syncs("acme", "ok")).await >= 1.0).await;

    // The next sync takes a few seconds; SIGTERM arrives in the middle of it.
    acme.update_settings(|s| s.latency = Duration::from_secs(2));
    let requests = acme.stats().requests;
    eventually("a slow sync is under way", async || acme.stats().requests > requests).await;
    let run = daemon.stop("-TERM").await;
    run.expect_code(0);
    assert!(run.stderr.contains("roster run stopped cleanly"), "{}", run.stderr);

    acme.update_settings(|s| s.latency = Duration::ZERO);
    let report = h.roster_in("report", &["--format", "json"]).await;
    let report: serde_json::Value = serde_json::from_str(&report.stdout).expect("json");
    assert_eq!(report[0]["last_sync"]["outcome"], "ok", "the in-flight sync finished");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_abandons_a_hung_sync_after_the_grace_period_and_nothing_is_half_written() {
    let mut h = Harness::new().await;
    h.write_runner("sync_interval_secs = 1\nconfig_poll_secs = 1\nshutdown_grace_secs = 1\n");
    let acme = h.add_account("acme", 700, 9);
    let daemon = Daemon::start(&h, &[("acme", &acme)]);
    eventually("acme was synced", async || daemon.value(&syncs("acme", "ok")).await >= 1.0).await;

    // The next listing sends its first chunk of users, then stalls; some
    // members are gone behind it.
    acme.push_fault(Fault::SlowBody(Duration::from_secs(600)), 1, Some("/api/members"));
    acme.set_member_count(500);
    eventually("a sync is stuck in the listing", async || acme.stats().faults >= 1).await;
    let before = h.users_jsonl_text().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let run = daemon.stop("-TERM").await;
    run.expect_code(0);
    assert!(run.stderr.contains("abandoning in-flight syncs"), "{}", run.stderr);

    assert_eq!(h.users_jsonl_text().await, before, "the abandoned sync changed nothing");
    let report = h.roster_in("report", &["--format", "json"]).await;
    let report: serde_json::Value = serde_json::from_str(&report.stdout).expect("json");
    assert_eq!(report[0]["last_sync"]["outcome"], "interrupted");
    // The store is whole: the next sync commits the shrink.
    h.sync(&[]).await.expect_code(0);
    assert_matches_sim("acme", &h.users().await, &acme);
}
