//! The single writer: one thread owning the only writing connection, fed by
//! a bounded channel. It groups whatever messages are waiting into one
//! transaction (each message in its own savepoint) and answers each only
//! after that transaction commits.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use super::checkpoint;
use super::commit;
use super::runs;
use super::schema;
use super::stage;
use crate::codec::{StagedBatch, now_micros};
use crate::error::{Result, StoreError};
use crate::prune::Pruned;
use crate::types::{CommitSummary, FailedRun, Failure, Outcome, SyncFinish};

use crate::PAUSE_BEFORE_COMMIT_ENV;

/// Most messages handled in one transaction.
const MAX_GROUP: usize = 64;

pub(crate) enum Msg {
    Begin {
        account: String,
        connector: String,
        started_at: i64,
        reply: oneshot::Sender<Result<i64>>,
    },
    Users {
        run_id: i64,
        rows: StagedBatch,
        reply: oneshot::Sender<Result<()>>,
    },
    Finish {
        run_id: i64,
        finish: Box<SyncFinish>,
        reply: oneshot::Sender<Result<CommitSummary>>,
    },
    /// Fails a run; without a reply when sent by a dropped `SyncWriter`.
    Fail {
        run_id: i64,
        failure: Failure,
        reply: Option<oneshot::Sender<Result<()>>>,
    },
    RecordFailure {
        run: Box<FailedRun>,
        reply: oneshot::Sender<Result<()>>,
    },
    Audit {
        entry: Box<crate::audit::AuditEntry>,
        reply: oneshot::Sender<Result<()>>,
    },
    Prune {
        account: String,
        reply: oneshot::Sender<Result<Pruned>>,
    },
}

impl Msg {
    /// Answers the message with `e` without handling it.
    fn reject(self, e: StoreError) -> Reply {
        match self {
            Msg::Begin { reply, .. } => Reply::Run(reply, Err(e)),
            Msg::Users { reply, .. } | Msg::RecordFailure { reply, .. } | Msg::Audit { reply, .. } => {
                Reply::Unit(Some(reply), Err(e))
            }
            Msg::Finish { run_id, reply, .. } => Reply::Commit(reply, Err(e), run_id),
            Msg::Fail { reply, .. } => Reply::Unit(reply, Err(e)),
            Msg::Prune { reply, .. } => Reply::Pruned(reply, Err(e)),
        }
    }
}

/// A handled message with the answer it will get once its group commits.
enum Reply {
    Run(oneshot::Sender<Result<i64>>, Result<i64>),
    Unit(Option<oneshot::Sender<Result<()>>>, Result<()>),
    Commit(oneshot::Sender<Result<CommitSummary>>, Result<CommitSummary>, i64),
    Pruned(oneshot::Sender<Result<Pruned>>, Result<Pruned>),
}

impl Reply {
    fn error(&self) -> Option<&StoreError> {
        match self {
            Reply::Run(_, Err(e))
            | Reply::Unit(_, Err(e))
            | Reply::Commit(_, Err(e), _)
            | Reply::Pruned(_, Err(e)) => Some(e),
            _ => None,
        }
    }

    fn is_commit(&self) -> bool {
        matches!(self, Reply::Commit(_, Ok(_), _))
    }

    /// Turns a success into `e`: its work was rolled back.
    fn fail(&mut self, e: &StoreError) {
        match self {
            Reply::Run(_, r @ Ok(_)) => *r = Err(e.clone()),
            Reply::Unit(_, r @ Ok(_)) => *r = Err(e.clone()),
            Reply::Commit(_, r @ Ok(_), _) => *r = Err(e.clone()),
            Reply::Pruned(_, r @ Ok(_)) => *r = Err(e.clone()),
            _ => {}
        }
    }

    /// Sends the answer; returns the run of a commit that failed, which
    /// must be closed as failed.
    fn send(self) -> Option<i64> {
        match self {
            Reply::Run(tx, r) => {
                let _ = tx.send(r);
                None
            }
            Reply::Unit(Some(tx), r) => {
                let _ = tx.send(r);
                None
            }
            Reply::Pruned(tx, r) => {
                let _ = tx.send(r);
                None
            }
            Reply::Unit(None, r) => {
                if let Err(e) = r
                    && !matches!(e, StoreError::RunNotActive(_))
                {
                    tracing::warn!(error = %e, "could not record an abandoned sync");
                }
                None
            }
            Reply::Commit(tx, r, run_id) => {
                let failed = match &r {
                    Err(StoreError::RunNotActive(_)) | Ok(_) => None,
                    Err(_) => Some(run_id),
                };
                let _ = tx.send(r);
                failed
            }
        }
    }
}

