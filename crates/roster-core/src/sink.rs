//! Where a sync sends what it reads. The runner provides the implementation.

use async_trait::async_trait;
use serde_json::Value;

use crate::error::ConnectorError;
use crate::model::{LicenseType, TenantRecord, User};
use crate::user_ref::UserRef;

/// The receiving end of a sync.
///
/// Connectors call [`Sink::user`] once per user as they read them, so that no
/// component has to hold a whole account's users. Nothing a sink receives is
/// visible to readers of the store until the sync as a whole succeeds.
#[async_trait]
pub trait Sink: Send {
    /// The account (tenant) record: id, name, plan.
    async fn tenant(&mut self, record: TenantRecord) -> Result<(), SinkError>;

    /// One user. Ids must be unique within a sync; a repeated id replaces the
    /// earlier record.
    async fn user(&mut self, user: User) -> Result<(), SinkError>;

    /// One user, borrowed from what the connector read: the same as
    /// [`Sink::user`] without an allocation per user, for connectors that
    /// map many. The default makes the owned [`User`] and hands it to `user`.
    async fn user_ref(&mut self, user: UserRef<'_>) -> Result<(), SinkError> {
        self.user(user.to_user()).await
    }

    /// One license type with its counts.
    async fn license(&mut self, license: LicenseType) -> Result<(), SinkError>;

    /// New connector state (a cursor, a high-water mark). It is stored
    /// atomically with the results and handed back to the next sync.
    async fn state(&mut self, state: Value) -> Result<(), SinkError>;

    /// A record that could not be read. The sync goes on, but it is reported
    /// as degraded and nobody is marked removed, because the skipped user may
    /// still be there.
    fn skipped(&mut self, record: &str, reason: &str);

    /// Something the sync report should say, such as a fallback that was taken.
    fn note(&mut self, note: &str);
}

/// The sink could not take a record (the store failed).
#[derive(Debug, Clone, thiserror::Error)]
#[error("could not store sync results: {0}")]
pub struct SinkError(pub String);

impl From<SinkError> for ConnectorError {
    fn from(e: SinkError) -> Self {
        ConnectorError::store(e.to_string())
    }
}
