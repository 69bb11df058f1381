//! How long `roster connectors` takes, over repeated runs.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::processes::sibling;

pub fn run(runs: usize) -> Result<()> {
    let roster = sibling("roster")?;
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let status = Command::new(&roster).arg("connectors").stdout(Stdio::null()).status()?;
        times.push(started.elapsed());
        if !status.success() {
            bail!("`roster connectors` exited with {status}");
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("roster connectors, {runs} runs");
    println!("  min     {:>7.2} ms", ms(times[0]));
    println!("  median  {:>7.2} ms", ms(times[times.len() / 2]));
    println!("  p95     {:>7.2} ms", ms(times[(times.len() * 95 / 100).min(times.len() - 1)]));
    println!("  max     {:>7.2} ms", ms(times[times.len() - 1]));
    Ok(())
}