struct Writer {
    conn: Connection,
    lock_path: PathBuf,
    /// Shared lock held while this store may have runs in progress, so that
    /// another process opening the store does not take them for orphans.
    run_lock: Option<File>,
    pause: Option<Duration>,
    /// Open runs of accounts that had no users when they began.
    fresh: HashSet<i64>,
}

/// The thread body: opens the store, reports readiness, then serves
/// messages until every sender is gone.
pub(crate) fn run(path: PathBuf, mut rx: mpsc::Receiver<Msg>, ready: oneshot::Sender<Result<()>>) {
    let mut writer = match Writer::open(&path) {
        Ok(w) => {
            let _ = ready.send(Ok(()));
            w
        }
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    std::thread::scope(|scope| {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let path = &path;
        let checkpoints = std::thread::Builder::new()
            .name("roster-store-checkpoint".into())
            .spawn_scoped(scope, move || checkpoint::run(path, &stopped));
        if let Err(e) = checkpoints {
            tracing::debug!(error = %e, "no background checkpoints; the writer checkpoints by itself");
        }
        while let Some(first) = rx.blocking_recv() {
            let mut group = vec![first];
            while group.len() < MAX_GROUP {
                match rx.try_recv() {
                    Ok(m) => group.push(m),
                    Err(_) => break,
                }
            }
            writer.process_group(group);
        }
        drop(stop);
    });
}

fn lock_path(path: &Path) -> PathBuf {
    let mut p = OsString::from(path.as_os_str());
    p.push("-lock");
    PathBuf::from(p)
}

fn open_lock(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)
}

impl Writer {
    fn open(path: &Path) -> Result<Self> {
        let conn = schema::open_writer(path)?;
        let pause = std::env::var(PAUSE_BEFORE_COMMIT_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_millis);
        let writer = Self { conn, lock_path: lock_path(path), run_lock: None, pause, fresh: HashSet::new() };
        if let Err(e) = writer.interrupt_orphans() {
            tracing::warn!(error = %e, "could not mark syncs left unfinished as interrupted");
        }
        Ok(writer)
    }

    /// Marks runs left open by a dead process as interrupted, but only when
    /// no live store holds the run lock.
    fn interrupt_orphans(&self) -> Result<()> {
        let file = match open_lock(&self.lock_path) {
            Ok(f) => f,
            Err(e) => {
                tracing::warn!(path = %self.lock_path.display(), error = %e,
                    "cannot open the store's lock file; unfinished runs stay open");
                return Ok(());
            }
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(()),
            Err(TryLockError::Error(e)) => {
                tracing::warn!(error = %e, "cannot lock the store's lock file");
                return Ok(());
            }
        }
        let result = self
            .conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(StoreError::from)
            .and_then(|()| runs::interrupt_orphans(&self.conn))
            .and_then(|n| {
                self.conn.execute_batch("COMMIT")?;
                Ok(n)
            });
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        let n = result?;
        if n > 0 {
            tracing::info!(runs = n, "marked syncs left unfinished as interrupted");
        }
        Ok(())
        // `file` closes here, releasing the exclusive lock.
    }

    fn hold_run_lock(&mut self) {
        if self.run_lock.is_some() {
            return;
        }
        match open_lock(&self.lock_path).and_then(|f| f.lock_shared().map(|()| f)) {
            Ok(f) => self.run_lock = Some(f),
            Err(e) => tracing::warn!(error = %e, "cannot lock the store's lock file"),
        }
    }

    fn handle(&mut self, msg: Msg) -> Reply {
        let conn = &self.conn;
        match msg {
            Msg::Begin { account, connector, started_at, reply } => {
                let begun = runs::begin(conn, &account, &connector, started_at);
                if let Ok(run_id) = begun
                    && stage::account_is_empty(conn, run_id).unwrap_or(false)
                {
                    self.fresh.insert(run_id);
                }
                Reply::Run(reply, begun)
            }
            Msg::Users { run_id, rows, reply } => {
                let mut fresh = self.fresh.contains(&run_id);
                let staged = stage::stage(conn, run_id, &rows, now_micros(), &mut fresh);
                if !fresh {
                    self.fresh.remove(&run_id);
                }
                Reply::Unit(Some(reply), staged)
            }
            Msg::Finish { run_id, finish, reply } => {
                self.fresh.remove(&run_id);
                Reply::Commit(reply, commit::finish(conn, run_id, &finish, now_micros()), run_id)
            }
            Msg::Fail { run_id, failure, reply } => {
                self.fresh.remove(&run_id);
                Reply::Unit(reply, runs::fail(conn, run_id, &failure, now_micros()))
            }
            Msg::RecordFailure { run, reply } => Reply::Unit(Some(reply), runs::record_failure(conn, &run)),
            Msg::Audit { entry, reply } => Reply::Unit(Some(reply), super::audit::insert(conn, &entry)),
            Msg::Prune { account, reply } => Reply::Pruned(reply, super::prune::prune(conn, &account)),
        }
    }

