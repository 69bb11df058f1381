//! The store: atomic snapshots of each account's users, users that
//! disappeared marked removed, sync history and connector state.
//!
//! Everything outside this crate sees plain Rust types; the storage engine
//! (SQLite today) stays inside. One writer thread owns the only writing
//! connection and funnels every concurrent sync through a bounded channel;
//! reads run on their own connections beside it.
//!
//! A sync is [`Store::begin`], any number of [`SyncWriter::users`] batches,
//! then [`SyncWriter::finish`] (one atomic commit) or [`SyncWriter::abort`]
//! (nothing changes but the history). Staged users live in a temporary table
//! of the writer's connection, so a crashed sync leaves nothing behind; the
//! next [`Store::open`] records such runs as interrupted.
//!
//! Test-only hook: when the environment variable
//! `ROSTER_TEST_PAUSE_BEFORE_COMMIT_MS` is set to a number of milliseconds,
//! the writer sleeps that long inside a transaction that commits a sync, just
//! before COMMIT, so that a test can kill the process at that moment. It is
//! read once, when the store is opened. Never set it in production.

mod codec;
mod commit;
mod error;
mod read;
mod report;
mod runs;
mod schema;
mod sync_writer;
mod types;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

pub use error::StoreError;
pub use sync_writer::SyncWriter;
pub use types::{
    AccountReport, AccountSummary, CommitSummary, FailedRun, Failure, InactiveCounts, LastSync, Outcome,
    ShrinkPolicy, StatusCounts, StoredUser, SyncFinish, SyncRun, UserEvent, UserEventKind,
};
pub use writer::PAUSE_BEFORE_COMMIT_ENV;

use codec::to_micros;
use error::Result;
use writer::Msg;

/// Messages waiting for the writer. Each may hold a batch of users, so this
/// bounds memory as much as it bounds latency.
const CHANNEL_CAPACITY: usize = 16;

/// A handle to an open store. Cheap to clone; the writer stops when the last
/// clone and the last [`SyncWriter`] are dropped.
#[derive(Clone)]
pub struct Store {
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

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.inner.path).finish_non_exhaustive()
    }
}

fn check_outcome(outcome: Outcome) -> Result<()> {
    if outcome.is_success() {
        return Err(StoreError::Invalid(format!(
            "a failed sync must have outcome failed or interrupted, not {outcome}"
        )));
    }
    Ok(())
}

impl Store {
    /// Opens the store at the file path `location`, creating the file and
    /// its directory if needed, bringing its schema up to date, and marking
    /// syncs left unfinished by a process that died as interrupted.
    pub async fn open(location: &str) -> Result<Store, StoreError> {
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
        Ok(Store {
            inner: Arc::new(Inner {
                path,
                tx: Some(tx),
                thread: Some(thread),
                readers: std::sync::Mutex::new(Vec::new()),
                read_permits: Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_READS)),
            }),
        })
    }

    /// The path of the store file.
    pub fn path(&self) -> &Path {
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

    /// Starts a sync of `account` with `connector`, at the current time.
    pub async fn begin(&self, account: &str, connector: &str) -> Result<SyncWriter, StoreError> {
        if account.is_empty() {
            return Err(StoreError::Invalid("the account name is empty; give every account a name".into()));
        }
        let started_at = to_micros(&Utc::now());
        let (account, connector) = (account.to_owned(), connector.to_owned());
        let run_id = self.call(|reply| Msg::Begin { account, connector, started_at, reply }).await?;
        Ok(SyncWriter::new(self.clone(), run_id))
    }

    /// The connector state stored by the latest successful (ok or degraded)
    /// sync of `account`.
    pub async fn previous_state(&self, account: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let account = account.to_owned();
        self.read(move |conn| read::previous_state(conn, &account)).await
    }

    /// Records a sync that failed before it could begin, such as one with a
    /// configuration error.
    pub async fn record_failure(&self, run: FailedRun) -> Result<(), StoreError> {
        check_outcome(run.outcome)?;
        let run = Box::new(run);
        self.call(|reply| Msg::RecordFailure { run, reply }).await
    }

    /// Calls `f` with every current user of `accounts` (of every account when
    /// empty), removed users included, ordered by account then user id. The
    /// users are read one at a time from a single snapshot.
    pub async fn for_each_user(
        &self,
        accounts: &[String],
        mut f: impl FnMut(StoredUser) + Send + 'static,
    ) -> Result<(), StoreError> {
        let accounts = accounts.to_vec();
        self.read(move |conn| {
            let tx = conn.transaction()?;
            read::for_each_user(&tx, &accounts, &mut f)
        })
        .await
    }

    /// Every account ever synced (or attempted), by name.
    pub async fn accounts(&self) -> Result<Vec<AccountSummary>, StoreError> {
        self.read(|conn| {
            let tx = conn.transaction()?;
            read::accounts(&tx)
        })
        .await
    }

    /// The latest `limit` finished runs of `account`, newest first. Runs in
    /// progress are not listed.
    pub async fn history(&self, account: &str, limit: usize) -> Result<Vec<SyncRun>, StoreError> {
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

    /// The numbers of `account` as of `now`: users by status, recent
    /// activity, users inactive for `inactive_days`, roles, licenses and the
    /// latest sync.
    pub async fn report(
        &self,
        account: &str,
        now: DateTime<Utc>,
        inactive_days: u32,
    ) -> Result<AccountReport, StoreError> {
        let account = account.to_owned();
        self.read(move |conn| {
            let tx = conn.transaction()?;
            report::report(&tx, &account, now, inactive_days)
        })
        .await
    }

    /// What committed runs did to one user, oldest first.
    pub async fn user_events(&self, account: &str, user_id: &str) -> Result<Vec<UserEvent>, StoreError> {
        let (account, user_id) = (account.to_owned(), user_id.to_owned());
        self.read(move |conn| read::user_events(conn, &account, &user_id)).await
    }
}
