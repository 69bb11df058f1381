//! The Postgres backend: the same guarantees as SQLite's, for many runners
//! sharing one database.
//!
//! Every operation checks a client out of a small pool and runs in its own
//! transaction, so a restarted server costs the operations in flight and
//! nothing more: the next checkout connects again. Staged users live in an
//! unlogged table keyed by run, never read but by their run's commit. Each
//! store holds a session advisory lock (its runner key) on a connection of
//! its own; a run whose runner key is no longer locked belongs to a process
//! that died, and is closed as interrupted by the next store that looks.

mod audit;
mod commit;
mod history;
mod lease;
mod page;
mod pool;
mod prune;
mod read;
mod report;
mod runs;
mod schema;
mod tls;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::task::JoinHandle;
use tokio_postgres::{Client, Config, IsolationLevel, Transaction};

use crate::codec::{StagedBatch, now_micros, to_micros};
use crate::error::{Result, StoreError};
use crate::history::{HistoryPoint, RunEvent};
use crate::query::{UserPage, UserQuery};
use crate::types::{
    AccountReport, AccountSummary, CommitSummary, FailedRun, Failure, StoredUser, SyncFinish, SyncRun,
    UserEvent,
};

use crate::types::{Ended, Held, Lease, Reschedule};
use pool::{Connector, Pool};

/// Connections one store uses at most, besides the one holding its lock.
const MAX_CONNECTIONS: usize = 8;

/// How often the lock keeper checks its connection and sweeps orphans.
const KEEPER_PERIOD: Duration = Duration::from_secs(5);

/// The text of a Postgres error: the server's message when there is one.
pub(crate) fn db_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => e.to_string(),
    }
}

/// Whether `location` names a Postgres database.
pub(crate) fn is_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// The location without its password, for messages and logs.
fn shown(location: &str) -> String {
    match url::Url::parse(location) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            u.to_string()
        }
        Err(_) => "the postgres url".to_owned(),
    }
}

#[derive(Clone)]
pub(crate) struct PgStore {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Pool,
    /// The advisory lock this store holds while it lives.
    runner_key: i64,
    pause: Option<Duration>,
    keeper: JoinHandle<()>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Its connection closes with it, releasing the lock.
        self.keeper.abort();
    }
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("location", &self.inner.pool.shown()).finish_non_exhaustive()
    }
}

impl PgStore {
    pub(crate) async fn open(location: &str) -> Result<PgStore> {
        let shown = shown(location);
        let settings = tls::settings(location, &shown)?;
        let config: Config = settings.rest.parse().map_err(|e: tokio_postgres::Error| {
            StoreError::BadUrl { url: shown.clone(), detail: crate::error::lowercase_first(&e.to_string()) }
        })?;
        let connector = Connector::new(config, tls::connector(&settings, &shown)?, settings.mode);
        let pool = Pool::new(connector, shown.clone(), MAX_CONNECTIONS)?;
        {
            let mut client = pool.connect().await?;
            schema::migrate(&mut client, &shown).await?;
        }
        let runner_key = i64::from(rand::random::<u32>() >> 1) << 32 | i64::from(rand::random::<u32>());
        let lock = pool.connect().await?;
        lock.execute("SELECT pg_advisory_lock($1)", &[&runner_key]).await?;
        let pause = std::env::var(crate::PAUSE_BEFORE_COMMIT_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_millis);
        let store = PgStore {
            inner: Arc::new(Inner {
                keeper: tokio::spawn(keep_lock(pool.connector().clone(), shown.clone(), runner_key, lock)),
                pool,
                runner_key,
                pause,
            }),
        };
        store.sweep_orphans().await?;
        Ok(store)
    }

