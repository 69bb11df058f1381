//! The plain Rust types the store takes and returns. None of them says how
//! the data is stored.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use roster_core::{LicenseType, RoleAssignment, TenantRecord};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How a sync run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Committed; absent users were marked removed.
    Ok,
    /// Committed, but suspicious: seen users were stored and nobody was
    /// marked removed.
    Degraded,
    /// Nothing was committed; the last good data is untouched.
    Failed,
    /// The sync was stopped (or its process died); nothing was committed.
    Interrupted,
}

impl Outcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Degraded => "degraded",
            Outcome::Failed => "failed",
            Outcome::Interrupted => "interrupted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Outcome::Ok, Outcome::Degraded, Outcome::Failed, Outcome::Interrupted]
            .into_iter()
            .find(|o| o.as_str() == s)
    }

    /// Whether the run committed its results (ok or degraded).
    pub const fn is_success(self) -> bool {
        matches!(self, Outcome::Ok | Outcome::Degraded)
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When a successful-looking sync is suspicious enough to mark nobody removed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShrinkPolicy {
    /// The largest fraction (0 to 1) of the previously present users one sync
    /// may mark removed. Default 0.5.
    pub max_shrink_fraction: f64,
    /// Accept a large shrink or an empty result as real.
    pub accept_shrink: bool,
}

impl ShrinkPolicy {
    pub const DEFAULT_MAX_SHRINK_FRACTION: f64 = 0.5;
}

impl Default for ShrinkPolicy {
    fn default() -> Self {
        Self { max_shrink_fraction: Self::DEFAULT_MAX_SHRINK_FRACTION, accept_shrink: false }
    }
}

/// Everything a sync learned besides its users, handed over when it succeeds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncFinish {
    /// The account (tenant) record; `None` keeps the one stored before.
    pub account: Option<TenantRecord>,
    /// The account's license types; they replace the stored ones.
    pub licenses: Vec<LicenseType>,
    /// Connector state handed to the next sync.
    pub state: Option<Value>,
    /// Lines for the sync report.
    pub notes: Vec<String>,
    /// Records the connector could not read.
    pub skipped: u64,
    pub policy: ShrinkPolicy,
}

/// Why a begun sync did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// [`Outcome::Failed`] or [`Outcome::Interrupted`].
    pub outcome: Outcome,
    /// An [`roster_core::ErrorKind`] as a string, for example `transient`.
    pub error_kind: String,
    pub message: String,
    pub remediation: String,
}

/// A sync that failed before it could begin (a configuration error, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedRun {
    pub account: String,
    pub connector: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// [`Outcome::Failed`] or [`Outcome::Interrupted`].
    pub outcome: Outcome,
    pub error_kind: String,
    pub message: String,
    pub remediation: String,
}

/// What a successful commit did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitSummary {
    pub run_id: i64,
    /// [`Outcome::Ok`] or [`Outcome::Degraded`].
    pub outcome: Outcome,
    /// Why the run is degraded, when it is.
    pub degraded_reason: Option<String>,
    /// Distinct users the sync returned.
    pub seen: u64,
    /// Users never seen before in this account.
    pub added: u64,
    /// Present users whose details (email, name, status, roles, license
    /// types, attributes) changed. A new last visit alone is stored without
    /// counting as a change.
    pub changed: u64,
    /// Users marked removed by this run.
    pub removed: u64,
    /// Removed users that came back.
    pub restored: u64,
}

/// One user as currently stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredUser {
    pub account: String,
    pub connector: String,
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    /// `active`, `invited`, `suspended` or `removed`.
    pub status: String,
    #[serde(with = "ts_opt")]
    pub last_visit_at: Option<DateTime<Utc>>,
    pub roles: Vec<RoleAssignment>,
    pub license_types: Vec<String>,
    pub attributes: Map<String, Value>,
    #[serde(with = "ts")]
    pub first_seen_at: DateTime<Utc>,
    #[serde(with = "ts_opt")]
    pub removed_at: Option<DateTime<Utc>>,
}

/// One entry of an account's sync history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncRun {
    pub run_id: i64,
    pub account: String,
    pub connector: String,
    #[serde(with = "ts")]
    pub started_at: DateTime<Utc>,
    /// `None` when the process running the sync died before it ended.
    #[serde(with = "ts_opt")]
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: Outcome,
    pub seen: u64,
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
    pub restored: u64,
    pub skipped: u64,
    pub error_kind: Option<String>,
    pub message: Option<String>,
    pub remediation: Option<String>,
    pub notes: Vec<String>,
    pub degraded_reason: Option<String>,
}

/// Users of one account by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    pub active: u64,
    pub invited: u64,
    pub suspended: u64,
    pub removed: u64,
}

impl StatusCounts {
    /// Users that are not removed.
    pub fn present(&self) -> u64 {
        self.active + self.invited + self.suspended
    }

    pub(crate) fn add(&mut self, status: &str, n: u64) {
        match status {
            "active" => self.active += n,
            "invited" => self.invited += n,
            "suspended" => self.suspended += n,
            _ => self.removed += n,
        }
    }
}

/// One account as the store knows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountSummary {
    pub account: String,
    pub connector: String,
    /// The latest finished run, whatever its outcome.
    pub last_run: Option<SyncRun>,
    /// When the latest successful (ok or degraded) run finished.
    #[serde(with = "ts_opt")]
    pub last_good_at: Option<DateTime<Utc>>,
    pub users: StatusCounts,
    /// The tenant record from the latest successful sync that reported one.
    pub record: Option<TenantRecord>,
}

