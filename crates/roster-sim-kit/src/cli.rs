//! The standalone simulator binaries: the flags every simulator takes, and the serve loop.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, CommandFactory, FromArgMatches, Parser};

use crate::sim::{Sim, Vendor};

/// Flags every simulator binary takes.
#[derive(Args, Debug, Clone, PartialEq)]
pub struct CommonArgs {
    /// Address to listen on [default: 127.0.0.1 and the simulator's own port].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Seed of the generated data (tenant i uses seed + i).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Latency added to every response, in milliseconds.
    #[arg(long = "latency-ms", value_name = "MS", default_value_t = 0)]
    pub latency_ms: u64,
    /// Probability (0 to 1) that a request suffers a random transient fault.
    #[arg(long = "fault-rate", value_name = "P", default_value_t = 0.0)]
    pub fault_rate: f64,
    /// Tenants to serve (each vendor names this flag in its own word).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub tenants: u64,
    /// Users per tenant (each vendor names this flag in its own word).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub users: usize,
}

impl CommonArgs {
    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms)
    }

    /// The seed of tenant `i`.
    pub fn seed_of(&self, i: u64) -> u64 {
        self.seed.wrapping_add(i)
    }
}

/// A simulator binary's command line: the common flags and the vendor's own.
#[derive(Parser, Debug)]
pub struct SimCli<F: Args> {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub vendor: F,
}

/// A simulator binary: its name, default port, and the vendor's words for its tenants and
/// users (the flags `--tenants` and `--users` take those names).
#[derive(Debug, Clone, Copy)]
pub struct Binary {
    pub name: &'static str,
    pub default_port: u16,
    /// The tenant-count flag, in the vendor's word (`workspaces`).
    pub tenants: &'static str,
    /// The users-per-tenant flag (`members`), and its default.
    pub users: (&'static str, &'static str),
}

impl Binary {
    pub const fn new(
        name: &'static str,
        default_port: u16,
        tenants: &'static str,
        users: (&'static str, &'static str),
    ) -> Self {
        Binary { name, default_port, tenants, users }
    }

    fn command<F: Args>(&self) -> clap::Command {
        let (users, default_users) = self.users;
        SimCli::<F>::command()
            .name(self.name)
            .about("Serves a simulated vendor API; prints its base URL, then each tenant's credentials, one per line.")
            .mut_arg("tenants", |a| a.long(self.tenants).help(format!("{} to serve", capitalized(self.tenants))))
            .mut_arg("users", |a| {
                a.long(users).help(format!("{} per {}", capitalized(users), singular(self.tenants))).default_value(default_users)
            })
    }
}

fn singular(word: &str) -> &str {
    word.strip_suffix('s').unwrap_or(word)
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A simulator binary's own flags, and how they make its tenants.
pub trait Flags: Args {
    type Vendor: Vendor;
    const BINARY: Binary;

    /// Adds tenant `i` with `users` users generated from `seed`, and returns it with the
    /// line to print for it (its credentials).
    fn add(
        &self,
        sim: &Sim<Self::Vendor>,
        i: u64,
        users: usize,
        seed: u64,
    ) -> (<Self::Vendor as Vendor>::Tenant, String);
}

/// Runs a simulator binary: parses its flags, starts on `--listen` (else loopback and the
/// default port), prints the base URL, adds each tenant and prints its line, applies
/// `--latency-ms` and `--fault-rate` to every tenant, then serves until Ctrl-C.
pub fn main<F: Flags>() -> ExitCode {
    let cli = match SimCli::<F>::from_arg_matches(&F::BINARY.command::<F>().get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listen = cli.common.listen.unwrap_or(SocketAddr::from(([127, 0, 0, 1], F::BINARY.default_port)));
        let sim = match Sim::<F::Vendor>::start_on(listen).await {
            Ok(sim) => sim,
            Err(e) => {
                eprintln!("error: cannot listen on {listen}: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("{}", sim.base_url());
        for i in 0..cli.common.tenants {
            let (tenant, line) = cli.vendor.add(&sim, i, cli.common.users, cli.common.seed_of(i));
            let core = crate::Tenant::core(&tenant);
            core.set_latency(cli.common.latency());
            if cli.common.fault_rate > 0.0 {
                core.set_random_faults(cli.common.fault_rate, cli.common.seed_of(i));
            }
            println!("{line}");
        }
        if tokio::signal::ctrl_c().await.is_err() {
            // No signal handling available: serve forever.
            std::future::pending::<()>().await;
        }
        sim.shutdown();
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Args, Debug)]
    struct Toy {
        #[arg(long)]
        loud: bool,
    }

    const TOY: Binary = Binary::new("toy-sim", 1, "shops", ("clerks", "7"));

    fn parse(args: &[&str]) -> Result<SimCli<Toy>, clap::Error> {
        let matches = TOY
            .command::<Toy>()
            .try_get_matches_from(std::iter::once("toy-sim").chain(args.iter().copied()))?;
        SimCli::<Toy>::from_arg_matches(&matches)
    }

    #[test]
    fn parses_common_flags_in_the_vendors_words() {
        let a = parse(&[
            "--listen",
            "0.0.0.0:9000",
            "--seed",
            "5",
            "--latency-ms",
            "20",
            "--shops",
            "2",
            "--loud",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.common.listen.map(|l| l.port()), Some(9000));
        assert_eq!(
            (a.common.seed_of(1), a.common.latency(), a.common.tenants),
            (6, Duration::from_millis(20), 2)
        );
        assert!(a.vendor.loud);
        assert!(parse(&["--seed"]).is_err());
        assert!(parse(&["--seed", "many"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["--tenants", "2"]).is_err(), "the generic name is replaced");
        let d = parse(&[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (d.common.listen, d.common.fault_rate, d.common.tenants, d.common.users),
            (None, 0.0, 1, 7)
        );
        let help = TOY.command::<Toy>().render_help().to_string();
        assert!(
            help.contains("--shops") && help.contains("Shops to serve") && help.contains("Clerks per shop"),
            "{help}"
        );
    }
}
