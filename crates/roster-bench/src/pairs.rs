//! `--pairs K`: the floor and a first sync, alternated K times.
//!
//! Wall times on a shared virtual machine drift by ±10% and more over a
//! minute, and the floor and the sync of one run are measured a few seconds
//! apart. Alternating them, each sync into a fresh store, and taking the
//! median of the pairs' ratios gives a figure one slow or fast moment
//! cannot move.

use anyhow::{Context, Result};

use crate::args::RunOptions;
use crate::floor;
use crate::processes::Sim;
use crate::report::{line, median, rate};
use crate::run::{sync, write_config};

pub async fn run(sim: &Sim, opts: &RunOptions) -> Result<()> {
    let users = (opts.accounts * opts.members) as u64;
    println!("floor and first sync alternated ({} pairs, a fresh store each)", opts.pairs);
    let mut ratios = Vec::with_capacity(opts.pairs);
    for pair in 1..=opts.pairs {
        let f = floor::measure(&sim.base_url, &sim.tokens, opts.floor_concurrency, true).await?;
        let dir = tempfile::tempdir().context("could not create a temp dir")?;
        write_config(dir.path(), &sim.base_url, opts.accounts, opts.concurrency)?;
        let (wall, _) = sync(dir.path(), &sim.tokens).await?;
        let (floor_rate, roster_rate) = (rate(f.users, f.wall), rate(users, wall));
        let ratio = roster_rate / floor_rate;
        line(
            &format!("pair {pair}"),
            format!("floor {floor_rate:.0}, roster {roster_rate:.0} users/s: {:.0}%", ratio * 100.0),
        );
        ratios.push(ratio);
    }
    ratios.sort_by(f64::total_cmp);
    if ratios.is_empty() {
        return Ok(());
    }
    let median = median(&ratios);
    let (low, high) = (ratios[0], ratios[ratios.len() - 1]);
    line(
        "users/s vs floor, median",
        format!("{:.0}% (from {:.0}% to {:.0}%)", median * 100.0, low * 100.0, high * 100.0),
    );
    Ok(())
}
