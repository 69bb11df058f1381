//! One in-progress sync of one account.

use roster_core::{ErrorKind, User};

use crate::Store;
use crate::codec::StagedBatch;
use crate::error::StoreError;
use crate::types::{CommitSummary, Failure, Outcome, SyncFinish};
use crate::writer::Msg;

/// One in-progress sync of one account. Nothing it stages is visible until
/// [`SyncWriter::finish`] commits. Dropping it without `finish` or `abort`
/// discards the staged users and records the run as interrupted.
#[derive(Debug)]
pub struct SyncWriter {
    store: Store,
    run_id: i64,
    /// Set while a batch is in flight and left set if it failed (or the
    /// caller stopped waiting): the run may be missing users, so it must
    /// not commit, or present users would be marked removed.
    poisoned: bool,
    done: bool,
}

impl SyncWriter {
    pub(crate) fn new(store: Store, run_id: i64) -> Self {
        Self { store, run_id, poisoned: false, done: false }
    }

    pub fn run_id(&self) -> i64 {
        self.run_id
    }

    /// Stages a batch of users. A user id repeated within the run replaces
    /// the earlier record.
    pub async fn users(&mut self, batch: Vec<User>) -> Result<(), StoreError> {
        if self.poisoned {
            return Err(StoreError::Database(
                "an earlier batch of users of this sync was not stored, so the sync cannot \
                 go on"
                    .into(),
            ));
        }
        if batch.is_empty() {
            return Ok(());
        }
        self.poisoned = true;
        let rows = StagedBatch::encode(batch)?;
        let run_id = self.run_id;
        self.store.call(|reply| Msg::Users { run_id, rows, reply }).await?;
        self.poisoned = false;
        Ok(())
    }

    /// Commits the sync atomically: the users, the removals (unless the run
    /// is degraded), licenses, account record, connector state and history.
    pub async fn finish(mut self, finish: SyncFinish) -> Result<CommitSummary, StoreError> {
        if self.poisoned {
            self.done = true;
            let failure = Failure {
                outcome: Outcome::Failed,
                error_kind: ErrorKind::Store.as_str().to_owned(),
                message: "some users of the sync could not be stored".to_owned(),
                remediation: "check that the store is writable and has free space, then sync again"
                    .to_owned(),
            };
            let run_id = self.run_id;
            self.store.call(|reply| Msg::Fail { run_id, failure, reply: Some(reply) }).await?;
            return Err(StoreError::Database(
                "some users of the sync could not be stored, so it was not committed".into(),
            ));
        }
        self.done = true;
        let run_id = self.run_id;
        let finish = Box::new(finish);
        self.store.call(|reply| Msg::Finish { run_id, finish, reply }).await
    }

    /// Ends the sync without changing anything but the history, which
    /// records `failure`. Its outcome must be failed or interrupted.
    pub async fn abort(mut self, failure: Failure) -> Result<(), StoreError> {
        crate::check_outcome(failure.outcome)?;
        self.done = true;
        let run_id = self.run_id;
        self.store.call(|reply| Msg::Fail { run_id, failure, reply: Some(reply) }).await
    }
}

impl Drop for SyncWriter {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        self.store.post(Msg::Fail {
            run_id: self.run_id,
            failure: Failure {
                outcome: Outcome::Interrupted,
                error_kind: ErrorKind::Interrupted.as_str().to_owned(),
                message: "the sync stopped before it finished".to_owned(),
                remediation: "sync the account again".to_owned(),
            },
            reply: None,
        });
    }
}