/// Users without a recent visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct InactiveCounts {
    /// The threshold, in days.
    pub days: u32,
    /// Present users with no visit in `days` days, or none ever.
    pub count: u64,
    /// Of those, users with no known visit at all.
    pub never_visited: u64,
}

/// The latest finished sync of an account, with its age.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LastSync {
    pub run_id: i64,
    pub outcome: Outcome,
    #[serde(with = "ts_opt")]
    pub finished_at: Option<DateTime<Utc>>,
    /// Seconds from `finished_at` to the report's `now`.
    pub age_seconds: Option<i64>,
    pub error_kind: Option<String>,
    pub message: Option<String>,
    pub remediation: Option<String>,
    pub degraded_reason: Option<String>,
}

impl LastSync {
    /// The report's view of `run`, aged at `now`.
    pub(crate) fn of(run: SyncRun, now: DateTime<Utc>) -> Self {
        LastSync {
            run_id: run.run_id,
            outcome: run.outcome,
            finished_at: run.finished_at,
            age_seconds: run.finished_at.map(|t| (now - t).num_seconds()),
            error_kind: run.error_kind,
            message: run.message,
            remediation: run.remediation,
            degraded_reason: run.degraded_reason,
        }
    }
}

/// The numbers of one account at a moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountReport {
    pub account: String,
    pub connector: String,
    #[serde(with = "ts")]
    pub now: DateTime<Utc>,
    pub users: StatusCounts,
    /// Present users who visited within the last 30 days.
    pub active_last_30_days: u64,
    /// Present users who visited within the last 90 days.
    pub active_last_90_days: u64,
    pub inactive: InactiveCounts,
    /// Users the latest successful run marked removed.
    pub removed_since_previous_sync: u64,
    /// scope -> role name -> present users holding it.
    pub roles: BTreeMap<String, BTreeMap<String, u64>>,
    pub licenses: Vec<LicenseType>,
    pub last_sync: Option<LastSync>,
    /// When the latest successful run finished.
    #[serde(with = "ts_opt")]
    pub last_good_at: Option<DateTime<Utc>>,
    pub record: Option<TenantRecord>,
}

/// What happened to a user in one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UserEventKind {
    Added,
    Changed,
    Removed,
    Restored,
}

impl UserEventKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            UserEventKind::Added => "added",
            UserEventKind::Changed => "changed",
            UserEventKind::Removed => "removed",
            UserEventKind::Restored => "restored",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [UserEventKind::Added, UserEventKind::Changed, UserEventKind::Removed, UserEventKind::Restored]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// One change to one user, as recorded by a committed run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserEvent {
    pub account: String,
    pub user_id: String,
    pub run_id: i64,
    pub kind: UserEventKind,
    #[serde(with = "ts")]
    pub at: DateTime<Utc>,
}

/// Timestamps as RFC 3339 UTC with the precision the store holds
/// ([`roster_core::timestamp`]): `2024-05-01T17:22:33.123Z`.
pub(crate) mod ts {
    use chrono::{DateTime, Utc};
    use serde::Serializer;

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&roster_core::timestamp(t))
    }
}

pub(crate) mod ts_opt {
    use chrono::{DateTime, Utc};
    use serde::Serializer;

    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => super::ts::serialize(t, s),
            None => s.serialize_none(),
        }
    }
}

/// An account claimed by one runner until `lease` time has passed without
/// a renewal (see `Store::claim_due`). Only the holder of the current epoch
/// may commit a sync of the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub account: String,
    /// The runner holding it.
    pub owner: String,
    /// Grows with every claim of the account: a fence against a holder whose
    /// lease expired and was claimed by another runner.
    pub epoch: i64,
    /// Failed syncs of the account in a row, before this claim.
    pub failures: u32,
    /// Whether the schedule handed it out, or a manual sync took it.
    pub kind: LeaseKind,
}

/// How a lease was taken, which decides what its end does to the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaseKind {
    /// Claimed because the account was due ([`crate::Store::claim_due`]):
    /// its end reschedules the account by the [`Reschedule`] plan.
    Scheduled,
    /// Taken by a manual sync ([`crate::Store::claim_now`]): its end only
    /// gives the account back, its next due time and failure count as they
    /// were, so a manual sync never delays or hastens the daemon's next sync.
    Manual,
}

/// An account a manual sync did not take because a runner holds its lease.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Held {
    pub account: String,
    /// The runner holding it.
    pub owner: String,
    /// When its lease runs out unless renewed.
    pub until: DateTime<Utc>,
}

/// When a leased account is next due, by how its sync ends: one `interval`
/// after the claim when it commits (ok or degraded), `backoff` after the
/// failure when it fails, and at once when it is interrupted (so that
/// another runner may take it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reschedule {
    pub interval: std::time::Duration,
    pub backoff: std::time::Duration,
}

/// How a leased sync ended, for its rescheduling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Committed,
    Failed,
    Interrupted,
}

impl Ended {
    pub fn of(outcome: Outcome) -> Ended {
        match outcome {
            Outcome::Ok | Outcome::Degraded => Ended::Committed,
            Outcome::Failed => Ended::Failed,
            Outcome::Interrupted => Ended::Interrupted,
        }
    }
}
