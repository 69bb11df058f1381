//! What one account's sync ended with, for the summary.

use std::time::Duration;

use roster_core::{ConnectorError, RequestStats};
use roster_store::{CommitSummary, Held, Outcome};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct AccountResult {
    pub account: String,
    pub connector: String,
    pub outcome: Outcome,
    pub users: u64,
    pub added: u64,
    pub removed: u64,
    pub duration_ms: u64,
    pub error_kind: Option<String>,
    pub message: Option<String>,
    pub remediation: Option<String>,
    pub notes: Vec<String>,
    /// Set when a manual sync skipped the account because a runner holds
    /// its lease; the outcome is then `interrupted`, and nothing was recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held: Option<Held>,
    /// What the connector's HTTP clients did during this sync (for metrics).
    #[serde(skip)]
    pub requests: RequestStats,
}

impl AccountResult {
    pub fn committed(
        account: String,
        connector: String,
        duration: Duration,
        s: &CommitSummary,
        notes: Vec<String>,
    ) -> Self {
        Self {
            account,
            connector,
            outcome: s.outcome,
            users: s.seen,
            added: s.added,
            removed: s.removed,
            duration_ms: duration.as_millis() as u64,
            error_kind: None,
            message: s.degraded_reason.clone(),
            remediation: s.degraded_reason.as_ref().map(|_| {
                "check the account in the app; if the change is real, sync again with --accept-shrink"
                    .to_owned()
            }),
            notes,
            held: None,
            requests: RequestStats::default(),
        }
    }

    fn with_error(
        account: String,
        connector: String,
        duration: Duration,
        e: &ConnectorError,
        outcome: Outcome,
    ) -> Self {
        Self {
            account,
            connector,
            outcome,
            users: 0,
            added: 0,
            removed: 0,
            duration_ms: duration.as_millis() as u64,
            error_kind: Some(e.kind().as_str().to_owned()),
            message: Some(e.message().to_owned()),
            remediation: Some(e.remediation().to_owned()),
            notes: Vec::new(),
            held: None,
            requests: RequestStats::default(),
        }
    }

    /// The same result, with the sync's request counters.
    pub fn with_requests(mut self, requests: RequestStats) -> Self {
        self.requests = requests;
        self
    }

    pub fn failed(account: String, connector: String, duration: Duration, e: &ConnectorError) -> Self {
        Self::with_error(account, connector, duration, e, Outcome::Failed)
    }

    pub fn interrupted(account: String, connector: String, duration: Duration, e: &ConnectorError) -> Self {
        Self::with_error(account, connector, duration, e, Outcome::Interrupted)
    }
}
