//! Recording syncs that never reached the connector: a broken account file,
//! or a sync task that crashed.

use std::time::Duration;

use chrono::Utc;
use roster_core::ConnectorError;
use roster_store::{FailedRun, Outcome, Store};

use super::AccountResult;
use crate::config::ConfigProblem;

const FIX_CONFIG: &str = "fix the account file; `roster validate` lists every problem";

/// Records a failure that happened before a run began, and logs if even that fails.
pub async fn record_failure(store: &Store, id: &str, connector: &str, err: &ConnectorError) {
    let now = Utc::now();
    let run = FailedRun {
        account: id.to_owned(),
        connector: connector.to_owned(),
        started_at: now,
        finished_at: now,
        outcome: Outcome::Failed,
        error_kind: err.kind().as_str().to_owned(),
        message: err.message().to_owned(),
        remediation: err.remediation().to_owned(),
    };
    if let Err(e) = store.record_failure(run).await {
        tracing::error!(account = %id, error = %e, "could not record the failure");
    }
}

/// Records an account whose file is broken as a failed `config` sync.
pub async fn config_failure(
    store: &Store,
    id: String,
    connector: String,
    problems: &[ConfigProblem],
) -> AccountResult {
    let message = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
    let err = ConnectorError::config(message).with_remediation(FIX_CONFIG);
    record_failure(store, &id, &connector, &err).await;
    AccountResult::failed(id, connector, Duration::ZERO, &err)
}

/// Records a sync task that panicked as an `internal` failure.
pub async fn crashed(store: &Store, id: String, connector: String, detail: &str) -> AccountResult {
    let err = ConnectorError::internal(format!("the sync of {id} crashed: {detail}"));
    tracing::error!(account = %id, "the sync task crashed");
    record_failure(store, &id, &connector, &err).await;
    AccountResult::failed(id, connector, Duration::ZERO, &err)
}
