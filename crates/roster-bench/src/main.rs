//! `roster-bench`: measures the real `roster` binary end to end against the
//! Workato simulator, and beside it the floor: the same bodies fetched with a
//! plain reqwest client and parsed with serde_json into the same user type,
//! with no framework and no store.
//!
//! The simulator runs as a child process (`roster-workato-sim`) and the
//! runner as another (`roster sync`), so the runner's peak RSS is its own.
//! Build first: `cargo build --release -p roster -p roster-workato-sim -p roster-bench`.

mod args;
mod export;
mod floor;
mod pairs;
mod processes;
mod report;
mod run;
mod startup;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = match args {
        args::Command::Run(opts) => runtime.block_on(run::run(opts)),
        args::Command::Export { accounts, members, rounds, concurrency } => {
            runtime.block_on(export::run(accounts, members, rounds, concurrency))
        }
        args::Command::Startup { runs } => startup::run(runs),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
