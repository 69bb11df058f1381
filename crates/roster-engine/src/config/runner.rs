//! `roster.toml`: optional runner settings.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Format, Toml};
use serde::Deserialize;

use super::problem::{ConfigProblem, from_figment};

/// Settings of the runner itself, from `DIR/roster.toml`. Every key is optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunnerSettings {
    /// Store location; relative paths are relative to the config directory.
    pub store: Option<String>,
    /// How many accounts sync at once.
    pub concurrency: usize,
    /// How long one account's sync may take.
    pub account_timeout_secs: u64,
    /// A sync that loses more than this fraction of users is degraded.
    pub max_shrink_fraction: f64,
    /// `roster run`: how often each account is synced, unless its file says otherwise.
    pub sync_interval_secs: u64,
    /// `roster run`: the delay after a first failed sync; it doubles with each
    /// further failure in a row.
    pub failure_backoff_secs: u64,
    /// `roster run`: the longest delay after failures; unset means the account's interval.
    pub max_failure_backoff_secs: Option<u64>,
    /// `roster run`: how often the accounts folder is checked for changes.
    pub config_poll_secs: u64,
    /// `roster run`: how long in-flight syncs may go on after SIGTERM before
    /// they are abandoned.
    pub shutdown_grace_secs: u64,
    /// `roster run`: how long a runner holds an account it claimed without
    /// renewing the lease; a dead runner's accounts move after this long.
    /// A manual `roster sync` holds its accounts' leases as long.
    pub lease_secs: u64,
}

/// Six hours: user lists change slowly, and vendors' daily quotas stay far away.
pub const DEFAULT_SYNC_INTERVAL_SECS: u64 = 6 * 60 * 60;

impl Default for RunnerSettings {
    fn default() -> Self {
        Self {
            store: None,
            concurrency: 96,
            account_timeout_secs: 600,
            max_shrink_fraction: 0.5,
            sync_interval_secs: DEFAULT_SYNC_INTERVAL_SECS,
            failure_backoff_secs: 60,
            max_failure_backoff_secs: None,
            config_poll_secs: 5,
            shutdown_grace_secs: 20,
            lease_secs: 60,
        }
    }
}

impl RunnerSettings {
    /// The store location: the flag, else `roster.toml`'s, else `./.roster/roster.db`.
    pub fn store_location(&self, dir: &Path, flag: Option<&str>) -> String {
        if let Some(f) = flag {
            return f.to_owned();
        }
        match &self.store {
            Some(s) if Path::new(s).is_relative() && !s.contains("://") => dir.join(s).display().to_string(),
            Some(s) => s.clone(),
            None => PathBuf::from(".roster").join("roster.db").display().to_string(),
        }
    }
}

/// Reads `DIR/roster.toml`; a missing file means the defaults.
pub fn load_runner_settings(dir: &Path) -> Result<RunnerSettings, Vec<ConfigProblem>> {
    let path = dir.join("roster.toml");
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => return Err(vec![ConfigProblem::file(&path, "is not valid utf-8 text")]),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(RunnerSettings::default()),
        Err(e) => {
            return Err(vec![ConfigProblem::file(&path, format!("cannot be read: {e}"))]);
        }
    };
    if let Err(e) = text.parse::<toml::Table>() {
        return Err(vec![super::account::toml_problem(&path, &text, &e)]);
    }
    let settings: RunnerSettings = Figment::new()
        .merge(Toml::string(&text))
        .extract()
        .map_err(|e| e.into_iter().map(|e| from_figment(&path, &e)).collect::<Vec<_>>())?;
    let mut problems = Vec::new();
    if settings.concurrency == 0 {
        problems.push(ConfigProblem::key(&path, "concurrency", "expected a positive integer"));
    }
    if !(0.0..=1.0).contains(&settings.max_shrink_fraction) {
        problems.push(ConfigProblem::key(
            &path,
            "max_shrink_fraction",
            "expected a fraction between 0 and 1",
        ));
    }
    let positive = [
        ("account_timeout_secs", settings.account_timeout_secs),
        ("sync_interval_secs", settings.sync_interval_secs),
        ("failure_backoff_secs", settings.failure_backoff_secs),
        ("max_failure_backoff_secs", settings.max_failure_backoff_secs.unwrap_or(1)),
        ("config_poll_secs", settings.config_poll_secs),
        ("lease_secs", settings.lease_secs),
    ];
    for (key, value) in positive {
        if value == 0 {
            problems.push(ConfigProblem::key(&path, key, "expected a positive number of seconds"));
        }
    }
    if problems.is_empty() { Ok(settings) } else { Err(problems) }
}
