//! Runs many accounts' syncs concurrently. One account's failure, panic,
//! timeout or misconfiguration never stops or corrupts the others.

mod progress;
mod result;
mod sink;

pub use progress::Progress;
pub use result::AccountResult;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use roster_core::{ConnectorError, ErrorKind, SyncContext};
use roster_store::{FailedRun, Failure, Outcome, ShrinkPolicy, Store};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::config::{AccountConfig, ConfigProblem};
use sink::StoreSink;

/// How a run of syncs behaves.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub concurrency: usize,
    pub timeout: Duration,
    pub policy: ShrinkPolicy,
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
        let message = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
        let now = Utc::now();
        let run = FailedRun {
            account: id.clone(),
            connector: connector.clone(),
            started_at: now,
            finished_at: now,
            outcome: Outcome::Failed,
            error_kind: ErrorKind::Config.as_str().to_owned(),
            message: message.clone(),
            remediation: "fix the account file; `roster validate` lists every problem".to_owned(),
        };
        if let Err(e) = store.record_failure(run).await {
            tracing::error!(account = %id, error = %e, "could not record the failure");
        }
        let err = ConnectorError::config(message)
            .with_remediation("fix the account file; `roster validate` lists every problem");
        results.push(AccountResult::failed(id, connector, Duration::ZERO, &err));
    }

    let semaphore = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let options = Arc::new(options);
    let mut tasks = JoinSet::new();
    let mut ids = std::collections::HashMap::new();
    for account in accounts {
        let (id, connector) = (account.id.clone(), account.connector.id);
        let handle = tasks.spawn(sync_one(
            account,
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
                let err = ConnectorError::internal(format!("the sync of {id} crashed: {e}"));
                tracing::error!(account = %id, "the sync task crashed");
                let now = Utc::now();
                let _ = store
                    .record_failure(FailedRun {
                        account: id.clone(),
                        connector: connector.to_owned(),
                        started_at: now,
                        finished_at: now,
                        outcome: Outcome::Failed,
                        error_kind: err.kind().as_str().to_owned(),
                        message: err.message().to_owned(),
                        remediation: err.remediation().to_owned(),
                    })
                    .await;
                results.push(AccountResult::failed(id, connector.to_owned(), Duration::ZERO, &err));
            }
        }
    }
    results.sort_by(|a, b| a.account.cmp(&b.account));
    results
}

async fn stopped(stop: &mut watch::Receiver<Option<Stop>>) {
    if stop.wait_for(Option::is_some).await.is_err() {
        std::future::pending::<()>().await;
    }
}

async fn sync_one(
    account: AccountConfig,
    store: Store,
    options: Arc<SyncOptions>,
    semaphore: Arc<Semaphore>,
    progress: Progress,
    mut stop: watch::Receiver<Option<Stop>>,
) -> AccountResult {
    let id = account.id.clone();
    let connector_id = account.connector.id.to_owned();
    let _permit = tokio::select! {
        p = semaphore.acquire_owned() => p.ok(),
        () = stopped(&mut stop) => {
            let err = ConnectorError::interrupted("stopped before it started");
            return AccountResult::interrupted(id, connector_id, Duration::ZERO, &err);
        }
    };
    let started = Instant::now();
    let connector = match account.build() {
        Ok(c) => c,
        Err(problems) => {
            let message = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
            let err = ConnectorError::config(message);
            let now = Utc::now();
            let _ = store
                .record_failure(FailedRun {
                    account: id.clone(),
                    connector: connector_id.clone(),
                    started_at: now,
                    finished_at: now,
                    outcome: Outcome::Failed,
                    error_kind: err.kind().as_str().to_owned(),
                    message: err.message().to_owned(),
                    remediation: err.remediation().to_owned(),
                })
                .await;
            return AccountResult::failed(id, connector_id, started.elapsed(), &err);
        }
    };
    let bar = progress.start(&id);
    let store_failed = |e: roster_store::StoreError| ConnectorError::store(e.to_string());
    let previous_state = match store.previous_state(&id).await {
        Ok(s) => s,
        Err(e) => {
            return progress
                .done(bar, AccountResult::failed(id, connector_id, started.elapsed(), &store_failed(e)));
        }
    };
    let writer = match store.begin(&id, &connector_id).await {
        Ok(w) => w,
        Err(e) => {
            return progress
                .done(bar, AccountResult::failed(id, connector_id, started.elapsed(), &store_failed(e)));
        }
    };
    let mut sink = StoreSink::new(writer, bar.clone());
    let timeout = account.timeout.unwrap_or(options.timeout);
    let ctx = SyncContext { account_id: id.clone(), previous_state };
    tracing::info!(account = %id, connector = %connector_id, "sync started");
    let outcome = tokio::select! {
        r = tokio::time::timeout(timeout, connector.sync(ctx, &mut sink)) => match r {
            Ok(r) => r,
            Err(_) => Err(ConnectorError::transient(format!("the sync did not finish within {}s", timeout.as_secs()))
                .with_remediation("raise timeout_secs in the account file or account_timeout_secs in roster.toml, or lower the account's load")),
        },
        () = stopped(&mut stop) => Err(ConnectorError::interrupted("stopped by a signal before it finished")),
    };
    let users = sink.users;
    let result = match outcome {
        Ok(()) => match sink.finish(options.policy).await {
            Ok((summary, notes)) => {
                AccountResult::committed(id, connector_id, started.elapsed(), &summary, notes)
            }
            Err(e) => AccountResult::failed(id, connector_id, started.elapsed(), &store_failed(e)),
        },
        Err(err) => {
            let interrupted = err.kind() == ErrorKind::Interrupted;
            let failure = Failure {
                outcome: if interrupted { Outcome::Interrupted } else { Outcome::Failed },
                error_kind: err.kind().as_str().to_owned(),
                message: err.message().to_owned(),
                remediation: err.remediation().to_owned(),
            };
            if let Err(e) = sink.abort(failure).await {
                tracing::error!(account = %id, error = %e, "could not record the failed sync");
            }
            tracing::warn!(account = %id, kind = %err.kind(), error = %err, users_read = users, "sync failed");
            if interrupted {
                AccountResult::interrupted(id, connector_id, started.elapsed(), &err)
            } else {
                AccountResult::failed(id, connector_id, started.elapsed(), &err)
            }
        }
    };
    progress.done(bar, result)
}
