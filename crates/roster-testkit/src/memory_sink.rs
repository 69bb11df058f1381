//! A [`Sink`] that keeps everything in memory, for connector tests.

use async_trait::async_trait;
use roster_core::{LicenseType, Sink, SinkError, TenantRecord, User};
use serde_json::Value;

/// Collects what a sync emits. Users with a repeated id replace the earlier
/// record, as the store does within one sync.
#[derive(Debug, Default)]
pub struct MemorySink {
    pub tenant: Option<TenantRecord>,
    pub users: Vec<User>,
    pub licenses: Vec<LicenseType>,
    pub state: Option<Value>,
    pub skipped: Vec<(String, String)>,
    pub notes: Vec<String>,
    /// Every `user` call, repeats included.
    pub user_calls: u64,
}

impl MemorySink {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }
}

#[async_trait]
impl Sink for MemorySink {
    async fn tenant(&mut self, record: TenantRecord) -> Result<(), SinkError> {
        self.tenant = Some(record);
        Ok(())
    }

    async fn user(&mut self, user: User) -> Result<(), SinkError> {
        self.user_calls += 1;
        if let Some(existing) = self.users.iter_mut().find(|u| u.id == user.id) {
            *existing = user;
        } else {
            self.users.push(user);
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
        self.skipped.push((record.to_owned(), reason.to_owned()));
    }

    fn note(&mut self, note: &str) {
        self.notes.push(note.to_owned());
    }
}
