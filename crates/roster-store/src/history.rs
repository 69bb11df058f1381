//! An account's history as the store keeps it: its totals after each
//! committed sync, and what one sync did to which users.

use chrono::{DateTime, Utc};
use roster_core::LicenseType;
use serde::Serialize;

use crate::codec::to_u64;
use crate::error::{Result, StoreError};
use crate::types::{Outcome, StatusCounts, UserEventKind};

/// An account's totals as one committed (ok or degraded) sync left them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryPoint {
    pub run_id: i64,
    #[serde(with = "crate::types::ts")]
    pub finished_at: DateTime<Utc>,
    pub outcome: Outcome,
    /// Users by status after the sync.
    pub users: StatusCounts,
    /// License types, assigned against their totals, after the sync.
    pub licenses: Vec<LicenseType>,
}

/// One user one sync added, changed, removed or restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunEvent {
    pub user_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub kind: UserEventKind,
}

/// The totals kept for a run, as JSON text: users by status, and license
/// types. Both backends write and read this shape.
pub(crate) fn decode_totals(statuses: &str, licenses: &str) -> Result<(StatusCounts, Vec<LicenseType>)> {
    let licenses: Vec<LicenseType> = serde_json::from_str(licenses).map_err(corrupt)?;
    Ok((decode_statuses(statuses)?, licenses))
}

/// Users by status from a run's totals (`{"active": n, …}`).
pub(crate) fn decode_statuses(statuses: &str) -> Result<StatusCounts> {
    let by_status: std::collections::BTreeMap<String, i64> =
        serde_json::from_str(statuses).map_err(corrupt)?;
    let mut users = StatusCounts::default();
    for (status, n) in by_status {
        users.add(&status, to_u64(n));
    }
    Ok(users)
}

fn corrupt(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("a sync's totals are not valid json: {e}"))
}

pub(crate) fn event_kind(kind: &str) -> Result<UserEventKind> {
    UserEventKind::parse(kind).ok_or_else(|| StoreError::Corrupt(format!("unknown user event `{kind}`")))
}

pub(crate) fn outcome(text: &str) -> Result<Outcome> {
    Outcome::parse(text).ok_or_else(|| StoreError::Corrupt(format!("unknown sync outcome `{text}`")))
}
