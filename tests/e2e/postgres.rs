//! Many `roster run` processes sharing one Postgres store, against the
//! simulator: accounts are shared without double syncs, a runner killed with
//! `kill -9` hands its accounts over once its leases expire, and a Postgres
//! restart under load costs nothing but a few retried syncs.
//!
//! They need `ROSTER_TEST_POSTGRES_URL` (`.ci/postgres` starts a server);
//! without it they are skipped with a note, except under `CI=true`, where
//! they fail. Each test works in a schema of its own.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use roster_workato_sim::Workspace;
use serde_json::Value;
use tokio_postgres::{Client, NoTls};

use crate::daemon::{BOUND, Daemon, eventually, listings};
use crate::support::{Harness, assert_matches_sim, parse_jsonl, run_binary, token_var};

const URL_ENV: &str = "ROSTER_TEST_POSTGRES_URL";
const RESTART_ENV: &str = "ROSTER_TEST_POSTGRES_RESTART";

/// The tests here run one at a time: one restarts the server under the others.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A schema of its own in the test database.
struct Db {
    location: String,
}

impl Db {
    /// `None` (with a note) when no database is configured; a failure under CI.
    async fn new() -> Option<Db> {
        let Ok(url) = std::env::var(URL_ENV) else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{URL_ENV} must be set in CI: the postgres tests cannot be skipped there"
            );
            eprintln!("note: skipping: set {URL_ENV} to run the postgres tests");
            return None;
        };
        let schema = format!("e2e_{}_{:x}", std::process::id(), rand_bits());
        let (client, conn) =
            tokio_postgres::connect(&url, NoTls).await.expect("connect to the test database");
        tokio::spawn(conn);
        client.batch_execute(&format!("CREATE SCHEMA {schema}")).await.unwrap();
        let sep = if url.contains('?') { '&' } else { '?' };
        Some(Db { location: format!("{url}{sep}options=-csearch_path%3D{schema}") })
    }

    /// A new connection to the schema: one per question, so that a
    /// restarted server costs nothing.
    async fn client(&self) -> Client {
        reconnect(&self.location).await
    }

    /// Successful runs per account.
    async fn good_runs(&self) -> BTreeMap<String, i64> {
        self.count("r.outcome IN ('ok', 'degraded')").await
    }

    /// Runs per account matching `filter`; none while the runners have not
    /// created the tables yet.
    async fn count(&self, filter: &str) -> BTreeMap<String, i64> {
        let sql = format!(
            "SELECT a.account, count(*) FROM sync_runs r JOIN accounts a USING (account_pk)
             WHERE {filter} GROUP BY a.account"
        );
        match self.client().await.query(&sql, &[]).await {
            Ok(rows) => rows.iter().map(|r| (r.get(0), r.get(1))).collect(),
            Err(_) => BTreeMap::new(),
        }
    }

    /// Pairs of successful runs of one account whose times overlap: two
    /// runners syncing it at once.
    async fn overlapping_good_runs(&self) -> i64 {
        self.client()
            .await
            .query_one(
                "SELECT count(*) FROM sync_runs a JOIN sync_runs b
                   ON a.account_pk = b.account_pk AND a.run_id < b.run_id
                 WHERE a.outcome IN ('ok', 'degraded') AND b.outcome IN ('ok', 'degraded')
                   AND b.started_at < a.finished_at",
                &[],
            )
            .await
            .expect("overlaps")
            .get(0)
    }

    /// One number; -1 while the tables do not exist yet.
    async fn scalar(&self, sql: &str) -> i64 {
        self.client().await.query_one(sql, &[]).await.map_or(-1, |r| r.get(0))
    }
}

fn rand_bits() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}

/// `n` accounts of a few members each.
fn accounts(h: &mut Harness, n: usize) -> Vec<(String, Workspace)> {
    (0..n)
        .map(|i| {
            let id = format!("acct-{i:03}");
            let ws = h.add_account(&id, 3 + i % 5, 1000 + i as u64);
            (id, ws)
        })
        .collect()
}

fn refs(all: &[(String, Workspace)]) -> Vec<(&str, &Workspace)> {
    all.iter().map(|(id, ws)| (id.as_str(), ws)).collect()
}

/// The users in a store, without the times that differ from run to run.
async fn users_without_times(h: &Harness, store: &str, all: &[(String, Workspace)]) -> Vec<Value> {
    let config = h.config().display().to_string();
    let env = all.iter().map(|(id, ws)| (token_var(id), ws.token())).collect();
    let args = ["users", "--config", &config, "--store", store, "--format", "jsonl"];
    let run = run_binary(args.map(str::to_owned).to_vec(), env).await;
    run.expect_code(0);
    let mut users = parse_jsonl(&run.stdout);
    for u in &mut users {
        if let Some(o) = u.as_object_mut() {
            o.remove("first_seen_at");
        }
    }
    users
}

