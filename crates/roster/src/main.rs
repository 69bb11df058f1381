//! `roster`: loads accounts from config files, syncs them concurrently into
//! the store, and reads the results back.

mod cli;
mod commands;
mod config;
mod daemon;
mod exit;
mod form;
mod logging;
mod output;
mod serve;
mod sync;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    logging::init(cli.log_format, cli.verbose);
    // Few blocking threads: they serve store reads (themselves capped) and
    // file I/O. Every extra thread can grow its own malloc arena.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(8)
        .thread_keep_alive(std::time::Duration::from_secs(2))
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::from(exit::CANNOT_RUN);
        }
    };
    match runtime.block_on(commands::run(cli.command)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit::CANNOT_RUN)
        }
    }
}