    /// Runs one statement without arguments, kept prepared: the writer runs
    /// its transaction and savepoint statements several times per account,
    /// and parsing them each time cost about 10k instructions apiece.
    fn exec(&self, sql: &str) -> rusqlite::Result<()> {
        self.conn.prepare_cached(sql)?.execute([]).map(|_| ())
    }

    /// Rolls the open transaction back and fails everything it held.
    fn abandon(&self, pending: &mut Vec<Reply>, failed: &mut Vec<i64>, e: &StoreError) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        for mut r in pending.drain(..) {
            r.fail(e);
            failed.extend(r.send());
        }
    }

    fn process_group(&mut self, group: Vec<Msg>) {
        if group.iter().any(|m| matches!(m, Msg::Begin { .. })) {
            // Before the transaction: another process cleaning up orphans
            // holds the lock exclusively while it waits for the database.
            self.hold_run_lock();
        }
        let mut pending: Vec<Reply> = Vec::with_capacity(group.len());
        let mut failed: Vec<i64> = Vec::new();
        for msg in group {
            if self.conn.is_autocommit()
                && let Err(e) = self.exec("BEGIN IMMEDIATE")
            {
                failed.extend(msg.reject(e.into()).send());
                continue;
            }
            if let Err(e) = self.exec("SAVEPOINT msg") {
                let e = StoreError::from(e);
                pending.push(msg.reject(e.clone()));
                self.abandon(&mut pending, &mut failed, &e);
                continue;
            }
            let mut reply = self.handle(msg);
            if self.conn.is_autocommit() {
                // The error rolled back the whole transaction.
                let e = reply
                    .error()
                    .cloned()
                    .unwrap_or_else(|| StoreError::Database("the transaction was lost".into()));
                reply.fail(&e);
                pending.push(reply);
                self.abandon(&mut pending, &mut failed, &e);
                continue;
            }
            let rollback = if reply.error().is_some() { self.exec("ROLLBACK TO msg") } else { Ok(()) };
            if let Err(e) = rollback.and_then(|()| self.exec("RELEASE msg")) {
                let e = StoreError::from(e);
                reply.fail(&e);
                pending.push(reply);
                self.abandon(&mut pending, &mut failed, &e);
                continue;
            }
            pending.push(reply);
        }
        if !self.conn.is_autocommit() {
            if let Some(pause) = self.pause.filter(|_| pending.iter().any(Reply::is_commit)) {
                // Tests wait for this line to know the commit is under way.
                tracing::warn!(
                    pause_ms = pause.as_millis() as u64,
                    "{PAUSE_BEFORE_COMMIT_ENV}: pausing inside the commit transaction, before COMMIT"
                );
                std::thread::sleep(pause);
            }
            if let Err(e) = self.exec("COMMIT") {
                let e = StoreError::from(e);
                tracing::warn!(error = %e, "could not commit to the store");
                self.abandon(&mut pending, &mut failed, &e);
            }
        }
        for r in pending {
            failed.extend(r.send());
        }
        for run_id in failed {
            self.close_failed_commit(run_id);
        }
    }

    /// A commit that failed leaves its run open with staged rows; close it
    /// as failed so that the rows are freed and the history says why.
    fn close_failed_commit(&mut self, run_id: i64) {
        let failure = Failure {
            outcome: Outcome::Failed,
            error_kind: roster_core::ErrorKind::Store.as_str().to_owned(),
            message: "the sync results could not be written to the store".to_owned(),
            remediation: "check that the store is writable and has free space, then sync again".to_owned(),
        };
        let result = self
            .conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(StoreError::from)
            .and_then(|()| runs::fail(&self.conn, run_id, &failure, now_micros()))
            .and_then(|()| Ok(self.conn.execute_batch("COMMIT")?));
        if let Err(e) = result {
            if !self.conn.is_autocommit() {
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            tracing::warn!(run_id, error = %e, "could not close a failed sync");
        }
    }
}