#[tokio::test(flavor = "multi_thread")]
async fn three_runners_share_300_accounts_without_double_syncs_and_match_a_sqlite_run() {
    let _serial = SERIAL.lock().await;
    let Some(db) = Db::new().await else {
        return;
    };
    let mut h = Harness::new().await;
    // A long interval: within the test every account is due exactly once.
    h.write_runner("sync_interval_secs = 3600\nconfig_poll_secs = 1\nconcurrency = 8\nlease_secs = 30\n");
    let all = accounts(&mut h, 300);
    let runners: Vec<Daemon> = (0..3).map(|_| Daemon::start_on(&h, &db.location, &refs(&all))).collect();

    eventually("all 300 accounts were synced", async || {
        db.scalar("SELECT count(*) FROM accounts a WHERE a.last_good_run_id IS NOT NULL").await == 300
    })
    .await;
    // A few more claim rounds, to give a double sync the chance to show.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for (id, ws) in &all {
        assert_eq!(listings(ws), 1, "{id} was listed {} times", listings(ws));
    }
    let good = db.good_runs().await;
    assert_eq!(good.len(), 300);
    assert!(good.values().all(|n| *n == 1), "an account was synced twice: {good:?}");
    assert_eq!(db.overlapping_good_runs().await, 0);
    let mut shares = Vec::new();
    for r in &runners {
        let text = r.metrics().await;
        let mine: f64 = text
            .lines()
            .filter(|l| l.starts_with("roster_syncs_total{") && l.contains("outcome=\"ok\""))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum();
        shares.push(mine);
    }
    assert_eq!(shares.iter().sum::<f64>(), 300.0, "{shares:?}");
    assert!(shares.iter().all(|s| *s > 0.0), "every runner took a share: {shares:?}");
    for r in runners {
        r.stop("-TERM").await.expect_code(0);
    }

    // The same simulator data through one `roster sync` into SQLite.
    let sqlite = h.scratch("single.db").display().to_string();
    let config = h.config().display().to_string();
    let env = all.iter().map(|(id, ws)| (token_var(id), ws.token())).collect();
    let args = ["sync", "--config", &config, "--store", &sqlite];
    run_binary(args.map(str::to_owned).to_vec(), env).await.expect_code(0);
    let from_postgres = users_without_times(&h, &db.location, &all).await;
    let from_sqlite = users_without_times(&h, &sqlite, &all).await;
    assert_eq!(from_postgres.len(), from_sqlite.len());
    assert!(from_postgres == from_sqlite, "postgres and sqlite hold different users");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_runner_killed_mid_sync_hands_its_accounts_over_after_its_leases_expire() {
    let _serial = SERIAL.lock().await;
    let Some(db) = Db::new().await else {
        return;
    };
    let mut h = Harness::new().await;
    h.write_runner("sync_interval_secs = 3600\nconfig_poll_secs = 1\nconcurrency = 4\nlease_secs = 3\n");
    let all = accounts(&mut h, 12);
    // Every listing takes a while, so the victim is caught mid-sync.
    for (_, ws) in &all {
        ws.update_settings(|s| s.latency = Duration::from_millis(1500));
    }
    let victim = Daemon::start_on(&h, &db.location, &refs(&all));
    eventually("the victim has syncs in flight", async || {
        victim.value("roster_syncs_in_flight").await >= 1.0
    })
    .await;
    // A sync is in flight before its run is begun in the store.
    eventually("the victim has runs open", async || {
        db.scalar("SELECT count(*) FROM sync_runs WHERE outcome IS NULL").await >= 1
    })
    .await;
    let killed = victim.stop("-KILL").await;
    assert_eq!(killed.code, None, "killed by a signal");
    let open = db.scalar("SELECT count(*) FROM sync_runs WHERE outcome IS NULL").await;
    assert!(open >= 1, "the victim died with runs open");

    let started = Instant::now();
    let survivors: Vec<Daemon> = (0..2).map(|_| Daemon::start_on(&h, &db.location, &refs(&all))).collect();
    eventually("every account committed once", async || db.good_runs().await.len() == 12).await;
    assert!(started.elapsed() < BOUND);
    let good = db.good_runs().await;
    assert!(good.values().all(|n| *n == 1), "{good:?}");
    assert_eq!(db.overlapping_good_runs().await, 0);
    // The victim's runs are closed as interrupted, their staged rows gone.
    eventually("no run is left open", async || {
        db.scalar("SELECT count(*) FROM sync_runs WHERE outcome IS NULL").await == 0
    })
    .await;
    assert!(db.scalar("SELECT count(*) FROM sync_runs WHERE outcome = 'interrupted'").await >= 1);
    assert_eq!(db.scalar("SELECT count(*) FROM staged_users").await, 0);
    for r in survivors {
        r.stop("-TERM").await.expect_code(0);
    }
    let config = h.config().display().to_string();
    let env = all.iter().map(|(id, ws)| (token_var(id), ws.token())).collect();
    let args = ["users", "--config", &config, "--store", &db.location, "--format", "jsonl"];
    let run = run_binary(args.map(str::to_owned).to_vec(), env).await;
    let users = parse_jsonl(&run.expect_code(0).stdout);
    for (id, ws) in &all {
        assert_matches_sim(id, &users, ws);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_restarts_under_load_and_the_runners_carry_on() {
    let _serial = SERIAL.lock().await;
    let Some(db) = Db::new().await else {
        return;
    };
    let Ok(restart) = std::env::var(RESTART_ENV) else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{RESTART_ENV} must be set in CI");
        eprintln!("note: skipping: set {RESTART_ENV} to a command that restarts the test server");
        return;
    };
    let mut h = Harness::new().await;
    h.write_runner(
        "sync_interval_secs = 2\nconfig_poll_secs = 1\nconcurrency = 8\nlease_secs = 5\nfailure_backoff_secs = 1\n",
    );
    let all = accounts(&mut h, 30);
    let runners: Vec<Daemon> = (0..2).map(|_| Daemon::start_on(&h, &db.location, &refs(&all))).collect();
    eventually("every account synced", async || db.good_runs().await.len() == 30).await;

    let status = tokio::task::spawn_blocking(move || {
        std::process::Command::new("sh").args(["-c", &restart]).status().expect("run the restart command")
    })
    .await
    .unwrap();
    assert!(status.success(), "the restart command failed");
    let after: i64 = db.scalar("SELECT coalesce(max(run_id), 0) FROM sync_runs").await;

    eventually("every account synced again after the restart", async || {
        db.count(&format!("r.outcome = 'ok' AND r.run_id > {after}")).await.len() == 30
    })
    .await;
    for r in &runners {
        let (status, _) = r.get("/healthz").await.expect("the runner answers");
        assert_eq!(status, 200, "a runner is unhealthy after the restart");
    }
    assert_eq!(db.overlapping_good_runs().await, 0, "an account was synced by two runners at once");
    for r in runners {
        r.stop("-TERM").await.expect_code(0);
    }
    eventually("no run is left open", async || {
        db.scalar("SELECT count(*) FROM sync_runs WHERE outcome IS NULL").await == 0
    })
    .await;
}

async fn reconnect(location: &str) -> Client {
    let started = Instant::now();
    loop {
        if let Ok((client, conn)) = tokio_postgres::connect(location, NoTls).await {
            tokio::spawn(conn);
            return client;
        }
        assert!(started.elapsed() < BOUND, "the test database never came back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// `roster sync` of every account of `all` into `db`, with their tokens.
fn manual_sync(h: &Harness, db: &Db, all: &[(String, Workspace)]) -> (Vec<String>, Vec<(String, String)>) {
    let config = h.config().display().to_string();
    let args = ["sync", "--config", &config, "--store", &db.location].map(str::to_owned).to_vec();
    (args, all.iter().map(|(id, ws)| (token_var(id), ws.token())).collect())
}

/// The names of the accounts `roster sync` said it skipped, from its stderr.
fn skipped(run: &crate::support::Run) -> Vec<String> {
    run.stderr
        .lines()
        .filter_map(|l| l.strip_prefix("skipped "))
        .filter_map(|l| l.split(':').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manual_sync_skips_and_names_an_account_a_runner_holds_then_syncs_it_once_released() {
    let _serial = SERIAL.lock().await;
    let Some(db) = Db::new().await else {
        return;
    };
    let mut h = Harness::new().await;
    let all = accounts(&mut h, 3);
    // A runner holds acct-001, as `roster run` would while syncing it.
    let store = roster_store::Store::open(&db.location).await.expect("open the store");
    let held = vec!["acct-001".to_owned()];
    store.schedule(&[(held[0].clone(), chrono::Utc::now())]).await.unwrap();
    let lease = store.claim_due("runner-e2e", &held, 1, Duration::from_secs(3600)).await.unwrap().remove(0);

    let (args, env) = manual_sync(&h, &db, &all);
    let run = run_binary(args.clone(), env.clone()).await;
    run.expect_code(0);
    assert_eq!(skipped(&run), ["acct-001"], "{}", run.stderr);
    assert!(run.stderr.contains("skipped acct-001: held by runner runner-e2e until "), "{}", run.stderr);
    assert_eq!(run.outcome("acct-001"), "skipped");
    assert_eq!((run.outcome("acct-000"), run.outcome("acct-002")), ("ok".into(), "ok".into()));
    assert!(
        run.stdout.contains("3 accounts: 2 ok, 0 degraded, 0 failed, 0 interrupted, 1 skipped"),
        "{}",
        run.stdout
    );
    assert_eq!(listings(&all[1].1), 0, "the held account was not fetched");
    let good = db.good_runs().await;
    assert_eq!(good.keys().map(String::as_str).collect::<Vec<_>>(), ["acct-000", "acct-002"]);
    // The manual sync gave its leases back, and the runner's lease is still its own.
    assert_eq!(db.scalar("SELECT count(*) FROM schedule WHERE lease_owner LIKE 'sync-%'").await, 0);
    assert!(store.renew(std::slice::from_ref(&lease), Duration::from_secs(3600)).await.unwrap().is_empty());

    let plan = roster_store::Reschedule { interval: Duration::from_secs(3600), backoff: Duration::ZERO };
    store.release(&lease, &plan, roster_store::Ended::Interrupted).await.unwrap();
    let run = run_binary(args, env).await;
    run.expect_code(0);
    assert!(skipped(&run).is_empty(), "{}", run.stderr);
    assert_eq!(run.outcome("acct-001"), "ok");
    assert_eq!(db.good_runs().await.get("acct-001"), Some(&1));
    let users = users_without_times(&h, &db.location, &all).await;
    for (id, ws) in &all {
        assert_matches_sim(id, &users, ws);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manual_sync_skips_the_account_a_daemon_is_syncing_and_they_never_overlap() {
    let _serial = SERIAL.lock().await;
    let Some(db) = Db::new().await else {
        return;
    };
    let mut h = Harness::new().await;
    h.write_runner("sync_interval_secs = 3600\nconfig_poll_secs = 1\nconcurrency = 4\nlease_secs = 30\n");
    let all = accounts(&mut h, 2);
    // acct-000's listing is slow, so the daemon is caught mid-sync.
    all[0].1.update_settings(|s| s.latency = Duration::from_secs(5));
    let daemon = Daemon::start_on(&h, &db.location, &refs(&all));
    eventually("the daemon is syncing acct-000", async || {
        db.scalar(
            "SELECT count(*) FROM sync_runs r JOIN accounts a USING (account_pk)
             JOIN schedule s ON s.account = a.account
             WHERE a.account = 'acct-000' AND r.outcome IS NULL AND s.lease_owner LIKE 'run-%'",
        )
        .await
            == 1
    })
    .await;

    let (args, env) = manual_sync(&h, &db, &all);
    let run = run_binary(args, env).await;
    run.expect_code(0);
    assert_eq!(skipped(&run), ["acct-000"], "{}", run.stderr);
    assert!(run.stderr.contains("held by runner run-"), "{}", run.stderr);
    assert_eq!(run.outcome("acct-001"), "ok");

    eventually("the daemon finished acct-000", async || db.good_runs().await.get("acct-000") == Some(&1))
        .await;
    assert_eq!(listings(&all[0].1), 1, "only the daemon fetched acct-000");
    assert_eq!(db.overlapping_good_runs().await, 0, "an account was synced by two runners at once");
    daemon.stop("-TERM").await.expect_code(0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_manual_sync_renews_its_lease_so_a_daemon_waits_for_it() {
    let _serial = SERIAL.lock().await;
    let Some(db) = Db::new().await else {
        return;
    };
    let mut h = Harness::new().await;
    // A lease of 1 s, and a manual sync of acct-000 that takes several: only
    // renewal keeps the daemon from claiming the account meanwhile.
    h.write_runner("sync_interval_secs = 3600\nconfig_poll_secs = 1\nconcurrency = 4\nlease_secs = 1\n");
    let all = accounts(&mut h, 1);
    all[0].1.update_settings(|s| s.latency = Duration::from_secs(4));
    let (args, env) = manual_sync(&h, &db, &all);
    let manual = tokio::task::spawn_blocking(move || crate::support::spawn(&args, &env).wait());
    eventually("the manual sync holds acct-000", async || {
        db.scalar("SELECT count(*) FROM schedule WHERE lease_owner LIKE 'sync-%'").await == 1
    })
    .await;
    let daemon = Daemon::start_on(&h, &db.location, &refs(&all));
    let run = manual.await.expect("the manual sync's thread");
    run.expect_code(0);
    assert_eq!(run.outcome("acct-000"), "ok");
    // The daemon syncs it after the manual sync gave it back (due as it was: now).
    eventually("the daemon synced acct-000 too", async || db.good_runs().await.get("acct-000") == Some(&2))
        .await;
    assert_eq!(db.overlapping_good_runs().await, 0, "the daemon synced the account during the manual sync");
    daemon.stop("-TERM").await.expect_code(0);
}
