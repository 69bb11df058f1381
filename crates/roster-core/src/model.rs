//! The normalized data model every connector produces.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A timestamp as Roster prints it everywhere: RFC 3339 in UTC (`Z`), with the
/// fractional seconds the value holds when they are not zero
/// (`2024-05-01T17:22:33Z`, `2024-05-01T17:22:33.123Z`, `2024-05-01T17:22:33.123456Z`).
pub fn timestamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Whether a person can use the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    Invited,
    Suspended,
    /// Set by the store when a user disappears from the app; connectors
    /// normally do not emit it.
    Removed,
}

impl UserStatus {
    pub const ALL: [UserStatus; 4] =
        [UserStatus::Active, UserStatus::Invited, UserStatus::Suspended, UserStatus::Removed];

    pub const fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Invited => "invited",
            UserStatus::Suspended => "suspended",
            UserStatus::Removed => "removed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A role held in a scope: an environment (`dev`), a project, or the whole
/// account ([`RoleAssignment::ACCOUNT`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoleAssignment {
    pub scope: String,
    pub name: String,
}

impl RoleAssignment {
    /// The scope of a role that applies to the whole account.
    pub const ACCOUNT: &'static str = "account";

    pub fn new(scope: impl Into<String>, name: impl Into<String>) -> Self {
        Self { scope: scope.into(), name: name.into() }
    }
}

/// One person with access to one connected account of an app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// The app's own id for the user, stable across syncs.
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub status: UserStatus,
    /// Last time the user used the app, in UTC; `None` when unknown or never.
    pub last_visit_at: Option<DateTime<Utc>>,
    pub roles: Vec<RoleAssignment>,
    pub license_types: Vec<String>,
    /// Vendor attributes that do not fit the fields above.
    pub attributes: Map<String, Value>,
}

impl User {
    /// A user with only an id and a status; connectors fill in the rest.
    pub fn new(id: impl Into<String>, status: UserStatus) -> Self {
        Self {
            id: id.into(),
            email: None,
            name: None,
            status,
            last_visit_at: None,
            roles: Vec::new(),
            license_types: Vec::new(),
            attributes: Map::new(),
        }
    }
}

/// A kind of license in an account, with how many are assigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseType {
    pub name: String,
    pub assigned: u64,
    /// Seats purchased, where the app exposes it.
    pub total: Option<u64>,
}

/// What a sync learns about the tenant: the vendor-side organisation an account reads
/// (a Workato workspace, a Zoom account, a Microsoft 365 tenant, a GitHub organization).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantRecord {
    pub tenant_id: String,
    pub name: Option<String>,
    pub plan: Option<String>,
    pub attributes: Map<String, Value>,
}

/// One capability probed by `check`, for example "list collaborators".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessCheck {
    pub capability: String,
    pub granted: bool,
    /// Why it was refused and what to do, when it was.
    pub detail: Option<String>,
}

/// Which tenant an account reaches and what its credentials can do, from `check`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    /// Written `account` in JSON, as `roster check --json` always has.
    #[serde(rename = "account")]
    pub tenant: TenantRecord,
    /// What a sync reads: every one must be granted for the check to pass.
    pub access: Vec<AccessCheck>,
    /// Which of the connector's actions the credentials may carry out (informative: an
    /// account can sync without them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<AccessCheck>,
}

impl CheckReport {
    /// A report of what a sync reads, with no action checks.
    pub fn new(tenant: TenantRecord, access: Vec<AccessCheck>) -> Self {
        CheckReport { tenant, access, actions: Vec::new() }
    }

    /// True when every probed capability was granted.
    pub fn fully_granted(&self) -> bool {
        self.access.iter().all(|a| a.granted)
    }
}
