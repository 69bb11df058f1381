//! One account of the config directory, for the commands that act on one.

use std::collections::BTreeMap;
use std::path::Path;

use roster_core::Registry;
use roster_engine::config::{AccountConfig, load_accounts};
use roster_engine::exit;

/// The account `id`, or the exit code after saying what is wrong with its file.
pub fn load_one(registry: &Registry, dir: &Path, id: &str) -> Result<AccountConfig, u8> {
    let mut loaded = load_accounts(dir, registry, &BTreeMap::new());
    if let Some(broken) = loaded.failed.get(id) {
        for p in &broken.problems {
            eprintln!("error: {p}");
        }
        return Err(exit::CANNOT_RUN);
    }
    match loaded.accounts.iter().position(|a| a.id == id) {
        Some(i) => Ok(loaded.accounts.swap_remove(i)),
        None => {
            eprintln!(
                "error: no account `{id}` in {}; expected a file {}",
                dir.join("accounts").display(),
                dir.join("accounts").join(format!("{id}.toml")).display()
            );
            Err(exit::CANNOT_RUN)
        }
    }
}
