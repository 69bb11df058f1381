//! `roster`: the command line. It parses arguments, sets up logging and the runtime, and
//! hands each subcommand to its front-end: the CLI's own commands (`commands`), the
//! daemon (`roster-daemon`) or the web UI (`roster-web`), all over the engine
//! (`roster-engine`). The front-ends never import each other; this file composes them.

mod cli;
mod commands;
mod logging;
mod output;
mod spinners;

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;
use cli::Command;
use roster_engine::config::config_dir;
use roster_engine::exit;

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
    match runtime.block_on(dispatch(cli.command)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit::CANNOT_RUN)
        }
    }
}

async fn dispatch(command: Command) -> Result<u8> {
    let registry = roster_connectors::registry()?;
    let registry = &registry;
    match command {
        Command::Connectors { json } => commands::connectors::run(registry, json),
        Command::Schema { connector, ui, all: _, out } => match (connector, out) {
            (Some(connector), _) => commands::schema::run(registry, &connector, ui),
            (None, Some(dir)) => commands::schema::write_all(registry, &dir),
            (None, None) => anyhow::bail!("name a connector, or pass --all --out DIR"),
        },
        Command::Validate { config } => Ok(commands::validate::run(registry, config.config)),
        Command::Check { account, config, json } => {
            commands::check::run(registry, &account, config.config, json).await
        }
        Command::Sync { config, store, accounts, accept_shrink } => {
            let dir = config_dir(config.config);
            commands::sync::run(
                registry,
                &dir,
                store.store.as_deref(),
                &accounts,
                accept_shrink,
                &BTreeMap::new(),
            )
            .await
        }
        Command::Users { config, store, accounts, format } => {
            commands::users::run(config.config, store.store.as_deref(), &accounts, format).await
        }
        Command::Report { config, store, accounts, inactive_days, format } => {
            commands::report::run(config.config, store.store.as_deref(), &accounts, inactive_days, format)
                .await
        }
        Command::Actions { config, account, json } => {
            commands::actions::run(registry, config.config, account.as_deref(), json)
        }
        Command::Act(args) => commands::act::run(registry, args).await,
        Command::Reclaim(args) => commands::reclaim::run(registry, args).await,
        Command::Audit { config, store, accounts, format } => {
            commands::audit::run(config.config, store.store.as_deref(), &accounts, format).await
        }
        Command::Prune { config, store, accounts } => {
            Ok(commands::prune::run(config.config, store.store.as_deref(), &accounts).await)
        }
        Command::Demo { dir, serve, listen } => {
            let (code, session) = commands::demo::run(registry, dir, serve.then_some(listen)).await?;
            let Some(session) = session else {
                return Ok(code);
            };
            let options = roster_web::ServeOptions {
                listen,
                config: session.config,
                store: Some(session.store),
                allow_remote: false,
                overrides: session.overrides,
            };
            let code = roster_web::run(roster_connectors::registry()?, options).await;
            drop(session.demos);
            code
        }
        Command::Run { config, store, listen } => {
            let options =
                roster_daemon::RunOptions { dir: config_dir(config.config), store: store.store, listen };
            roster_daemon::run(registry, options).await
        }
        Command::Serve { listen, config, store, allow_remote } => {
            let options = roster_web::ServeOptions {
                listen,
                config: config_dir(config.config),
                store: store.store,
                allow_remote,
                overrides: BTreeMap::new(),
            };
            roster_web::run(roster_connectors::registry()?, options).await
        }
    }
}
