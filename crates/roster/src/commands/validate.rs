//! `roster validate [--config DIR]`

use std::collections::BTreeMap;
use std::path::PathBuf;

use roster_core::Registry;

use roster_engine::config::{config_dir, load_accounts, load_runner_settings};
use roster_engine::exit;

pub fn run(registry: &Registry, config: Option<PathBuf>) -> u8 {
    let dir = config_dir(config);
    let mut problems = Vec::new();
    if let Err(p) = load_runner_settings(&dir) {
        problems.extend(p);
    }
    let loaded = load_accounts(&dir, registry, &BTreeMap::new());
    problems.extend(loaded.problems);
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    for a in &loaded.accounts {
        println!("ok: {} ({}, {})", a.id, a.connector.id, a.file.display());
    }
    for p in &problems {
        eprintln!("error: {p}");
    }
    if problems.is_empty() {
        println!("{} accounts are valid", loaded.accounts.len());
        exit::OK
    } else {
        eprintln!("{} problems in {}", problems.len(), dir.display());
        exit::CANNOT_RUN
    }
}
