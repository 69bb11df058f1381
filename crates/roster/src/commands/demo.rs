//! `roster demo`: every linked simulator's demo fixture in-process, one sync of all their
//! accounts into a demo store, then the summary and the report.
//!
//! Each simulator crate registers its fixture (`roster_sim_kit::register_demo!`); this
//! command names no vendor. Accounts reach their simulator through their connector's
//! documented custom-origin setting; secrets are handed to the config loader in memory,
//! never written to disk.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::Utc;
use roster_core::Registry;
use roster_engine::config::env_prefix;
use roster_engine::exit;
use roster_sim_kit::demo::{Demo, DemoAccount};
use serde_json::{Map, Value};

use crate::output::summary;

/// What the demo left running for `--serve`: its config, store, secrets and simulators.
pub struct DemoSession {
    pub config: PathBuf,
    pub store: String,
    pub overrides: BTreeMap<String, Value>,
    /// The running simulators; dropping them stops them.
    pub demos: Vec<Demo>,
}

/// Runs the demo. With `serve`, returns the session to serve the web UI over (the
/// simulators still running); otherwise stops them and returns only the exit code.
pub async fn run(
    registry: &Registry,
    dir: Option<PathBuf>,
    serve: Option<SocketAddr>,
) -> Result<(u8, Option<DemoSession>)> {
    let dir = dir.unwrap_or_else(|| std::env::temp_dir().join("roster-demo"));
    let config = dir.join("config");
    let store = dir.join("demo.db");
    prepare(&config, &store)?;

    let mut demos = Vec::new();
    let mut overrides = BTreeMap::new();
    for descriptor in roster_connectors::demos() {
        let demo = (descriptor.start)()
            .await
            .with_context(|| format!("could not start the {} simulator on loopback", descriptor.connector))?;
        println!("{} simulator listening on {}", demo.name, demo.base_url);
        let width = demo.accounts.iter().map(|a| a.id.len()).max().unwrap_or(0).max(10);
        for account in &demo.accounts {
            write_account(&config, descriptor.connector, account)?;
            let secrets: Map<String, Value> =
                account.secrets.iter().map(|(k, v)| ((*k).to_owned(), Value::from(v.as_str()))).collect();
            overrides.insert(account.id.clone(), serde_json::json!({ "credentials": secrets }));
            println!("  {:<width$} {}", account.id, account.summary);
        }
        demos.push(demo);
    }
    println!();

    let store_arg = store.display().to_string();
    let (results, stop) =
        match super::sync::sync_dir(registry, &config, Some(&store_arg), &[], false, &overrides).await {
            Ok(r) => r,
            Err(code) => return Ok((code, None)),
        };
    if serve.is_none() {
        drop(std::mem::take(&mut demos));
    }
    summary::print(&results);
    if stop.is_some() {
        return Ok((exit::INTERRUPTED, None));
    }

    println!();
    let opened = roster_store::Store::open(&store_arg).await?;
    let mut reports = Vec::new();
    for account in demos_accounts(&results) {
        reports.push(opened.report(&account, Utc::now(), 90).await?);
    }
    super::report::print_tables(&reports);
    drop(opened);

    println!();
    println!("the demo store is {}", store.display());
    println!("try:");
    let first = results.first().map_or("", |r| r.account.as_str());
    println!("  roster users --store {} --account {first}", store.display());
    println!("  roster users --store {} --format jsonl | head", store.display());
    println!("  roster report --store {} --inactive-days 30", store.display());
    println!("  roster report --store {} --account {first} --format json", store.display());
    let code = if results.iter().all(|r| r.outcome == roster_store::Outcome::Ok) {
        exit::OK
    } else {
        exit::SOME_FAILED
    };
    if serve.is_some() {
        println!();
        for line in demos.iter().flat_map(|d| &d.connect_hint) {
            println!("{line}");
        }
        println!();
        return Ok((code, Some(DemoSession { config, store: store_arg, overrides, demos })));
    }
    Ok((code, None))
}

fn demos_accounts(results: &[roster_engine::sync::AccountResult]) -> Vec<String> {
    results.iter().map(|r| r.account.clone()).collect()
}

fn prepare(config: &Path, store: &Path) -> Result<()> {
    std::fs::create_dir_all(config.join("accounts"))
        .with_context(|| format!("could not create {}", config.display()))?;
    for entry in std::fs::read_dir(config.join("accounts"))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::remove_file(&path)?;
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", store.display()));
        if p.exists() {
            std::fs::remove_file(&p)
                .with_context(|| format!("could not remove the old demo store {}", p.display()))?;
        }
    }
    Ok(())
}

/// `accounts/<id>.toml` without its secrets, with a comment naming the variables that
/// can supply them.
fn write_account(config: &Path, connector: &str, account: &DemoAccount) -> Result<()> {
    let prefix = env_prefix(&account.id);
    let variables: Vec<String> =
        account.secrets.iter().map(|(k, _)| format!("{prefix}CREDENTIALS__{}", k.to_uppercase())).collect();
    let table = |pairs: &[(&'static str, Value)]| -> Result<String> {
        let map: toml::Table = pairs
            .iter()
            .map(|(k, v)| Ok(((*k).to_owned(), toml::Value::try_from(v.clone())?)))
            .collect::<Result<_, toml::ser::Error>>()?;
        Ok(toml::to_string(&map)?)
    };
    let mut text = format!(
        "# written by `roster demo`: {} served by the in-process simulator.\n\
         # Secrets were handed over in memory; set {} to use this file yourself.\n\
         connector = \"{connector}\"\n\n[credentials]\n{}",
        account.what,
        variables.join(", "),
        table(&account.credentials)?
    );
    if !account.settings.is_empty() {
        text.push_str(&format!("\n[settings]\n{}", table(&account.settings)?));
    }
    let path = config.join("accounts").join(format!("{}.toml", account.id));
    std::fs::write(&path, text).with_context(|| format!("could not write {}", path.display()))
}
