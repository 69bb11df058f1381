//! `roster-zoom-sim`: the Zoom simulator as a standalone server.
//!
//! Prints the base URL, then one line per account: `account_id client_id client_secret`.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use roster_zoom_sim::{AccountSpec, Simulator};

const USAGE: &str = "usage: roster-zoom-sim [--listen ADDR] [--accounts N] [--users N] [--seed N] \
[--token-lifetime-secs N] [--latency-ms N] [--no-rate-limit]";

struct Args {
    listen: SocketAddr,
    accounts: u64,
    users: usize,
    seed: u64,
    token_lifetime_secs: u64,
    latency_ms: u64,
    rate_limit: bool,
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args {
        listen: SocketAddr::from(([127, 0, 0, 1], 8090)),
        accounts: 1,
        users: 200,
        seed: 1,
        token_lifetime_secs: 3600,
        latency_ms: 0,
        rate_limit: true,
    };
    fn value<T: std::str::FromStr>(flag: &str, v: Option<String>) -> Result<T, String> {
        v.ok_or_else(|| format!("{flag} needs a value"))?
            .parse()
            .map_err(|_| format!("{flag}: not a valid value"))
    }
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--listen" => a.listen = value(&flag, it.next())?,
            "--accounts" => a.accounts = value(&flag, it.next())?,
            "--users" => a.users = value(&flag, it.next())?,
            "--seed" => a.seed = value(&flag, it.next())?,
            "--token-lifetime-secs" => a.token_lifetime_secs = value(&flag, it.next())?,
            "--latency-ms" => a.latency_ms = value(&flag, it.next())?,
            "--no-rate-limit" => a.rate_limit = false,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return if e.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    let sim = match Simulator::start_on(args.listen).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    println!("{}", sim.base_url());
    for i in 0..args.accounts {
        let mut spec = AccountSpec::generated(i + 1, args.users, args.seed.wrapping_add(i));
        spec.settings.token_lifetime = Duration::from_secs(args.token_lifetime_secs);
        spec.settings.latency = Duration::from_millis(args.latency_ms);
        if !args.rate_limit {
            spec.settings.rate_limit = None;
        }
        let account = sim.add_account(spec);
        println!("{} {} {}", account.account_id(), account.client_id(), account.client_secret());
    }
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
    sim.shutdown();
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::parse_args;

    #[test]
    fn parses_flags() {
        let args = |list: &[&str]| parse_args(list.iter().map(|s| (*s).to_owned()));
        let a = args(&["--accounts", "3", "--users", "10", "--token-lifetime-secs", "5", "--no-rate-limit"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((a.accounts, a.users, a.token_lifetime_secs, a.rate_limit), (3, 10, 5, false));
        assert!(args(&["--users"]).is_err());
        assert!(args(&["--users", "many"]).is_err());
        assert!(args(&["--bogus"]).is_err());
    }
}
