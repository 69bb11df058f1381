//! The SQLite backend. One writer thread owns the only writing connection
//! and funnels every concurrent sync through a bounded channel; reads run on
//! their own connections beside it, and a second thread copies the
//! write-ahead log back into the file. A run's new users go straight into
//! `users`, invisible until the run commits (see `stage`); its other staged
//! rows live in TEMP tables of the writer's connection. The next open
//! records runs a crashed process left open as interrupted and deletes
//! their new users.

mod audit;
mod checkpoint;
mod commit;
mod history;
mod page;
mod prune;
mod read;
mod report;
mod runs;
mod schedule;
mod schema;
mod stage;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use crate::codec::{StagedBatch, to_micros};
use crate::error::{Result, StoreError};
use crate::history::{HistoryPoint, RunEvent};
use crate::query::{UserPage, UserQuery};
use crate::types::{
    AccountReport, AccountSummary, CommitSummary, Ended, FailedRun, Failure, Lease, Reschedule, StoredUser,
    SyncFinish, SyncRun, UserEvent,
};
use crate::user_row::UserRow;
use schedule::Schedule;
use writer::Msg;

/// Messages waiting for the writer. Each may hold a batch of users, so this
/// bounds memory as much as it bounds latency.
const CHANNEL_CAPACITY: usize = 16;

/// A SQLite store. Cheap to clone; the writer stops when the last clone
/// (and so the last run writing through it) is dropped.
#[derive(Clone)]
pub(crate) struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    tx: Option<mpsc::Sender<Msg>>,
    thread: Option<JoinHandle<()>>,
    /// Idle read connections, reused so that many concurrent reads do not
    /// each open a connection (and a thread, and a page cache).
    readers: std::sync::Mutex<Vec<Connection>>,
    /// At most this many reads run at once.
    read_permits: Arc<tokio::sync::Semaphore>,
    schedule: std::sync::Mutex<Schedule>,
}

/// Concurrent reads beside the writer. WAL lets them run in parallel; more
/// than a few only adds threads and memory on a small machine.
const MAX_CONCURRENT_READS: usize = 4;

