//! Throughput and memory at scale. Ignored by default; run in release:
//! `cargo test -p roster-store --release --test store -- --ignored --nocapture perf`
//! Sizes: PERF_ACCOUNTS, PERF_USERS, PERF_CONCURRENCY (syncs in flight).

use std::sync::Arc;
use std::time::Instant;

use roster_store::{Outcome, Store, SyncFinish};
use tempfile::TempDir;
use tokio::sync::Semaphore;

use crate::common::*;

fn env(name: &str, default: u32) -> u32 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn pass(store: &Store, accounts: u32, n: u32, concurrency: u32) -> (f64, u64) {
    let permits = Arc::new(Semaphore::new(concurrency as usize));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for a in 0..accounts {
        let store = store.clone();
        let permits = permits.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = permits.acquire().await.unwrap();
            let mut w = store.begin(&format!("acct-{a:04}"), "perf").await.unwrap();
            let mut i = 0;
            while i < n {
                let end = (i + 500).min(n);
                w.users(users(i..end)).await.unwrap();
                i = end;
            }
            let s = w.finish(SyncFinish::default()).await.unwrap();
            assert_eq!(s.outcome, Outcome::Ok);
            s.added + s.changed
        }));
    }
    let mut written = 0;
    for t in tasks {
        written += t.await.unwrap();
    }
    (start.elapsed().as_secs_f64(), written)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "slow; run in release"]
async fn perf_many_accounts() {
    let accounts = env("PERF_ACCOUNTS", 1000);
    let n = env("PERF_USERS", 1000);
    let concurrency = env("PERF_CONCURRENCY", 64);
    let dir = TempDir::new().unwrap();
    let path = db_path(&dir);
    let store = open(&dir).await;
    let total = f64::from(accounts) * f64::from(n);

    let (first, written) = pass(&store, accounts, n, concurrency).await;
    let size_first = db_bytes(&path);
    eprintln!(
        "first sync: {first:.1}s, {:.0} users/s, {written} written, file {} MiB, peak rss {:?} KiB",
        total / first,
        size_first >> 20,
        peak_rss_kib()
    );
    let (second, written) = pass(&store, accounts, n, concurrency).await;
    let size_second = db_bytes(&path);
    eprintln!(
        "unchanged re-sync: {second:.1}s, {:.0} users/s, {written} written, growth {} KiB, peak rss {:?} KiB",
        total / second,
        (size_second - size_first) >> 10,
        peak_rss_kib()
    );
    assert_eq!(written, 0);
    assert!((size_second - size_first) * 20 <= size_first);

    let t = Instant::now();
    let accounts_list = store.accounts().await.unwrap();
    let accounts_time = t.elapsed();
    let t = Instant::now();
    let report = store.report("acct-0000", chrono::Utc::now(), 90).await.unwrap();
    let report_time = t.elapsed();
    let t = Instant::now();
    let count = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let c = count.clone();
    store
        .for_each_user(&[], move |_| {
            c.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        })
        .await
        .unwrap();
    eprintln!(
        "accounts() {accounts_time:?} for {}, report {report_time:?} ({} users), \
         for_each_user {:?} for {}, peak rss {:?} KiB",
        accounts_list.len(),
        report.users.active,
        t.elapsed(),
        count.load(std::sync::atomic::Ordering::Relaxed),
        peak_rss_kib()
    );
}
