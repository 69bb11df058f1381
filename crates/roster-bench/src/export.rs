//! `roster-bench export`: reading a store out, beside the sync that wrote it.
//!
//! Each round syncs N accounts x M members into a fresh store, then runs
//! `roster users` in every format and `roster report` on it, each as a child
//! process with its output thrown away (`/dev/null`), and compares each
//! one's users/s with the sync's. The median of the rounds' ratios is the
//! figure: as with `run --pairs`, a ratio is only ever taken within a round.

use std::process::Stdio;

use anyhow::{Context, Result};
use tokio::process::Command;

use crate::processes::{sibling, start_sim};
use crate::report::{line, median, mib, rate, secs};
use crate::run::{measure, store_size, sync, write_config};

/// What is timed after each sync: a label and the arguments of `roster`.
const READS: &[(&str, &[&str])] = &[
    ("users --format jsonl", &["users", "--format", "jsonl"]),
    ("users --format csv", &["users", "--format", "csv"]),
    ("users --format json", &["users", "--format", "json"]),
    ("users (table)", &["users", "--format", "table"]),
    ("report", &["report"]),
];

pub async fn run(accounts: usize, members: usize, rounds: usize, concurrency: usize) -> Result<()> {
    println!(
        "roster-bench export: {accounts} accounts x {members} members, {rounds} rounds (a fresh store each), {} cores",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    let sim = start_sim(accounts, members, 0).await?;
    let users = (accounts * members) as u64;
    let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); READS.len()];
    for round in 1..=rounds {
        let dir = tempfile::tempdir().context("could not create a temp dir")?;
        write_config(dir.path(), &sim.base_url, accounts, concurrency)?;
        let (sync_wall, sync_rss) = sync(dir.path(), &sim.tokens).await?;
        let sync_rate = rate(users, sync_wall);
        println!("round {round}");
        line(
            "roster sync (wrote the store)",
            format!(
                "{}, {sync_rate:.0} users/s, {} peak RSS, store {}",
                secs(sync_wall),
                mib(sync_rss),
                mib(store_size(dir.path()))
            ),
        );
        for (i, (label, args)) in READS.iter().enumerate() {
            let mut cmd = Command::new(sibling("roster")?);
            cmd.args(*args).arg("--config").arg(dir.path()).stdout(Stdio::null()).stderr(Stdio::null());
            let (wall, rss) = measure(cmd, &format!("roster {label}")).await?;
            let ratio = rate(users, wall) / sync_rate;
            line(
                &format!("roster {label}"),
                format!(
                    "{}, {:.0} users/s ({ratio:.2}x the sync's), {} peak RSS",
                    secs(wall),
                    rate(users, wall),
                    mib(rss)
                ),
            );
            ratios[i].push(ratio);
        }
    }
    println!("users/s against the sync's, median of {rounds} rounds");
    for ((label, _), mut r) in READS.iter().zip(ratios) {
        r.sort_by(f64::total_cmp);
        line(
            &format!("roster {label}"),
            format!("{:.2}x (from {:.2}x to {:.2}x)", median(&r), r[0], r[r.len() - 1]),
        );
    }
    Ok(())
}
