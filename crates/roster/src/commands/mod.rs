//! The CLI's own subcommands, one module each. Each returns the process exit code.

pub mod account;
pub mod act;
pub mod actions;
pub mod audit;
pub mod check;
pub mod connectors;
pub mod demo;
pub mod prune;
pub mod reclaim;
pub mod report;
pub mod schema;
pub mod sync;
pub mod users;
pub mod validate;

use roster_engine::config::config_dir;
use roster_engine::exit;

/// Opens the store named by the flag, `roster.toml` or the default.
pub(crate) async fn open_store(
    config: Option<std::path::PathBuf>,
    flag: Option<&str>,
) -> Result<roster_store::Store, u8> {
    let dir = config_dir(config);
    let settings = match roster_engine::config::load_runner_settings(&dir) {
        Ok(s) => s,
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            return Err(exit::CANNOT_RUN);
        }
    };
    let location = settings.store_location(&dir, flag);
    roster_store::Store::open(&location).await.map_err(|e| {
        eprintln!("error: {e}");
        exit::CANNOT_RUN
    })
}

/// The exit code of a command whose output could not be written. A reader
/// that went away (`roster users | head`) is not an error; anything else (a
/// full disk) is, since the output is the point of the command.
pub(crate) fn output_failed(e: &std::io::Error) -> u8 {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        exit::OK
    } else {
        eprintln!("error: could not write the output: {e}");
        exit::CANNOT_RUN
    }
}
