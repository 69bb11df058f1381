//! Loading `roster.toml` and `accounts/*.toml` with figment, with errors that
//! name the file and the key and never echo a value.

mod account;
mod env;
mod problem;
mod runner;

pub use account::{
    AccountConfig, BrokenAccount, LoadedAccounts, env_prefix, load_accounts, secrets_file, valid_id,
};
pub use problem::ConfigProblem;
pub use runner::{RunnerSettings, load_runner_settings};

use std::path::PathBuf;

/// The config directory: `--config`, else `ROSTER_CONFIG`, else `./config`.
pub fn config_dir(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| std::env::var_os("ROSTER_CONFIG").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("config"))
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
