//! The leases of a manual sync (`roster sync`, a web "sync now"): it takes
//! its accounts with [`Store::claim_now`], skipping those a runner holds,
//! renews the leases while the syncs run, as the daemon does, and gives back
//! any that a crashed sync left.

use std::collections::HashMap;
use std::time::Duration;

use roster_core::ConnectorError;
use roster_store::{Ended, Held, Lease, Reschedule, Store};
use tokio::sync::watch;

use super::{AccountResult, Progress, Stop, SyncOptions, sync_account};
use crate::config::AccountConfig;

/// A name for a runner in the schedule's leases: what it is, the host (a
/// pod's name) and the process.
pub(crate) fn runner_name(what: &str) -> String {
    let host = std::env::var("HOSTNAME").ok().filter(|h| !h.is_empty()).unwrap_or_else(|| "host".into());
    format!("{what}-{host}-{}-{:04x}", std::process::id(), rand::random::<u16>())
}

/// The leases a manual sync holds, by account.
pub(crate) struct ManualLeases {
    store: Store,
    lease_for: Duration,
    live: HashMap<String, Lease>,
}

impl ManualLeases {
    /// Takes `accounts` now. Returns the leases taken, and the accounts a
    /// runner holds, as skipped results.
    pub(crate) async fn claim(
        store: &Store,
        accounts: &[(String, String)],
        lease_for: Duration,
    ) -> Result<(ManualLeases, Vec<AccountResult>), roster_store::StoreError> {
        let owner = runner_name("sync");
        let ids: Vec<String> = accounts.iter().map(|(id, _)| id.clone()).collect();
        let (leases, held) = store.claim_now(&owner, &ids, lease_for).await?;
        let connector = |id: &str| accounts.iter().find(|(a, _)| a == id).map(|(_, c)| c.clone());
        let skipped = held
            .into_iter()
            .map(|h| {
                tracing::info!(account = %h.account, runner = %h.owner, until = %h.until, "skipped: a runner holds the account");
                AccountResult::held(connector(&h.account).unwrap_or_default(), h)
            })
            .collect();
        let live = leases.into_iter().map(|l| (l.account.clone(), l)).collect();
        Ok((ManualLeases { store: store.clone(), lease_for, live }, skipped))
    }

    /// The lease of `account`, with the plan its sync ends with (a manual
    /// lease ignores it: the schedule stays as it was).
    pub(crate) fn take(&self, account: &str) -> Option<(Lease, Reschedule)> {
        self.live.get(account).map(|l| (l.clone(), Reschedule::default()))
    }

    /// How often to renew: a third of the lease, as the daemon does.
    pub(crate) fn period(&self) -> Duration {
        (self.lease_for / 3).max(Duration::from_millis(100))
    }

    /// Extends the leases of the syncs still running. A lost lease (this
    /// process stalled past it) needs nothing more: its commit is refused.
    pub(crate) async fn renew(&self) {
        let leases: Vec<Lease> = self.live.values().cloned().collect();
        match self.store.renew(&leases, self.lease_for).await {
            Ok(lost) => {
                for account in lost {
                    tracing::warn!(account = %account, "lost the account's lease; its sync will not land");
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not renew leases; trying again shortly"),
        }
    }

    /// Forgets the lease of a sync that ended: its end gave it back.
    pub(crate) fn ended(&mut self, account: &str) {
        self.live.remove(account);
    }

    /// Gives back the lease of a sync that crashed.
    pub(crate) async fn give_back(&mut self, account: &str) {
        if let Some(lease) = self.live.remove(account)
            && let Err(e) = self.store.release(&lease, &Reschedule::default(), Ended::Failed).await
        {
            tracing::warn!(account = %account, error = %e, "could not release the account's lease");
        }
    }
}

/// Syncs one account now under a manual lease, as `roster sync --account ID`
/// would: skipped, and named, when a runner holds it. For the syncs that
/// follow an action (`act`, `reclaim`).
pub async fn sync_one(
    account: &AccountConfig,
    store: &Store,
    options: &SyncOptions,
    progress: &Progress,
    stop: watch::Receiver<Option<Stop>>,
) -> AccountResult {
    let named = [(account.id.clone(), account.connector.id.to_owned())];
    let (leases, mut skipped) = match ManualLeases::claim(store, &named, options.lease_for).await {
        Ok(claimed) => claimed,
        Err(e) => {
            let err = ConnectorError::store(e.to_string());
            return AccountResult::failed(account.id.clone(), named[0].1.clone(), Duration::ZERO, &err);
        }
    };
    if let Some(held) = skipped.pop() {
        return held;
    }
    let sync = sync_account(account, store, options, progress, stop, leases.take(&account.id));
    tokio::pin!(sync);
    let mut renew = tokio::time::interval(leases.period());
    renew.tick().await;
    loop {
        tokio::select! {
            result = &mut sync => return result,
            _ = renew.tick() => leases.renew().await,
        }
    }
}

impl AccountResult {
    /// An account a manual sync skipped because `held`'s runner holds it.
    pub fn held(connector: String, held: Held) -> Self {
        let until = held.until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let err =
            ConnectorError::interrupted(format!("skipped: held by runner {} until {until}", held.owner))
                .with_remediation(
                    "nothing to do: that runner is syncing it; sync again once it has finished",
                );
        let mut result = AccountResult::interrupted(held.account.clone(), connector, Duration::ZERO, &err);
        result.error_kind = Some("held".to_owned());
        result.held = Some(held);
        result
    }
}
