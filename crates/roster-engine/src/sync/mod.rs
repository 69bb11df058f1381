//! Runs accounts' syncs. One account's failure, panic, timeout or
//! misconfiguration never stops or corrupts the others.
//!
//! [`sync_account`] is one account's sync; [`sync_gated`] adds the
//! concurrency limit; [`sync_all`] runs a whole set at once (`roster sync`)
//! under manual leases, skipping the accounts a runner holds, and the daemon
//! (`roster run`) calls [`sync_account`] under its lease whenever an account is due.

mod account;
mod manual;
mod progress;
mod record;
mod result;
mod sink;

pub use account::{sync_account, sync_gated};
pub(crate) use manual::runner_name;
pub use manual::sync_one;
pub use progress::{Progress, Ticker, Watcher};
pub use record::{config_failure, crashed};
pub use result::AccountResult;

use std::sync::Arc;
use std::time::Duration;

use roster_store::{ShrinkPolicy, Store};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use manual::ManualLeases;

use crate::config::{AccountConfig, ConfigProblem};

/// How a run of syncs behaves.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub concurrency: usize,
    pub timeout: Duration,
    pub policy: ShrinkPolicy,
    /// How long a manual sync's lease on an account lasts between renewals.
    pub lease_for: Duration,
}

impl SyncOptions {
    /// The runner settings' concurrency, timeout and shrink limit; `accept_shrink`
    /// lets this run's syncs shrink beyond it (`roster sync --accept-shrink`).
    pub fn from_settings(s: &crate::config::RunnerSettings, accept_shrink: bool) -> Self {
        SyncOptions {
            concurrency: s.concurrency,
            timeout: Duration::from_secs(s.account_timeout_secs),
            policy: ShrinkPolicy { max_shrink_fraction: s.max_shrink_fraction, accept_shrink },
            lease_for: Duration::from_secs(s.lease_secs),
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
///
/// The accounts are taken with manual leases first, as the daemon's claims
/// would take them: an account a runner holds is skipped, its result names
/// the runner (see [`AccountResult::held`]), and nothing is recorded for it.
/// The leases are renewed while the syncs run and given back as each ends.
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
    let named: Vec<(String, String)> =
        accounts.iter().map(|a| (a.id.clone(), a.connector.id.to_owned())).collect();
    let mut leases = match ManualLeases::claim(&store, &named, options.lease_for).await {
        Ok((leases, skipped)) => {
            results.extend(skipped);
            leases
        }
        Err(e) => {
            let err = roster_core::ConnectorError::store(e.to_string());
            for (id, connector) in named {
                results.push(AccountResult::failed(id, connector, Duration::ZERO, &err));
            }
            results.sort_by(|a, b| a.account.cmp(&b.account));
            return results;
        }
    };

    let semaphore = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let options = Arc::new(options);
    let mut tasks = JoinSet::new();
    let mut ids = std::collections::HashMap::new();
    for account in accounts {
        let Some(lease) = leases.take(&account.id) else {
            continue;
        };
        let (id, connector) = (account.id.clone(), account.connector.id);
        let handle = tasks.spawn(sync_gated(
            Arc::new(account),
            store.clone(),
            options.clone(),
            semaphore.clone(),
            progress.clone(),
            stop.clone(),
            Some(lease),
        ));
        ids.insert(handle.id(), (id, connector));
    }
    let mut renew = tokio::time::interval(leases.period());
    renew.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    renew.tick().await;
    loop {
        let joined = tokio::select! {
            joined = tasks.join_next_with_id() => match joined {
                Some(joined) => joined,
                None => break,
            },
            _ = renew.tick() => {
                leases.renew().await;
                continue;
            }
        };
        match joined {
            Ok((_, result)) => {
                leases.ended(&result.account);
                results.push(result);
            }
            Err(e) => {
                let (id, connector) = ids.get(&e.id()).cloned().unwrap_or_default();
                leases.give_back(&id).await;
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
