//! `roster-workato-sim`: runs the simulator standalone.
//!
//! Prints the base URL, then one token per workspace, one per line, and serves until killed.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use roster_workato_sim::{RateLimit, Simulator, WorkspaceSpec};

const USAGE: &str = "usage: roster-workato-sim [--listen ADDR] [--workspaces N] [--members N] [--seed N]
                          [--latency-ms N] [--rate-limit N (0 = off)] [--audit-log]
                          [--wrap-single-member] [--fault-rate P]";

struct Args {
    listen: SocketAddr,
    workspaces: u64,
    members: usize,
    seed: u64,
    latency_ms: u64,
    rate_limit: u32,
    audit_log: bool,
    wrap_single_member: bool,
    fault_rate: f64,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut out = Args {
        listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
        workspaces: 1,
        members: 1000,
        seed: 1,
        latency_ms: 0,
        rate_limit: 60,
        audit_log: false,
        wrap_single_member: false,
        fault_rate: 0.0,
    };
    while let Some(flag) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("missing value for {name}"));
        fn num<T: std::str::FromStr>(name: &str, v: String) -> Result<T, String> {
            v.parse().map_err(|_| format!("invalid value for {name}: {v:?}"))
        }
        match flag.as_str() {
            "--listen" => out.listen = num("--listen", value("--listen")?)?,
            "--workspaces" => out.workspaces = num("--workspaces", value("--workspaces")?)?,
            "--members" => out.members = num("--members", value("--members")?)?,
            "--seed" => out.seed = num("--seed", value("--seed")?)?,
            "--latency-ms" => out.latency_ms = num("--latency-ms", value("--latency-ms")?)?,
            "--rate-limit" => out.rate_limit = num("--rate-limit", value("--rate-limit")?)?,
            "--fault-rate" => out.fault_rate = num("--fault-rate", value("--fault-rate")?)?,
            "--audit-log" => out.audit_log = true,
            "--wrap-single-member" => out.wrap_single_member = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(out)
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
    for i in 0..args.workspaces {
        let mut spec = WorkspaceSpec::generated(i + 1, args.members, args.seed.wrapping_add(i));
        spec.settings.latency = Duration::from_millis(args.latency_ms);
        spec.settings.audit_log_addon = args.audit_log;
        spec.settings.wrap_single_member = args.wrap_single_member;
        spec.settings.rate_limit =
            (args.rate_limit > 0).then(|| RateLimit { per_minute: args.rate_limit, ..RateLimit::default() });
        let ws = sim.add_workspace(spec);
        if args.fault_rate > 0.0 {
            ws.set_random_faults(args.fault_rate, args.seed.wrapping_add(i));
        }
        println!("{}", ws.token());
    }
    if tokio::signal::ctrl_c().await.is_err() {
        // No signal handling available: serve forever.
        std::future::pending::<()>().await;
    }
    sim.shutdown();
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::parse_args;

    fn args(list: &[&str]) -> Result<super::Args, String> {
        parse_args(list.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn parses_flags() {
        let a = args(&[
            "--listen",
            "0.0.0.0:9000",
            "--workspaces",
            "3",
            "--members",
            "10",
            "--seed",
            "5",
            "--latency-ms",
            "20",
            "--audit-log",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.listen.port(), 9000);
        assert_eq!((a.workspaces, a.members, a.seed, a.latency_ms), (3, 10, 5, 20));
        assert!(a.audit_log && !a.wrap_single_member);
        assert!(args(&["--members"]).is_err());
        assert!(args(&["--members", "many"]).is_err());
        assert!(args(&["--bogus"]).is_err());
    }
}
