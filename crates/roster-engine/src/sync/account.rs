//! One account's sync, from building its connector to the commit or abort.
//! `roster sync` runs many of these at once; `roster run` runs them when due.

use std::sync::Arc;
use std::time::Instant;

use roster_core::{ConnectorError, ErrorKind, SyncContext};
use roster_store::{Ended, Failure, Lease, Outcome, Reschedule, Store};
use tokio::sync::{Semaphore, watch};

use super::sink::StoreSink;
use super::{AccountResult, Progress, Stop, SyncOptions, stopped};
use crate::config::AccountConfig;

/// Waits for a slot among `options.concurrency`, then syncs the account
/// under `lease`, if any. A stop before the slot comes ends it as
/// interrupted, giving the lease back, without recording a run.
pub async fn sync_gated(
    account: Arc<AccountConfig>,
    store: Store,
    options: Arc<SyncOptions>,
    semaphore: Arc<Semaphore>,
    progress: Progress,
    mut stop: watch::Receiver<Option<Stop>>,
    lease: Option<(Lease, Reschedule)>,
) -> AccountResult {
    let _permit = tokio::select! {
        p = semaphore.acquire_owned() => p.ok(),
        () = stopped(&mut stop) => {
            release(&store, lease.as_ref(), Ended::Interrupted).await;
            let err = ConnectorError::interrupted("stopped before it started");
            return AccountResult::interrupted(
                account.id.clone(),
                account.connector.id.to_owned(),
                std::time::Duration::ZERO,
                &err,
            );
        }
    };
    sync_account(&account, &store, &options, &progress, stop, lease).await
}

/// Syncs one account now: builds its connector, reads the previous state,
/// streams its users into a store run, and commits it, or aborts it on an
/// error, a timeout or a stop. Every outcome is recorded in the store.
///
/// With a `lease` (the daemon's, or a manual sync's), the run commits only while the lease
/// holds, and its end reschedules the account by the plan.
pub async fn sync_account(
    account: &AccountConfig,
    store: &Store,
    options: &SyncOptions,
    progress: &Progress,
    mut stop: watch::Receiver<Option<Stop>>,
    lease: Option<(Lease, Reschedule)>,
) -> AccountResult {
    let id = account.id.clone();
    let connector_id = account.connector.id.to_owned();
    let started = Instant::now();
    let connector = match account.build() {
        Ok(c) => c,
        Err(problems) => {
            let message = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
            let err = ConnectorError::config(message);
            super::record::record_failure(store, &id, &connector_id, &err).await;
            release(store, lease.as_ref(), Ended::Failed).await;
            return AccountResult::failed(id, connector_id, started.elapsed(), &err);
        }
    };
    let ticker = progress.start(&id);
    let store_failed = |e: roster_store::StoreError| ConnectorError::store(e.to_string());
    let previous_state = match store.previous_state(&id).await {
        Ok(s) => s,
        Err(e) => {
            release(store, lease.as_ref(), Ended::Failed).await;
            return progress
                .done(ticker, AccountResult::failed(id, connector_id, started.elapsed(), &store_failed(e)));
        }
    };
    let held = lease.clone();
    let begun = match lease {
        Some((lease, plan)) => store.begin_leased(&connector_id, lease, plan).await,
        None => store.begin(&id, &connector_id).await,
    };
    let writer = match begun {
        Ok(w) => w,
        Err(e) => {
            release(store, held.as_ref(), Ended::Failed).await;
            return progress
                .done(ticker, AccountResult::failed(id, connector_id, started.elapsed(), &store_failed(e)));
        }
    };
    let mut sink = StoreSink::new(writer, ticker.clone());
    let timeout = account.timeout.unwrap_or(options.timeout);
    let ctx = SyncContext { account_id: id.clone(), previous_state };
    let requests_before = connector.request_stats();
    tracing::info!(account = %id, connector = %connector_id, "sync started");
    let outcome = tokio::select! {
        r = tokio::time::timeout(timeout, connector.sync(ctx, &mut sink)) => match r {
            Ok(r) => r,
            Err(_) => Err(ConnectorError::transient(format!("the sync did not finish within {}s", timeout.as_secs()))
                .with_remediation("raise timeout_secs in the account file or account_timeout_secs in roster.toml, or lower the account's load")),
        },
        () = stopped(&mut stop) => Err(ConnectorError::interrupted("stopped by a signal before it finished")),
    };
    let requests = connector.request_stats().since(requests_before);
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
    progress.done(ticker, result.with_requests(requests))
}

/// Gives a lease back when its sync never began, rescheduling the account.
async fn release(store: &Store, lease: Option<&(Lease, Reschedule)>, ended: Ended) {
    if let Some((lease, plan)) = lease
        && let Err(e) = store.release(lease, plan, ended).await
    {
        tracing::warn!(account = %lease.account, error = %e, "could not release the account's lease");
    }
}
