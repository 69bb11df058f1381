//! `roster prune --account ID...`: removes from the store what it keeps of
//! accounts that no longer have a file (their syncs, users, events and
//! license types). Their audit entries stay.

use std::path::PathBuf;

use roster_engine::config::config_dir;
use roster_engine::exit;

pub async fn run(config: Option<PathBuf>, store: Option<&str>, accounts: &[String]) -> u8 {
    let dir = config_dir(config.clone());
    let mut code = exit::OK;
    let mut gone = Vec::new();
    for id in accounts {
        let file = dir.join("accounts").join(format!("{id}.toml"));
        if file.exists() {
            eprintln!(
                "error: account `{id}` still has its file {}; delete the account first (in `roster serve`, \
                 or remove the file), then prune it",
                file.display()
            );
            code = exit::CANNOT_RUN;
        } else {
            gone.push(id);
        }
    }
    if gone.is_empty() {
        return code;
    }
    let store = match super::open_store(config, store).await {
        Ok(s) => s,
        Err(c) => return c,
    };
    for id in gone {
        match store.prune(id).await {
            Ok(p) => println!(
                "pruned {id}: {} sync{}, {} user{}; its audit entries stay",
                p.runs,
                if p.runs == 1 { "" } else { "s" },
                p.users,
                if p.users == 1 { "" } else { "s" }
            ),
            Err(e) => {
                eprintln!("error: {e}");
                code = exit::CANNOT_RUN;
            }
        }
    }
    code
}
