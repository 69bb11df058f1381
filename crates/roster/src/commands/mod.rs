//! One module per subcommand. Each returns the process exit code.

mod check;
mod connectors;
mod demo;
mod report;
mod schema;
mod sync;
mod users;
mod validate;

use std::collections::BTreeMap;

use anyhow::Result;

use crate::cli::Command;

pub(crate) use sync::connector_of;
pub(crate) use users::{CSV_HEADER, cells, csv_cell};

pub async fn run(command: Command) -> Result<u8> {
    let registry = roster_connectors::registry()?;
    match command {
        Command::Connectors { json } => connectors::run(&registry, json),
        Command::Schema { connector, ui, all: _, out } => match (connector, out) {
            (Some(connector), _) => schema::run(&registry, &connector, ui),
            (None, Some(dir)) => schema::write_all(&registry, &dir),
            (None, None) => anyhow::bail!("name a connector, or pass --all --out DIR"),
        },
        Command::Validate { config } => Ok(validate::run(&registry, config.config)),
        Command::Check { account, config, json } => {
            check::run(&registry, &account, config.config, json).await
        }
        Command::Sync { config, store, accounts, accept_shrink } => {
            let dir = crate::config::config_dir(config.config);
            sync::run(&registry, &dir, store.store.as_deref(), &accounts, accept_shrink, &BTreeMap::new())
                .await
        }
        Command::Users { config, store, accounts, format } => {
            users::run(config.config, store.store.as_deref(), &accounts, format).await
        }
        Command::Report { config, store, accounts, inactive_days, format } => {
            report::run(config.config, store.store.as_deref(), &accounts, inactive_days, format).await
        }
        Command::Demo { dir, serve, listen } => demo::run(&registry, dir, serve.then_some(listen)).await,
        Command::Run { config, store, listen } => {
            let options = crate::daemon::RunOptions {
                dir: crate::config::config_dir(config.config),
                store: store.store,
                listen,
            };
            crate::daemon::run(&registry, options).await
        }
        Command::Serve { listen, config, store, allow_remote } => {
            let options = crate::serve::ServeOptions {
                listen,
                config: crate::config::config_dir(config.config),
                store: store.store,
                allow_remote,
                overrides: BTreeMap::new(),
            };
            crate::serve::run(registry, options).await
        }
    }
}

/// Opens the store named by the flag, `roster.toml` or the default.
pub(crate) async fn open_store(
    config: Option<std::path::PathBuf>,
    flag: Option<&str>,
) -> Result<roster_store::Store, u8> {
    let dir = crate::config::config_dir(config);
    let settings = match crate::config::load_runner_settings(&dir) {
        Ok(s) => s,
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            return Err(crate::exit::CANNOT_RUN);
        }
    };
    let location = settings.store_location(&dir, flag);
    roster_store::Store::open(&location).await.map_err(|e| {
        eprintln!("error: {e}");
        crate::exit::CANNOT_RUN
    })
}

/// The exit code of a command whose output could not be written. A reader
/// that went away (`roster users | head`) is not an error; anything else (a
/// full disk) is, since the output is the point of the command.
pub(crate) fn output_failed(e: &std::io::Error) -> u8 {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        crate::exit::OK
    } else {
        eprintln!("error: could not write the output: {e}");
        crate::exit::CANNOT_RUN
    }
}
