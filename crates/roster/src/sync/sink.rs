//! The runner's [`Sink`]: batches users into the store as they arrive.

use async_trait::async_trait;
use indicatif::ProgressBar;
use roster_core::{AccountRecord, LicenseType, Sink, SinkError, User};
use roster_store::{CommitSummary, Failure, ShrinkPolicy, StoreError, SyncFinish, SyncWriter};
use serde_json::Value;

/// Users per store write. Only the syncs reading a body (8 at a time, see
/// `roster-http`) fill batches, so this costs little memory; 256 took 2%
/// fewer instructions than 128 (BENCHMARKS.md).
const BATCH: usize = 256;

pub struct StoreSink {
    writer: SyncWriter,
    batch: Vec<User>,
    account: Option<AccountRecord>,
    licenses: Vec<LicenseType>,
    state: Option<Value>,
    notes: Vec<String>,
    skipped: u64,
    pub users: u64,
    bar: Option<ProgressBar>,
}

impl StoreSink {
    pub fn new(writer: SyncWriter, bar: Option<ProgressBar>) -> Self {
        Self {
            writer,
            batch: Vec::with_capacity(BATCH),
            account: None,
            licenses: Vec::new(),
            state: None,
            notes: Vec::new(),
            skipped: 0,
            users: 0,
            bar,
        }
    }

    async fn flush(&mut self) -> Result<(), StoreError> {
        if !self.batch.is_empty() {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            self.writer.users(batch).await?;
        }
        Ok(())
    }

    /// Commits the sync as one snapshot.
    pub async fn finish(mut self, policy: ShrinkPolicy) -> Result<(CommitSummary, Vec<String>), StoreError> {
        self.flush().await?;
        let notes = self.notes.clone();
        let summary = self
            .writer
            .finish(SyncFinish {
                account: self.account,
                licenses: self.licenses,
                state: self.state,
                notes: self.notes,
                skipped: self.skipped,
                policy,
            })
            .await?;
        Ok((summary, notes))
    }

    /// Discards what was staged and records the failure.
    pub async fn abort(self, failure: Failure) -> Result<(), StoreError> {
        self.writer.abort(failure).await
    }
}

#[async_trait]
impl Sink for StoreSink {
    async fn account(&mut self, record: AccountRecord) -> Result<(), SinkError> {
        self.account = Some(record);
        Ok(())
    }

    async fn user(&mut self, user: User) -> Result<(), SinkError> {
        self.batch.push(user);
        self.users += 1;
        if self.batch.len() >= BATCH {
            self.flush().await.map_err(|e| SinkError(e.to_string()))?;
            if let Some(bar) = &self.bar {
                bar.set_message(format!("{} users", self.users));
            }
        }
        Ok(())
    }

    async fn license(&mut self, license: LicenseType) -> Result<(), SinkError> {
        self.licenses.retain(|l| l.name != license.name);
        self.licenses.push(license);
        Ok(())
    }

    async fn state(&mut self, state: Value) -> Result<(), SinkError> {
        self.state = Some(state);
        Ok(())
    }

    fn skipped(&mut self, record: &str, reason: &str) {
        tracing::warn!(record, reason, "skipped a record that could not be read");
        self.skipped += 1;
        if self.skipped <= 5 {
            self.notes.push(format!("skipped {record}: {reason}"));
        }
    }

    fn note(&mut self, note: &str) {
        tracing::info!(note, "sync note");
        self.notes.push(note.to_owned());
    }
}
