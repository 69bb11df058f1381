//! What every request handler shares.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;

use roster_core::Registry;
use roster_store::Store;
use serde_json::Value;

pub struct AppState {
    pub registry: Registry,
    /// The config directory (`accounts/`, `secrets/`, `roster.toml`).
    pub config: PathBuf,
    pub store: Store,
    /// Per-account values merged over files and environment (the demo's
    /// in-memory secrets); empty otherwise.
    pub overrides: BTreeMap<String, Value>,
    /// Whether requests may name any host (`--allow-remote`).
    pub allow_remote: bool,
    /// Session id → CSRF token.
    pub sessions: Mutex<HashMap<String, String>>,
    /// Accounts with a sync in progress.
    pub syncing: Mutex<BTreeSet<String>>,
}

impl AppState {
    pub fn new(registry: Registry, config: PathBuf, store: Store, options: &super::ServeOptions) -> Self {
        Self {
            registry,
            config,
            store,
            overrides: options.overrides.clone(),
            allow_remote: options.allow_remote,
            sessions: Mutex::new(HashMap::new()),
            syncing: Mutex::new(BTreeSet::new()),
        }
    }
}
