//! One in-progress sync of one account, on either backend.

use roster_core::{ErrorKind, User, UserRef};
use tokio::sync::oneshot;

use crate::codec::StagedBatch;
use crate::error::StoreError;
use crate::types::{CommitSummary, Failure, Lease, Outcome, Reschedule, SyncFinish};
use crate::{Backend, Store};

/// Users per store write. 256 took 2% fewer instructions than 128
/// (BENCHMARKS.md); only the syncs reading a body (8 at a time, see
/// `roster-http`) fill batches, so this costs little memory.
pub(crate) const BATCH: usize = 256;

/// A batch also goes when its text reaches this size, so that its buffer
/// (allocated at [`BATCH_TEXT_CAPACITY`]) never grows: glibc consolidates
/// its free lists whenever a block of 64 KiB or more is freed, which cost
/// about 900 instructions per user when batches held 64 KiB.
const BATCH_TEXT_LIMIT: usize = 52 * 1024;
const BATCH_TEXT_CAPACITY: usize = 60 * 1024;

/// One in-progress sync of one account. Nothing it stages is visible until
/// [`SyncWriter::finish`] commits. Dropping it without `finish` or `abort`
/// discards the staged users and records the run as interrupted.
#[derive(Debug)]
pub struct SyncWriter {
    store: Store,
    run_id: i64,
    lease: Option<(Lease, Reschedule)>,
    /// Set while a batch is in flight and left set if it failed (or the
    /// caller stopped waiting): the run may be missing users, so it must
    /// not commit, or present users would be marked removed.
    poisoned: bool,
    /// The answer to the batch the SQLite writer is still writing: the next
    /// batch is read and encoded meanwhile, and waits for it before going.
    in_flight: Option<oneshot::Receiver<Result<(), StoreError>>>,
    /// Users encoded as they arrived, not yet sent to the store.
    pending: StagedBatch,
    done: bool,
}

fn interrupted() -> Failure {
    Failure {
        outcome: Outcome::Interrupted,
        error_kind: ErrorKind::Interrupted.as_str().to_owned(),
        message: "the sync stopped before it finished".to_owned(),
        remediation: "sync the account again".to_owned(),
    }
}

impl SyncWriter {
    pub(crate) fn new(store: Store, run_id: i64, lease: Option<(Lease, Reschedule)>) -> Self {
        Self {
            store,
            run_id,
            lease,
            poisoned: false,
            in_flight: None,
            pending: StagedBatch::default(),
            done: false,
        }
    }

    pub fn run_id(&self) -> i64 {
        self.run_id
    }

    /// The lease this sync holds, if it was begun with one.
    pub fn lease(&self) -> Option<&Lease> {
        self.lease.as_ref().map(|(l, _)| l)
    }

    /// Waits for the batch in flight; its failure poisons the run.
    async fn settle(&mut self) -> Result<(), StoreError> {
        if let Some(rx) = self.in_flight.take() {
            rx.await.map_err(|_| StoreError::Closed)??;
            self.poisoned = false;
        }
        Ok(())
    }

    /// Stages one user: it is encoded into the pending batch at once (and
    /// dropped), without waiting for anything. True when the batch is full
    /// and [`SyncWriter::flush`] is due. A user id repeated within the run
    /// replaces the earlier record.
    pub fn push(&mut self, user: User) -> Result<bool, StoreError> {
        self.pending().push(user)?;
        Ok(self.batch_is_full())
    }

    /// [`SyncWriter::push`] for a borrowed user: encoded straight from the
    /// connector's record, with no allocation.
    pub fn push_ref(&mut self, user: &UserRef<'_>) -> Result<bool, StoreError> {
        self.pending().push_ref(user)?;
        Ok(self.batch_is_full())
    }

    /// The pending batch, allocated on the first user after a flush: a sync
    /// waiting for its response holds no buffers.
    fn pending(&mut self) -> &mut StagedBatch {
        if !self.pending.is_allocated() {
            self.pending = StagedBatch::with_capacity(BATCH, BATCH_TEXT_CAPACITY);
        }
        &mut self.pending
    }

