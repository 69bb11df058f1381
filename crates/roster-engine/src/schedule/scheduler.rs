//! The daemon's loop: claims due accounts from the store's schedule within
//! the concurrency limit, syncs them under their leases, renews the leases
//! while they run, and follows config changes. The store reschedules each
//! account as its sync ends, in the transaction that records it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use roster_core::Registry;
use roster_store::{Ended, Lease, Reschedule, Store};
use tokio::sync::{Semaphore, watch};
use tokio::task::{AbortHandle, JoinError, JoinSet};

use super::backoff::failure_delay_jittered;
use super::config_watch::ConfigWatch;
use super::status::Status;
use super::table::{Change, Table};
use crate::config::{AccountConfig, RunnerSettings, load_accounts, load_runner_settings};
use crate::sync::{
    AccountResult, Progress, Stop, SyncOptions, config_failure, crashed, stopped, sync_account,
};

/// How long abandoned syncs get to record themselves as interrupted.
const ABANDON_TIMEOUT: Duration = Duration::from_secs(15);

/// How often the daemon asks the schedule for due accounts.
const CLAIM_PERIOD: Duration = Duration::from_secs(1);

type Joined = Result<(tokio::task::Id, AccountResult), JoinError>;

/// A sync in flight.
struct Running {
    account: String,
    connector: String,
    lease: Lease,
    plan: Reschedule,
    abort: AbortHandle,
}

pub struct Scheduler<'r> {
    registry: &'r Registry,
    dir: PathBuf,
    store: Store,
    /// This runner's name in the schedule's leases.
    owner: String,
    settings: RunnerSettings,
    options: Arc<SyncOptions>,
    semaphore: Arc<Semaphore>,
    table: Table<Arc<AccountConfig>>,
    /// Accounts whose file is broken, with the fingerprint already recorded.
    broken: BTreeMap<String, u64>,
    /// Accounts changed while they were syncing: due again once that ends.
    changed_while_running: BTreeSet<String>,
    watch: ConfigWatch,
    runner_fingerprint: Option<u64>,
    tasks: JoinSet<AccountResult>,
    running: HashMap<tokio::task::Id, Running>,
    status: Arc<Status>,
    abandon: watch::Receiver<Option<Stop>>,
    progress: Progress,
    /// What the store knew at start-up, used once per account.
    last_good: BTreeMap<String, SystemTime>,
    /// The connector of each account as last known, to label a broken
    /// file's failure with it (the store keys users by it).
    stored_connectors: BTreeMap<String, String>,
}

fn options(s: &RunnerSettings) -> SyncOptions {
    SyncOptions::from_settings(s, false)
}

