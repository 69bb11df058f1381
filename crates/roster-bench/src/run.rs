//! `roster-bench run`: N accounts x M members through the real runner.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tokio::process::Command;

use crate::args::RunOptions;
use crate::floor;
use crate::processes::{sibling, start_sim};
use crate::report::{line, mib, rate, secs};

pub async fn run(opts: RunOptions) -> Result<()> {
    let RunOptions { accounts, members, latency_ms, concurrency, floor_concurrency, .. } = opts;
    println!(
        "roster-bench run: {accounts} accounts x {members} members, simulator latency {latency_ms} ms, concurrency {concurrency}, {} cores",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    let sim = start_sim(accounts, members, latency_ms).await?;
    let dir = tempfile::tempdir().context("could not create a temp dir")?;
    write_config(dir.path(), &sim.base_url, accounts, concurrency)?;

    let mut floor_rate = None;
    let mut fetch_only = None;
    if opts.floor {
        let f = floor::measure(&sim.base_url, &sim.tokens, floor_concurrency, false).await?;
        let p = floor::measure(&sim.base_url, &sim.tokens, floor_concurrency, true).await?;
        println!(
            "floor (plain reqwest + serde_json, no framework, no store, concurrency {floor_concurrency})"
        );
        line("fetch only", format!("{} for {}", secs(f.wall), mib(f.bytes)));
        line("fetch + parse", format!("{} for {} users", secs(p.wall), p.users));
        line("floor users/s", format!("{:.0}", rate(p.users, p.wall)));
        floor_rate = Some((rate(p.users, p.wall), p.wall));
        fetch_only = Some(f.wall);
    }

    let (first, rss_first) = sync(dir.path(), &sim.tokens).await?;
    let size_first = store_size(dir.path());
    let users = (accounts * members) as u64;
    println!("roster sync (first, into a fresh store)");
    line("wall time", secs(first));
    line("users/s", format!("{:.0}", rate(users, first)));
    line("requests/s", format!("{:.0} (2 requests per account)", rate(2 * accounts as u64, first)));
    line("store size", mib(size_first));
    if let Some((floor_users_per_s, floor_wall)) = floor_rate {
        let ratio = rate(users, first) / floor_users_per_s;
        line("users/s vs floor", format!("{:.0}%", ratio * 100.0));
        if let Some(fetch) = fetch_only {
            let total = first.as_secs_f64();
            let fetch_s = fetch.as_secs_f64();
            let parse_s = (floor_wall.as_secs_f64() - fetch_s).max(0.0);
            let rest = (total - fetch_s - parse_s).max(0.0);
            line(
                "share of time (estimated)",
                format!(
                    "fetch {:.0}%, parse {:.0}%, store + framework {:.0}%",
                    100.0 * fetch_s / total,
                    100.0 * parse_s / total,
                    100.0 * rest / total
                ),
            );
        }
    }
    if opts.resync {
        let (second, rss_second) = sync(dir.path(), &sim.tokens).await?;
        let size_second = store_size(dir.path());
        println!("roster sync (second, nothing changed)");
        line(
            "wall time",
            format!(
                "{} ({:.0}% of the first)",
                secs(second),
                100.0 * second.as_secs_f64() / first.as_secs_f64()
            ),
        );
        let growth = size_second.saturating_sub(size_first);
        line(
            "store growth",
            format!(
                "{} ({:.1}% of what the first sync added)",
                mib(growth),
                100.0 * growth as f64 / size_first.max(1) as f64
            ),
        );
        line("peak RSS of roster sync (second)", mib(rss_second));
    }
    line("peak RSS of roster sync (first)", mib(rss_first));
    if opts.pairs > 0 {
        crate::pairs::run(&sim, &opts).await?;
    }
    Ok(())
}

pub(crate) fn write_config(dir: &Path, base_url: &str, accounts: usize, concurrency: usize) -> Result<()> {
    std::fs::create_dir_all(dir.join("accounts"))?;
    std::fs::write(
        dir.join("roster.toml"),
        format!("store = \"bench.db\"\nconcurrency = {concurrency}\naccount_timeout_secs = 3600\n"),
    )?;
    for i in 0..accounts {
        std::fs::write(
            dir.join("accounts").join(format!("acct-{i:05}.toml")),
            format!(
                "connector = \"workato\"\n[credentials]\ndata_center = \"custom\"\nbase_url = \"{base_url}\"\n[settings]\nrequest_timeout_secs = 600\n"
            ),
        )?;
    }
    Ok(())
}

/// Runs `roster sync` with tokens in its environment; returns its wall time
/// and its peak RSS.
///
/// The peak is the kernel's high-water mark (`VmHWM` in /proc/<pid>/status),
/// sampled every 10 ms until the process exits. `getrusage(RUSAGE_CHILDREN)`
/// would be wrong here: a forked child is charged the bench's own pages
/// until it execs.
pub(crate) async fn sync(dir: &Path, tokens: &[String]) -> Result<(Duration, u64)> {
    let mut cmd = Command::new(sibling("roster")?);
    cmd.args(["sync", "--config"]).arg(dir).stdout(Stdio::null()).stderr(Stdio::null());
    for (i, token) in tokens.iter().enumerate() {
        cmd.env(format!("ROSTER_ACCOUNT_ACCT_{i:05}__CREDENTIALS__API_TOKEN"), token);
    }
    measure(cmd, "roster sync").await
}

/// Runs `cmd` (`what`, for errors) to its end; returns its wall time and
/// its peak RSS, sampled as [`sync`] says.
pub(crate) async fn measure(mut cmd: Command, what: &str) -> Result<(Duration, u64)> {
    let started = Instant::now();
    let mut child = cmd.spawn().with_context(|| format!("could not run {what}"))?;
    let status_path = child.id().map(|pid| format!("/proc/{pid}/status"));
    let mut peak = 0u64;
    let status = loop {
        if let Some(path) = &status_path {
            peak = peak.max(high_water_mark(path).unwrap_or(0));
        }
        tokio::select! {
            s = child.wait() => break s.with_context(|| format!("could not wait for {what}"))?,
            () = tokio::time::sleep(Duration::from_millis(10)) => {}
        }
    };
    let wall = started.elapsed();
    if !status.success() {
        bail!("{what} exited with {status}; rerun it by hand with the same config to see why");
    }
    Ok((wall, peak))
}

/// `VmHWM` of a live process, in bytes.
fn high_water_mark(status_path: &str) -> Option<u64> {
    let text = std::fs::read_to_string(status_path).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

pub(crate) fn store_size(dir: &Path) -> u64 {
    ["bench.db", "bench.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
        .map(|m| m.len())
        .sum()
}
