//! The runner's [`Sink`]: hands users to the store as they arrive, where
//! they are encoded at once and written in batches.

use async_trait::async_trait;
use roster_core::{LicenseType, Sink, SinkError, TenantRecord, User, UserRef};
use roster_store::{CommitSummary, Failure, ShrinkPolicy, StoreError, SyncFinish, SyncWriter};
use serde_json::Value;

use super::progress::Ticker;

/// Users between two updates of the watcher's count.
const PROGRESS_EVERY: u64 = 256;

fn store_error(e: StoreError) -> SinkError {
    SinkError(e.to_string())
}

pub struct StoreSink {
    writer: SyncWriter,
    account: Option<TenantRecord>,
    licenses: Vec<LicenseType>,
    state: Option<Value>,
    notes: Vec<String>,
    skipped: u64,
    pub users: u64,
    ticker: Option<std::sync::Arc<dyn Ticker>>,
}

impl StoreSink {
    pub fn new(writer: SyncWriter, ticker: Option<std::sync::Arc<dyn Ticker>>) -> Self {
        Self {
            writer,
            account: None,
            licenses: Vec::new(),
            state: None,
            notes: Vec::new(),
            skipped: 0,
            users: 0,
            ticker,
        }
    }

    /// Counts a user the writer took; sends the batch when it is full.
    async fn pushed(&mut self, batch_full: bool) -> Result<(), SinkError> {
        if batch_full {
            // Boxed, so that the future of every call stays small: it is
            // allocated once per user (async_trait), the flush once a batch.
            Box::pin(self.writer.flush()).await.map_err(store_error)?;
        }
        self.users += 1;
        if self.users.is_multiple_of(PROGRESS_EVERY)
            && let Some(ticker) = &self.ticker
        {
            ticker.users(self.users);
        }
        Ok(())
    }

    /// Commits the sync as one snapshot.
    pub async fn finish(self, policy: ShrinkPolicy) -> Result<(CommitSummary, Vec<String>), StoreError> {
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
    async fn tenant(&mut self, record: TenantRecord) -> Result<(), SinkError> {
        self.account = Some(record);
        Ok(())
    }

    async fn user(&mut self, user: User) -> Result<(), SinkError> {
        let full = self.writer.push(user).map_err(store_error)?;
        self.pushed(full).await
    }

    async fn user_ref(&mut self, user: UserRef<'_>) -> Result<(), SinkError> {
        let full = self.writer.push_ref(&user).map_err(store_error)?;
        self.pushed(full).await
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