impl<'r> Scheduler<'r> {
    pub async fn new(
        registry: &'r Registry,
        dir: &Path,
        store: Store,
        settings: RunnerSettings,
        status: Arc<Status>,
        abandon: watch::Receiver<Option<Stop>>,
    ) -> Self {
        let mut last_good = BTreeMap::new();
        let mut stored_connectors = BTreeMap::new();
        match store.accounts().await {
            Ok(accounts) => {
                for a in accounts {
                    let good = a.last_good_at.map(SystemTime::from);
                    status.metrics.seed(&a.account, &a.connector, a.users.present(), good);
                    if let Some(t) = good {
                        last_good.insert(a.account.clone(), t);
                    }
                    stored_connectors.insert(a.account, a.connector);
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not read the accounts already in the store"),
        }
        let owner = crate::sync::runner_name("run");
        tracing::info!(runner = %owner, shared = store.is_shared(), "scheduling");
        Self {
            registry,
            dir: dir.to_owned(),
            store,
            owner,
            options: Arc::new(options(&settings)),
            semaphore: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            table: Table::new(Duration::from_secs(settings.sync_interval_secs)),
            settings,
            broken: BTreeMap::new(),
            changed_while_running: BTreeSet::new(),
            watch: ConfigWatch::new(dir),
            runner_fingerprint: None,
            tasks: JoinSet::new(),
            running: HashMap::new(),
            status,
            abandon,
            progress: Progress::quiet(),
            last_good,
            stored_connectors,
        }
    }

    fn lease_for(&self) -> Duration {
        Duration::from_secs(self.settings.lease_secs)
    }

    /// Schedules until `shutdown` asks to stop.
    pub async fn run(&mut self, shutdown: &mut watch::Receiver<Option<Stop>>) {
        let mut poll_secs = self.settings.config_poll_secs;
        let mut poll = tokio::time::interval(Duration::from_secs(poll_secs));
        poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut claim = tokio::time::interval(CLAIM_PERIOD);
        claim.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut renew = tokio::time::interval(self.lease_for() / 3);
        renew.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            self.status.beat();
            tokio::select! {
                biased;
                () = stopped(shutdown) => return,
                Some(joined) = self.tasks.join_next_with_id(), if !self.tasks.is_empty() => {
                    self.finished(joined).await;
                }
                _ = poll.tick() => {
                    self.reload().await;
                    if self.settings.config_poll_secs != poll_secs {
                        poll_secs = self.settings.config_poll_secs;
                        poll = tokio::time::interval(Duration::from_secs(poll_secs));
                        poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    }
                }
                _ = renew.tick() => self.renew().await,
                _ = claim.tick() => self.claim_and_start().await,
            }
        }
    }

    /// After a stop: lets in-flight syncs finish within `grace` (or until a
    /// second signal), then abandons the rest, which record themselves as
    /// interrupted and hand their accounts back to the schedule.
    pub async fn drain(&mut self, grace: Duration, abandon: &watch::Sender<Option<Stop>>, stop: Stop) {
        if self.tasks.is_empty() {
            return;
        }
        tracing::info!(
            in_flight = self.tasks.len(),
            grace_secs = grace.as_secs(),
            "waiting for in-flight syncs"
        );
        let deadline = tokio::time::sleep(grace);
        tokio::pin!(deadline);
        let mut second = self.abandon.clone();
        let mut renew = tokio::time::interval(self.lease_for() / 3);
        loop {
            tokio::select! {
                joined = self.tasks.join_next_with_id() => match joined {
                    Some(joined) => self.finished(joined).await,
                    None => return,
                },
                _ = renew.tick() => self.renew().await,
                () = &mut deadline => break,
                () = stopped(&mut second) => break,
            }
        }
        tracing::warn!(
            in_flight = self.tasks.len(),
            "abandoning in-flight syncs; they are recorded as interrupted"
        );
        let _ = abandon.send(Some(stop));
        let hard = tokio::time::sleep(ABANDON_TIMEOUT);
        tokio::pin!(hard);
        loop {
            tokio::select! {
                joined = self.tasks.join_next_with_id() => match joined {
                    Some(joined) => self.finished(joined).await,
                    None => return,
                },
                () = &mut hard => {
                    // Dropping a sync's writer records its run as interrupted.
                    self.tasks.abort_all();
                    while let Some(joined) = self.tasks.join_next_with_id().await {
                        self.finished(joined).await;
                    }
                    return;
                }
            }
        }
    }

    /// Claims as many due accounts as there are free slots, and syncs them.
    async fn claim_and_start(&mut self) {
        let free = self.semaphore.available_permits();
        if free == 0 || self.table.len() == 0 {
            return;
        }
        let among: Vec<String> = self.table.ids().cloned().collect();
        let leases = match self.store.claim_due(&self.owner, &among, free, self.lease_for()).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "could not claim due accounts; trying again shortly");
                return;
            }
        };
        for lease in leases {
            self.start(lease).await;
        }
        self.status.metrics.set_in_flight(self.tasks.len());
    }

    async fn start(&mut self, lease: Lease) {
        let Some((account, interval)) = self.table.get(&lease.account) else {
            return;
        };
        let cap = self.settings.max_failure_backoff_secs.map_or(interval, Duration::from_secs);
        let first = Duration::from_secs(self.settings.failure_backoff_secs);
        let plan = Reschedule {
            interval,
            backoff: failure_delay_jittered(lease.failures.saturating_add(1), first, cap),
        };
        let Ok(permit) = self.semaphore.clone().try_acquire_owned() else {
            if let Err(e) = self.store.release(&lease, &plan, Ended::Interrupted).await {
                tracing::warn!(account = %lease.account, error = %e, "could not hand an account back");
            }
            return;
        };
        let (store, options, progress) = (self.store.clone(), self.options.clone(), self.progress.clone());
        let stop = self.abandon.clone();
        let held = (lease.clone(), plan);
        let account_for_task = account.clone();
        let abort = self.tasks.spawn(async move {
            let _permit = permit;
            sync_account(&account_for_task, &store, &options, &progress, stop, Some(held)).await
        });
        self.running.insert(
            abort.id(),
            Running {
                account: lease.account.clone(),
                connector: account.connector.id.to_owned(),
                lease,
                plan,
                abort,
            },
        );
    }

    /// Extends the leases of the syncs in flight; a sync whose lease was
    /// lost (this runner stalled past it) is stopped: it could not land.
    async fn renew(&mut self) {
        let leases: Vec<Lease> = self.running.values().map(|r| r.lease.clone()).collect();
        match self.store.renew(&leases, self.lease_for()).await {
            Ok(lost) => {
                for r in self.running.values().filter(|r| lost.contains(&r.account)) {
                    tracing::warn!(account = %r.account, "lost the account's lease; stopping its sync");
                    r.abort.abort();
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not renew leases; trying again shortly"),
        }
    }

    async fn finished(&mut self, joined: Joined) {
        let id = match &joined {
            Ok((id, _)) => *id,
            Err(e) => e.id(),
        };
        let running = self.running.remove(&id);
        self.status.metrics.set_in_flight(self.tasks.len());
        let result = match (joined, &running) {
            (Ok((_, result)), _) => result,
            (Err(e), Some(r)) if e.is_cancelled() => {
                tracing::info!(account = %r.account, "sync stopped");
                return;
            }
            (Err(e), Some(r)) => {
                if let Err(err) = self.store.release(&r.lease, &r.plan, Ended::Failed).await {
                    tracing::warn!(account = %r.account, error = %err, "could not release the lease");
                }
                crashed(&self.store, r.account.clone(), r.connector.clone(), &e.to_string()).await
            }
            (Err(_), None) => return,
        };
        self.status.metrics.record(&result, SystemTime::now());
        if let Some(r) = &running
            && result.outcome == roster_store::Outcome::Failed
        {
            tracing::warn!(
                account = %result.account,
                failures = r.lease.failures + 1,
                retry_in_secs = r.plan.backoff.as_secs(),
                "sync failed; backing off"
            );
        }
        if self.changed_while_running.remove(&result.account)
            && let Err(e) = self.store.make_due(&result.account).await
        {
            tracing::warn!(account = %result.account, error = %e, "could not reschedule a changed account");
        }
        if !self.table.contains(&result.account) {
            self.status.metrics.forget(&result.account);
        }
    }

    fn is_running(&self, account: &str) -> bool {
        self.running.values().any(|r| r.account == account)
    }

    /// The first due time of an account new to the schedule: one interval
    /// after its last good sync in the store, or now.
    fn first_due(&mut self, id: &str, interval: Duration) -> DateTime<Utc> {
        let now = SystemTime::now();
        let due = match self.last_good.remove(id) {
            Some(last) => now + interval.saturating_sub(now.duration_since(last).unwrap_or_default()),
            None => now,
        };
        DateTime::<Utc>::from(due)
    }

    fn apply_settings(&mut self) {
        match load_runner_settings(&self.dir) {
            Ok(s) => {
                if s.concurrency != self.settings.concurrency || s.store != self.settings.store {
                    tracing::warn!(
                        "roster.toml: changes to concurrency and store take effect at the next start"
                    );
                }
                self.table.default_interval = Duration::from_secs(s.sync_interval_secs);
                self.options =
                    Arc::new(SyncOptions { concurrency: self.settings.concurrency, ..options(&s) });
                let (concurrency, store) = (self.settings.concurrency, self.settings.store.take());
                self.settings = RunnerSettings { concurrency, store, ..s };
                tracing::info!("roster.toml reloaded");
            }
            Err(problems) => {
                for p in problems {
                    tracing::error!("{p}; keeping the previous runner settings");
                }
            }
        }
    }

    /// Follows added, changed and removed account files.
    async fn reload(&mut self) {
        if !self.watch.poll() && self.runner_fingerprint.is_some() {
            return;
        }
        let runner = self.watch.runner_fingerprint();
        if self.runner_fingerprint.is_some_and(|f| f != runner) {
            self.apply_settings();
        }
        self.runner_fingerprint = Some(runner);

        let loaded = load_accounts(&self.dir, self.registry, &BTreeMap::new());
        for w in &loaded.warnings {
            tracing::warn!("{w}");
        }
        if loaded.accounts.is_empty() && loaded.failed.is_empty() {
            for p in &loaded.problems {
                tracing::warn!("{p}; waiting for account files");
            }
        }
        let mut present = BTreeSet::new();
        let mut added = Vec::new();
        let mut changed = Vec::new();
        for account in loaded.accounts {
            let id = account.id.clone();
            present.insert(id.clone());
            let was_broken = self.broken.remove(&id).is_some();
            self.stored_connectors.insert(id.clone(), account.connector.id.to_owned());
            let fingerprint = self.watch.account_fingerprint(&id);
            let interval = account.sync_interval;
            match self.table.upsert(&id, Arc::new(account), fingerprint, interval) {
                Change::Added => {
                    tracing::info!(account = %id, "account added");
                    let due = self.first_due(&id, interval.unwrap_or(self.table.default_interval));
                    added.push((id.clone(), due));
                    if was_broken {
                        // Fixed: sync it now, whatever its place in the schedule.
                        changed.push(id);
                    }
                }
                Change::Changed => {
                    tracing::info!(account = %id, "account changed; it syncs again now");
                    changed.push(id);
                }
                Change::Unchanged => {}
            }
        }
        if !added.is_empty()
            && let Err(e) = self.store.schedule(&added).await
        {
            tracing::warn!(error = %e, "could not put new accounts on the schedule; retrying at the next change");
            for (id, _) in &added {
                self.table.remove(id);
            }
        }
        for id in changed {
            if self.is_running(&id) {
                self.changed_while_running.insert(id);
            } else if let Err(e) = self.store.make_due(&id).await {
                tracing::warn!(account = %id, error = %e, "could not reschedule a changed account");
            }
        }
        for (id, broken) in loaded.failed {
            present.insert(id.clone());
            let fingerprint = self.watch.account_fingerprint(&id);
            if self.table.remove(&id) {
                tracing::warn!(account = %id, "the account file no longer loads; the account is not synced until it is fixed");
            }
            if self.broken.get(&id) == Some(&fingerprint) {
                continue;
            }
            self.broken.insert(id.clone(), fingerprint);
            for p in &broken.problems {
                tracing::error!(account = %id, "{p}");
            }
            let connector = broken.connector_label(self.stored_connectors.get(&id));
            let result = config_failure(&self.store, id, connector, &broken.problems).await;
            self.status.metrics.record(&result, SystemTime::now());
        }
        let gone: Vec<String> = self.table.ids().filter(|id| !present.contains(*id)).cloned().collect();
        for id in gone {
            self.table.remove(&id);
            self.status.metrics.forget(&id);
            tracing::info!(account = %id, "account removed; it is no longer synced");
        }
        self.broken.retain(|id, _| present.contains(id));
        self.status.metrics.set_accounts(self.table.len(), self.broken.len());
    }
}
