//! `roster sync [--config DIR] [--account ID]... [--store PATH] [--accept-shrink]`

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use roster_core::Registry;
use roster_store::{Outcome, Store};
use serde_json::Value;
use tokio::sync::watch;

use roster_engine::config::{load_accounts, load_runner_settings};
use roster_engine::exit;
use roster_engine::sync::{AccountResult, Stop, SyncOptions, sync_all};

use crate::output::summary;
use crate::spinners::Spinners;

/// Loads config and syncs. `overrides` are extra per-account values (the demo's tokens).
pub async fn run(
    registry: &Registry,
    dir: &Path,
    store_flag: Option<&str>,
    only: &[String],
    accept_shrink: bool,
    overrides: &BTreeMap<String, Value>,
) -> Result<u8> {
    let results = match sync_dir(registry, dir, store_flag, only, accept_shrink, overrides).await {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let (results, stop) = results;
    for r in &results {
        if let Some(held) = &r.held {
            let until = held.until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            eprintln!("skipped {}: held by runner {} until {until}", held.account, held.owner);
        }
    }
    summary::print(&results);
    Ok(exit_code(&results, stop))
}

/// The exit code of a sync. An account skipped because a runner holds it
/// is no failure: that runner syncs it, so it does not change the code.
fn exit_code(results: &[AccountResult], stop: Option<Stop>) -> u8 {
    match stop {
        Some(Stop::Interrupt) => exit::INTERRUPTED,
        Some(Stop::Terminate) => exit::TERMINATED,
        None if results.iter().all(|r| r.outcome == Outcome::Ok || r.held.is_some()) => exit::OK,
        None => exit::SOME_FAILED,
    }
}

/// The sync itself, for `sync` and `demo`.
pub async fn sync_dir(
    registry: &Registry,
    dir: &Path,
    store_flag: Option<&str>,
    only: &[String],
    accept_shrink: bool,
    overrides: &BTreeMap<String, Value>,
) -> Result<(Vec<AccountResult>, Option<Stop>), u8> {
    let settings = load_runner_settings(dir).map_err(|problems| {
        for p in problems {
            eprintln!("error: {p}");
        }
        exit::CANNOT_RUN
    })?;
    let mut loaded = load_accounts(dir, registry, overrides);
    for w in &loaded.warnings {
        tracing::warn!("{w}");
    }
    for id in only {
        if !loaded.accounts.iter().any(|a| &a.id == id) && !loaded.failed.contains_key(id) {
            eprintln!("error: no account `{id}` in {}", dir.join("accounts").display());
            return Err(exit::CANNOT_RUN);
        }
    }
    if !only.is_empty() {
        loaded.accounts.retain(|a| only.contains(&a.id));
        loaded.failed.retain(|id, _| only.contains(id));
    }
    if loaded.accounts.is_empty() && loaded.failed.is_empty() {
        for p in &loaded.problems {
            eprintln!("error: {p}");
        }
        eprintln!("error: nothing to sync");
        return Err(exit::CANNOT_RUN);
    }
    for (id, broken) in &loaded.failed {
        for p in &broken.problems {
            tracing::error!(account = %id, "{p}");
        }
    }
    let location = settings.store_location(dir, store_flag);
    let store = Store::open(&location).await.map_err(|e| {
        eprintln!("error: {e}");
        exit::CANNOT_RUN
    })?;
    let stored_connectors: BTreeMap<String, String> = if loaded.failed.is_empty() {
        BTreeMap::new()
    } else {
        match store.accounts().await {
            Ok(accounts) => accounts.into_iter().map(|a| (a.account, a.connector)).collect(),
            Err(e) => {
                eprintln!("error: {e}");
                return Err(exit::CANNOT_RUN);
            }
        }
    };
    let broken = loaded
        .failed
        .into_iter()
        .map(|(id, broken)| {
            let connector = broken.connector_label(stored_connectors.get(&id));
            (id, connector, broken.problems)
        })
        .collect();
    let options = SyncOptions::from_settings(&settings, accept_shrink);
    let (tx, rx) = watch::channel(None);
    let signals = tokio::spawn(watch_signals(tx));
    let results = sync_all(loaded.accounts, broken, store, options, Spinners::progress(), rx.clone()).await;
    signals.abort();
    let stop = *rx.borrow();
    Ok((results, stop))
}

/// Listens for SIGINT and SIGTERM. The handlers are installed when this is
/// called, not when the returned future is first polled, so that a signal
/// sent as soon as the syncs start is never missed (and never kills the
/// process with its default action).
fn watch_signals(tx: watch::Sender<Option<Stop>>) -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let streams = (signal(SignalKind::interrupt()), signal(SignalKind::terminate()));
        async move {
            let (Ok(mut int), Ok(mut term)) = streams else {
                return;
            };
            let stop = tokio::select! {
                _ = int.recv() => Stop::Interrupt,
                _ = term.recv() => Stop::Terminate,
            };
            tracing::warn!("stopping: in-flight syncs are abandoned and recorded as interrupted");
            let _ = tx.send(Some(stop));
        }
    }
    #[cfg(not(unix))]
    {
        async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                let _ = tx.send(Some(Stop::Interrupt));
            }
        }
    }
}
