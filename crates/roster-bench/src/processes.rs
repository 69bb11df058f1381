//! Starting the simulator and the runner as child processes.

use std::path::PathBuf;
use std::process::Stdio;

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// A binary next to this one (`target/release/<name>`).
pub fn sibling(name: &str) -> Result<PathBuf> {
    let me = std::env::current_exe().context("cannot find the bench binary's path")?;
    let path = me.with_file_name(name);
    if !path.exists() {
        bail!(
            "{} is missing; build it first: cargo build --release -p roster -p roster-workato-sim -p roster-bench",
            path.display()
        );
    }
    Ok(path)
}

pub struct Sim {
    /// Held so the simulator lives as long as this value (it is killed on drop).
    pub _child: Child,
    pub base_url: String,
    pub tokens: Vec<String>,
}

/// Starts `roster-workato-sim` with `accounts` workspaces and reads its
/// base URL and tokens. Rate limiting is off: this measures Roster, not the quota.
pub async fn start_sim(accounts: usize, members: usize, latency_ms: u64) -> Result<Sim> {
    let mut child = Command::new(sibling("roster-workato-sim")?)
        .args(["--listen", "127.0.0.1:0", "--rate-limit", "0"])
        .args(["--workspaces", &accounts.to_string(), "--members", &members.to_string()])
        .args(["--latency-ms", &latency_ms.to_string(), "--seed", "7"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .context("could not start the simulator")?;
    let stdout = child.stdout.take().context("no simulator stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let base_url = lines.next_line().await?.context("the simulator printed no base url")?;
    let mut tokens = Vec::with_capacity(accounts);
    while tokens.len() < accounts {
        let line = lines.next_line().await?.context("the simulator printed too few tokens")?;
        tokens.push(line.trim().to_owned());
    }
    Ok(Sim { _child: child, base_url, tokens })
}