    /// Runs `f` in a transaction on a pooled client, committing on success.
    async fn tx<T>(
        &self,
        isolation: IsolationLevel,
        f: impl AsyncFnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.inner.pool.get().await?;
        let tx = conn.build_transaction().isolation_level(isolation).start().await?;
        let out = f(&tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn write<T>(&self, f: impl AsyncFnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.tx(IsolationLevel::ReadCommitted, f).await
    }

    async fn read<T>(&self, f: impl AsyncFnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.tx(IsolationLevel::RepeatableRead, f).await
    }

    /// Closes runs of processes that died.
    async fn sweep_orphans(&self) -> Result<()> {
        let n = self.write(async |tx| runs::interrupt_orphans(tx).await).await?;
        if n > 0 {
            tracing::info!(runs = n, "marked syncs left unfinished as interrupted");
        }
        Ok(())
    }

    pub(crate) fn shown(&self) -> &str {
        self.inner.pool.shown()
    }

    pub(crate) async fn begin(&self, account: &str, connector: &str, lease: Option<&Lease>) -> Result<i64> {
        let key = self.inner.runner_key;
        let started_at = to_micros(&Utc::now());
        self.write(async |tx| {
            if let Some(lease) = lease {
                lease::check(tx, lease).await?;
            }
            runs::begin(tx, account, connector, started_at, key).await
        })
        .await
    }

    pub(crate) async fn stage(&self, run_id: i64, batch: StagedBatch) -> Result<()> {
        self.write(async |tx| runs::stage(tx, run_id, &batch).await).await
    }

    pub(crate) async fn finish(
        &self,
        run_id: i64,
        finish: &SyncFinish,
        lease: Option<&(Lease, Reschedule)>,
    ) -> Result<CommitSummary> {
        let pause = self.inner.pause;
        let result = self
            .write(async |tx| {
                if let Some((lease, plan)) = lease {
                    lease::check(tx, lease).await?;
                    lease::reschedule(tx, lease, plan, Ended::Committed).await?;
                }
                let summary = commit::finish(tx, run_id, finish, now_micros()).await?;
                if let Some(pause) = pause {
                    tracing::warn!(
                        pause_ms = pause.as_millis() as u64,
                        "{}: pausing inside the commit transaction, before COMMIT",
                        crate::PAUSE_BEFORE_COMMIT_ENV
                    );
                    tokio::time::sleep(pause).await;
                }
                Ok(summary)
            })
            .await;
        if let Err(e) = &result
            && !matches!(e, StoreError::RunNotActive(_))
        {
            // Close the run, so that its staged rows go and the history says why.
            let failure = match e {
                StoreError::LeaseLost(_) => Failure {
                    outcome: crate::Outcome::Interrupted,
                    error_kind: e.kind().as_str().to_owned(),
                    message: e.to_string(),
                    remediation: "nothing to do: another runner syncs the account".to_owned(),
                },
                _ => Failure {
                    outcome: crate::Outcome::Failed,
                    error_kind: e.kind().as_str().to_owned(),
                    message: "the sync results could not be written to the store".to_owned(),
                    remediation: "check that the store is reachable and writable, then sync again".to_owned(),
                },
            };
            if let Err(close) = self.fail(run_id, &failure, lease).await {
                tracing::warn!(run_id, error = %close, "could not close a failed sync");
            }
        }
        result
    }

    pub(crate) async fn fail(
        &self,
        run_id: i64,
        failure: &Failure,
        lease: Option<&(Lease, Reschedule)>,
    ) -> Result<()> {
        self.write(async |tx| {
            if let Some((lease, plan)) = lease
                && lease::check(tx, lease).await.is_ok()
            {
                lease::reschedule(tx, lease, plan, Ended::of(failure.outcome)).await?;
            }
            runs::fail(tx, run_id, failure, now_micros()).await
        })
        .await
    }

    pub(crate) async fn audit(&self, entry: &crate::audit::AuditEntry) -> Result<()> {
        self.write(async |tx| audit::insert(tx, entry).await).await
    }

    pub(crate) async fn audit_entries(&self, accounts: &[String]) -> Result<Vec<crate::audit::AuditEntry>> {
        self.read(async |tx| audit::entries(tx, accounts).await).await
    }

    pub(crate) async fn record_failure(&self, run: &FailedRun) -> Result<()> {
        self.write(async |tx| runs::record_failure(tx, run).await).await
    }

    pub(crate) async fn previous_state(&self, account: &str) -> Result<Option<serde_json::Value>> {
        self.read(async |tx| read::previous_state(tx, account).await).await
    }

    pub(crate) async fn for_each_user(
        &self,
        accounts: &[String],
        f: &mut (dyn FnMut(StoredUser) + Send),
    ) -> Result<()> {
        self.read(async |tx| read::for_each_user(tx, accounts, f).await).await
    }

    pub(crate) async fn user_page(&self, q: &UserQuery) -> Result<UserPage> {
        self.read(async |tx| {
            let matched = page::count(tx, q).await?;
            let mut users = Vec::new();
            page::for_each(tx, q, &mut |u| users.push(u)).await?;
            Ok(UserPage { users, matched })
        })
        .await
    }

    pub(crate) async fn for_each_matching_user(
        &self,
        q: &UserQuery,
        f: &mut (dyn FnMut(StoredUser) + Send),
    ) -> Result<()> {
        self.read(async |tx| page::for_each(tx, q, f).await).await
    }

    pub(crate) async fn prune(&self, account: &str) -> Result<crate::prune::Pruned> {
        self.write(async |tx| prune::prune(tx, account).await).await
    }

    pub(crate) async fn history_points(&self, account: &str, limit: usize) -> Result<Vec<HistoryPoint>> {
        self.read(async |tx| history::points(tx, account, limit).await).await
    }

    pub(crate) async fn run_events(
        &self,
        account: &str,
        run_id: i64,
        limit: usize,
    ) -> Result<(Vec<RunEvent>, u64)> {
        self.read(async |tx| history::run_events(tx, account, run_id, limit).await).await
    }

    pub(crate) async fn account_summary(&self, account: &str) -> Result<Option<AccountSummary>> {
        self.read(async |tx| read::account_summary(tx, account).await).await
    }

    pub(crate) async fn accounts(&self) -> Result<Vec<AccountSummary>> {
        self.read(async |tx| read::accounts(tx).await).await
    }

    pub(crate) async fn history(&self, account: &str, limit: usize) -> Result<Vec<SyncRun>> {
        self.read(async |tx| match read::account(tx, account).await? {
            Some(a) => read::history(tx, a.pk, limit).await,
            None => Ok(Vec::new()),
        })
        .await
    }

    pub(crate) async fn report(&self, account: &str, now: DateTime<Utc>, days: u32) -> Result<AccountReport> {
        self.read(async |tx| report::report(tx, account, now, days).await).await
    }

    pub(crate) async fn user_events(&self, account: &str, user_id: &str) -> Result<Vec<UserEvent>> {
        self.read(async |tx| read::user_events(tx, account, user_id).await).await
    }

    pub(crate) async fn schedule(&self, accounts: &[(String, DateTime<Utc>)]) -> Result<()> {
        self.write(async |tx| lease::schedule(tx, accounts).await).await
    }

    pub(crate) async fn make_due(&self, account: &str) -> Result<()> {
        self.write(async |tx| lease::make_due(tx, account).await).await
    }

    pub(crate) async fn claim(
        &self,
        owner: &str,
        among: &[String],
        limit: usize,
        lease_for: Duration,
    ) -> Result<Vec<Lease>> {
        let claimed = self.write(async |tx| lease::claim(tx, owner, among, limit, lease_for).await).await?;
        if !claimed.is_empty() {
            // The previous holders of these accounts may have died mid-sync.
            self.sweep_orphans().await?;
        }
        Ok(claimed)
    }

    pub(crate) async fn claim_now(
        &self,
        owner: &str,
        accounts: &[String],
        lease_for: Duration,
    ) -> Result<(Vec<Lease>, Vec<Held>)> {
        let (leases, held) =
            self.write(async |tx| lease::claim_now(tx, owner, accounts, lease_for).await).await?;
        if !leases.is_empty() {
            // The previous holders of these accounts may have died mid-sync.
            self.sweep_orphans().await?;
        }
        Ok((leases, held))
    }

    pub(crate) async fn renew(&self, leases: &[Lease], lease_for: Duration) -> Result<Vec<String>> {
        self.write(async |tx| lease::renew(tx, leases, lease_for).await).await
    }

    pub(crate) async fn release(&self, lease: &Lease, plan: &Reschedule, ended: Ended) -> Result<()> {
        self.write(async |tx| {
            if lease::check(tx, lease).await.is_ok() {
                lease::reschedule(tx, lease, plan, ended).await?;
            }
            Ok(())
        })
        .await
    }
}

/// Holds the runner's advisory lock: reconnects and locks again when the
/// connection is lost (a restarted server), and sweeps orphans now and then.
async fn keep_lock(connector: Connector, shown: String, key: i64, mut lock: Client) {
    loop {
        tokio::time::sleep(KEEPER_PERIOD).await;
        if !lock.is_closed() {
            continue;
        }
        tracing::warn!(store = %shown, "lost the connection to the store; reconnecting");
        match connector.client(&shown).await {
            Ok(c) => match c.execute("SELECT pg_advisory_lock($1)", &[&key]).await {
                Ok(_) => {
                    lock = c;
                    tracing::info!(store = %shown, "reconnected to the store");
                }
                Err(e) => tracing::warn!(error = %db_message(&e), "could not take the runner lock again"),
            },
            Err(e) => tracing::warn!(error = %e, "could not reconnect to the store"),
        }
    }
}
