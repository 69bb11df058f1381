//! Runs accounts' syncs. One account's failure, panic, timeout or
//! misconfiguration never stops or corrupts the others.
//!
//! [`sync_account`] is one account's sync; [`sync_gated`] adds the
//! concurrency limit; [`sync_all`] runs a whole set at once (`roster sync`),
//! and the daemon (`roster run`) calls [`sync_gated`] whenever an account is due.

mod account;
mod progress;
mod record;
mod result;
mod sink;

pub use account::{sync_account, sync_gated};
pub use progress::{Progress, Ticker, Watcher};
pub use record::{config_failure, crashed};
pub use result::AccountResult;

use std::sync::Arc;
use std::time::Duration;

use roster_store::{ShrinkPolicy, Store};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::config::{AccountConfig, ConfigProblem};

/// How a run of syncs behaves.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub concurrency: usize,
    pub timeout: Duration,
    pub policy: ShrinkPolicy,
}

impl SyncOptions {
    /// The runner settings' concurrency, timeout and shrink limit; `accept_shrink`
    /// lets this run's syncs shrink beyond it (`roster sync --accept-shrink`).
    pub fn from_settings(s: &crate::config::RunnerSettings, accept_shrink: bool) -> Self {
        SyncOptions {
            concurrency: s.concurrency,
            timeout: Duration::from_secs(s.account_timeout_secs),
            policy: ShrinkPolicy { max_shrink_fraction: s.max_shrink_fraction, accept_shrink },
        }
    }
}

/// A stop request: which signal asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Interrupt,
    Terminate,
}

/// Syncs `accounts`, records `broken` (accounts whose config failed) as
/// failed, and returns one result per account, sorted by id.
pub async fn sync_all(
    accounts: Vec<AccountConfig>,
    broken: Vec<(String, String, Vec<ConfigProblem>)>,
    store: Store,
    options: SyncOptions,
    progress: Progress,
    stop: watch::Receiver<Option<Stop>>,
) -> Vec<AccountResult> {
    let mut results = Vec::new();
    for (id, connector, problems) in broken {
        results.push(config_failure(&store, id, connector, &problems).await);
    }

    let semaphore = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let options = Arc::new(options);
    let mut tasks = JoinSet::new();
    let mut ids = std::collections::HashMap::new();
    for account in accounts {
        let (id, connector) = (account.id.clone(), account.connector.id);
        let handle = tasks.spawn(sync_gated(
            Arc::new(account),
            store.clone(),
            options.clone(),
            semaphore.clone(),
            progress.clone(),
            stop.clone(),
        ));
        ids.insert(handle.id(), (id, connector));
    }
    while let Some(joined) = tasks.join_next_with_id().await {
        match joined {
            Ok((_, result)) => results.push(result),
            Err(e) => {
                let (id, connector) = ids.get(&e.id()).cloned().unwrap_or_default();
                results.push(crashed(&store, id, connector.to_owned(), &e.to_string()).await);
            }
        }
    }
    results.sort_by(|a, b| a.account.cmp(&b.account));
    results
}

/// Resolves once a stop is requested; never, if the sender is gone.
pub async fn stopped(stop: &mut watch::Receiver<Option<Stop>>) {
    if stop.wait_for(Option::is_some).await.is_err() {
        std::future::pending::<()>().await;
    }
}