    fn batch_is_full(&self) -> bool {
        self.pending.len() >= BATCH || self.pending.text_len() >= BATCH_TEXT_LIMIT
    }

    /// Stages users, as [`SyncWriter::push`] does each, and sends them to
    /// the store.
    pub async fn users(&mut self, users: Vec<User>) -> Result<(), StoreError> {
        for user in users {
            if self.push(user)? {
                self.flush().await?;
            }
        }
        self.flush().await
    }

    /// Sends the users staged so far to the store. On SQLite the batch is
    /// written while the caller goes on; a failure is reported by the next
    /// call or by `finish`.
    pub async fn flush(&mut self) -> Result<(), StoreError> {
        self.settle().await?;
        if self.poisoned {
            return Err(StoreError::Database(
                "an earlier batch of users of this sync was not stored, so the sync cannot go on".into(),
            ));
        }
        if self.pending.is_empty() {
            return Ok(());
        }
        self.poisoned = true;
        let rows = std::mem::take(&mut self.pending);
        match self.store.backend() {
            Backend::Sqlite(s) => self.in_flight = Some(s.stage(self.run_id, rows).await?),
            Backend::Postgres(p) => {
                p.stage(self.run_id, rows).await?;
                self.poisoned = false;
            }
        }
        Ok(())
    }

    /// Commits the sync atomically: the users, the removals (unless the run
    /// is degraded), licenses, account record, connector state and history.
    pub async fn finish(mut self, finish: SyncFinish) -> Result<CommitSummary, StoreError> {
        self.done = true;
        let settled = match self.flush().await {
            Ok(()) => self.settle().await,
            Err(e) => Err(e),
        };
        if self.poisoned {
            let failure = Failure {
                outcome: Outcome::Failed,
                error_kind: ErrorKind::Store.as_str().to_owned(),
                message: "some users of the sync could not be stored".to_owned(),
                remediation: "check that the store is writable and has free space, then sync again"
                    .to_owned(),
            };
            self.fail(failure).await?;
            settled?;
            return Err(StoreError::Database(
                "some users of the sync could not be stored, so it was not committed".into(),
            ));
        }
        let lease = self.lease.as_ref();
        match self.store.backend() {
            Backend::Sqlite(s) => s.finish(self.run_id, finish, lease).await,
            Backend::Postgres(p) => p.finish(self.run_id, &finish, lease).await,
        }
    }

    /// Ends the sync without changing anything but the history, which
    /// records `failure`. Its outcome must be failed or interrupted.
    pub async fn abort(mut self, failure: Failure) -> Result<(), StoreError> {
        crate::check_outcome(failure.outcome)?;
        self.done = true;
        self.fail(failure).await
    }

    async fn fail(&self, failure: Failure) -> Result<(), StoreError> {
        let lease = self.lease.as_ref();
        match self.store.backend() {
            Backend::Sqlite(s) => s.fail(self.run_id, failure, lease).await,
            Backend::Postgres(p) => p.fail(self.run_id, &failure, lease).await,
        }
    }
}

impl Drop for SyncWriter {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        match self.store.backend() {
            Backend::Sqlite(s) => s.fail_later(self.run_id, interrupted(), self.lease.as_ref()),
            Backend::Postgres(p) => {
                let (p, run_id, lease) = (p.clone(), self.run_id, self.lease.take());
                match tokio::runtime::Handle::try_current() {
                    Ok(rt) => {
                        rt.spawn(async move {
                            if let Err(e) = p.fail(run_id, &interrupted(), lease.as_ref()).await {
                                tracing::warn!(run_id, error = %e, "could not record an abandoned sync");
                            }
                        });
                    }
                    Err(_) => tracing::warn!(run_id, "could not record an abandoned sync: no runtime"),
                }
            }
        }
    }
}