impl Drop for Inner {
    fn drop(&mut self) {
        // Closing the channel lets the writer finish what is queued and
        // close the database; waiting for it makes a reopen see it all.
        self.tx.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("path", &self.inner.path).finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens the store at the file path `location`, creating the file and
    /// its directory if needed, bringing its schema up to date, and marking
    /// syncs left unfinished by a process that died as interrupted.
    pub(crate) async fn open(location: &str) -> Result<SqliteStore> {
        if location.is_empty() || location == ":memory:" || location.starts_with("file:") {
            return Err(StoreError::Invalid(format!(
                "`{location}` is not a file path; set the store to the path of a file"
            )));
        }
        let path = PathBuf::from(location);
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        let (ready_tx, ready_rx) = oneshot::channel();
        let thread_path = path.clone();
        let thread = std::thread::Builder::new()
            .name("roster-store-writer".into())
            .spawn(move || writer::run(thread_path, rx, ready_tx))
            .map_err(|e| StoreError::Open {
                path: location.to_owned(),
                detail: format!("cannot start the writer thread: {e}"),
            })?;
        ready_rx.await.map_err(|_| StoreError::Closed)??;
        Ok(SqliteStore {
            inner: Arc::new(Inner {
                path,
                tx: Some(tx),
                thread: Some(thread),
                readers: std::sync::Mutex::new(Vec::new()),
                read_permits: Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_READS)),
                schedule: std::sync::Mutex::new(Schedule::default()),
            }),
        })
    }

    /// The path of the store file.
    pub(crate) fn path(&self) -> &Path {
        &self.inner.path
    }

    pub(crate) async fn call<T>(&self, make: impl FnOnce(oneshot::Sender<Result<T>>) -> Msg) -> Result<T> {
        let (reply, rx) = oneshot::channel();
        let tx = self.inner.tx.as_ref().ok_or(StoreError::Closed)?;
        tx.send(make(reply)).await.map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Sends without waiting for room or an answer, for `Drop`.
    pub(crate) fn post(&self, msg: Msg) {
        let Some(tx) = self.inner.tx.as_ref() else {
            return;
        };
        match tx.try_send(msg) {
            Ok(()) | Err(mpsc::error::TrySendError::Closed(_)) => {}
            Err(mpsc::error::TrySendError::Full(msg)) => {
                let tx = tx.clone();
                let spawned =
                    std::thread::Builder::new().name("roster-store-abort".into()).spawn(move || {
                        let _ = tx.blocking_send(msg);
                    });
                if let Err(e) = spawned {
                    tracing::warn!(error = %e, "could not record an abandoned sync");
                }
            }
        }
    }

    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let permit = self.inner.read_permits.clone().acquire_owned().await.map_err(|_| StoreError::Closed)?;
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let pooled = inner.readers.lock().ok().and_then(|mut pool| pool.pop());
            let mut conn = match pooled {
                Some(c) => c,
                None => schema::open_reader(&inner.path)?,
            };
            let result = f(&mut conn);
            // A connection left inside a transaction is not reused.
            if conn.is_autocommit()
                && let Ok(mut pool) = inner.readers.lock()
            {
                pool.push(conn);
            }
            result
        })
        .await
        .map_err(|e| StoreError::Database(format!("a read stopped: {e}")))?
    }

    /// Opens a run of `account` with `connector`, at the current time.
    pub(crate) async fn begin(&self, account: &str, connector: &str, lease: Option<&Lease>) -> Result<i64> {
        if let Some(lease) = lease {
            self.with_schedule(|s| s.check(lease))?;
        }
        let started_at = to_micros(&Utc::now());
        let (account, connector) = (account.to_owned(), connector.to_owned());
        self.call(|reply| Msg::Begin { account, connector, started_at, reply }).await
    }

    /// Hands a batch to the writer and returns at once with the receiver of
    /// its answer, so that the caller can read on while the batch is written.
    pub(crate) async fn stage(
        &self,
        run_id: i64,
        rows: StagedBatch,
    ) -> Result<oneshot::Receiver<Result<()>>> {
        let (reply, rx) = oneshot::channel();
        let tx = self.inner.tx.as_ref().ok_or(StoreError::Closed)?;
        tx.send(Msg::Users { run_id, rows, reply }).await.map_err(|_| StoreError::Closed)?;
        Ok(rx)
    }

    pub(crate) async fn finish(
        &self,
        run_id: i64,
        finish: SyncFinish,
        lease: Option<&(Lease, Reschedule)>,
    ) -> Result<CommitSummary> {
        if let Some((lease, _)) = lease
            && let Err(e) = self.with_schedule(|s| s.check(lease))
        {
            let failure = Failure {
                outcome: crate::Outcome::Interrupted,
                error_kind: e.kind().as_str().to_owned(),
                message: e.to_string(),
                remediation: "nothing to do: another runner syncs the account".to_owned(),
            };
            self.call(|reply| Msg::Fail { run_id, failure, reply: Some(reply) }).await?;
            return Err(e);
        }
        let finish = Box::new(finish);
        let summary = self.call(|reply| Msg::Finish { run_id, finish, reply }).await;
        if let Some((lease, plan)) = lease {
            let ended = if summary.is_ok() { Ended::Committed } else { Ended::Failed };
            self.with_schedule(|s| s.reschedule(lease, plan, ended, Utc::now()));
        }
        summary
    }

    pub(crate) async fn fail(
        &self,
        run_id: i64,
        failure: Failure,
        lease: Option<&(Lease, Reschedule)>,
    ) -> Result<()> {
        let ended = Ended::of(failure.outcome);
        let result = self.call(|reply| Msg::Fail { run_id, failure, reply: Some(reply) }).await;
        if let Some((lease, plan)) = lease {
            self.with_schedule(|s| s.reschedule(lease, plan, ended, Utc::now()));
        }
        result
    }

    /// Fails a run without waiting, for a dropped writer.
    pub(crate) fn fail_later(&self, run_id: i64, failure: Failure, lease: Option<&(Lease, Reschedule)>) {
        if let Some((lease, plan)) = lease {
            self.with_schedule(|s| s.reschedule(lease, plan, Ended::Interrupted, Utc::now()));
        }
        self.post(Msg::Fail { run_id, failure, reply: None });
    }

    pub(crate) async fn record_failure(&self, run: FailedRun) -> Result<()> {
        let run = Box::new(run);
        self.call(|reply| Msg::RecordFailure { run, reply }).await
    }

    pub(crate) async fn audit(&self, entry: crate::audit::AuditEntry) -> Result<()> {
        let entry = Box::new(entry);
        self.call(|reply| Msg::Audit { entry, reply }).await
    }

    pub(crate) async fn audit_entries(&self, accounts: &[String]) -> Result<Vec<crate::audit::AuditEntry>> {
        let accounts = accounts.to_vec();
        self.read(move |conn| audit::entries(conn, &accounts)).await
    }

    pub(crate) async fn previous_state(&self, account: &str) -> Result<Option<serde_json::Value>> {
        let account = account.to_owned();
        self.read(move |conn| read::previous_state(conn, &account)).await
    }

    pub(crate) async fn for_each_user(
        &self,
        accounts: &[String],
        mut f: impl FnMut(StoredUser) + Send + 'static,
    ) -> Result<()> {
        self.for_each_user_row(accounts, move |row| {
            f(row.to_user()?);
            Ok(())
        })
        .await
    }

    pub(crate) async fn for_each_user_row(
        &self,
        accounts: &[String],
        mut f: impl FnMut(&UserRow<'_>) -> Result<()> + Send + 'static,
    ) -> Result<()> {
        let accounts = accounts.to_vec();
        self.read(move |conn| {
            let tx = conn.transaction()?;
            read::for_each_user_row(&tx, &accounts, &mut f)
        })
        .await
    }

    pub(crate) async fn user_page(&self, q: UserQuery) -> Result<UserPage> {
        self.read(move |conn| {
            let tx = conn.transaction()?;
            let matched = page::count(&tx, &q)?;
            let mut users = Vec::new();
            page::for_each(&tx, &q, &mut |u| users.push(u))?;
            Ok(UserPage { users, matched })
        })
        .await
    }

    pub(crate) async fn for_each_matching_user(
        &self,
        q: UserQuery,
        mut f: impl FnMut(StoredUser) + Send + 'static,
    ) -> Result<()> {
        self.read(move |conn| {
            let tx = conn.transaction()?;
            page::for_each(&tx, &q, &mut f)
        })
        .await
    }

    pub(crate) async fn prune(&self, account: &str) -> Result<crate::prune::Pruned> {
        let account = account.to_owned();
        self.call(|reply| Msg::Prune { account, reply }).await
    }

    pub(crate) async fn history_points(&self, account: &str, limit: usize) -> Result<Vec<HistoryPoint>> {
        let account = account.to_owned();
        self.read(move |conn| {
            let tx = conn.transaction()?;
            history::points(&tx, &account, limit)
        })
        .await
    }

    pub(crate) async fn run_events(
        &self,
        account: &str,
        run_id: i64,
        limit: usize,
    ) -> Result<(Vec<RunEvent>, u64)> {
        let account = account.to_owned();
        self.read(move |conn| {
            let tx = conn.transaction()?;
            history::run_events(&tx, &account, run_id, limit)
        })
        .await
    }

    pub(crate) async fn account_summary(&self, account: &str) -> Result<Option<AccountSummary>> {
        let account = account.to_owned();
        self.read(move |conn| {
            let tx = conn.transaction()?;
            read::account_summary(&tx, &account)
        })
        .await
    }

    pub(crate) async fn accounts(&self) -> Result<Vec<AccountSummary>> {
        self.read(|conn| {
            let tx = conn.transaction()?;
            read::accounts(&tx)
        })
        .await
    }

    pub(crate) async fn history(&self, account: &str, limit: usize) -> Result<Vec<SyncRun>> {
        let account = account.to_owned();
        self.read(move |conn| {
            let tx = conn.transaction()?;
            match read::account(&tx, &account)? {
                Some(a) => read::history(&tx, a.pk, limit),
                None => Ok(Vec::new()),
            }
        })
        .await
    }

    pub(crate) async fn report(
        &self,
        account: &str,
        now: DateTime<Utc>,
        inactive_days: u32,
    ) -> Result<AccountReport> {
        let account = account.to_owned();
        self.read(move |conn| {
            let tx = conn.transaction()?;
            report::report(&tx, &account, now, inactive_days)
        })
        .await
    }

    pub(crate) async fn user_events(&self, account: &str, user_id: &str) -> Result<Vec<UserEvent>> {
        let (account, user_id) = (account.to_owned(), user_id.to_owned());
        self.read(move |conn| read::user_events(conn, &account, &user_id)).await
    }

    fn with_schedule<T>(&self, f: impl FnOnce(&mut Schedule) -> T) -> T {
        let mut guard = self.inner.schedule.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }

    pub(crate) fn schedule(&self, accounts: &[(String, DateTime<Utc>)]) {
        self.with_schedule(|s| s.schedule(accounts));
    }

    pub(crate) fn make_due(&self, account: &str) {
        self.with_schedule(|s| s.make_due(account, Utc::now()));
    }

    pub(crate) fn claim(
        &self,
        owner: &str,
        among: &[String],
        limit: usize,
        lease_for: Duration,
    ) -> Vec<Lease> {
        self.with_schedule(|s| s.claim(owner, among, limit, lease_for, Utc::now()))
    }

    pub(crate) fn renew(&self, leases: &[Lease], lease_for: Duration) -> Vec<String> {
        self.with_schedule(|s| s.renew(leases, lease_for, Utc::now()))
    }

    pub(crate) fn release(&self, lease: &Lease, plan: &Reschedule, ended: Ended) {
        self.with_schedule(|s| s.reschedule(lease, plan, ended, Utc::now()));
    }
}
