//! The audit trail of actions: one row for everything applied or refused, on both
//! backends, never deleted by a sync. The SQL differs only in its placeholders.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::codec::{from_micros, to_micros};
use crate::error::{Result, StoreError};
use crate::rows::Columns;

/// How an action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// Written and verified.
    Applied,
    /// The user was already in the target state: nothing was written.
    Already,
    /// The vendor refused the write, or it could not be sent.
    Failed,
    /// Written, but the read afterwards did not show the target state.
    Unverified,
    /// Not attempted: the account does not allow it, or a guardrail stopped it.
    Refused,
}

impl AuditOutcome {
    pub const ALL: [AuditOutcome; 5] = [
        AuditOutcome::Applied,
        AuditOutcome::Already,
        AuditOutcome::Failed,
        AuditOutcome::Unverified,
        AuditOutcome::Refused,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Applied => "applied",
            AuditOutcome::Already => "already",
            AuditOutcome::Failed => "failed",
            AuditOutcome::Unverified => "unverified",
            AuditOutcome::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

impl std::fmt::Display for AuditOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One action applied or refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub account: String,
    pub connector: String,
    pub action: String,
    pub user_id: String,
    pub email: Option<String>,
    /// The action's arguments, as given.
    pub args: Value,
    /// The user's access before (null: not in the app).
    pub before: Value,
    /// The planned access after (null: not in the app).
    pub after: Value,
    pub outcome: AuditOutcome,
    pub detail: String,
    pub actor: String,
    /// The plan this entry belongs to (one `act`, or one `reclaim` of many users).
    pub plan_id: String,
}

pub(crate) const COLUMNS: &str = "at, account, connector, action, user_id, email, args, before_state, after_state, outcome, detail, actor, plan_id";

/// The migration that adds the table; `$id` is the key column's type (SQLite's
/// `INTEGER PRIMARY KEY`, Postgres's `BIGSERIAL PRIMARY KEY`).
macro_rules! audit_table {
    ($id:literal) => {
        concat!(
            "CREATE TABLE audit (
    audit_id     ",
            $id,
            ",
    at           BIGINT NOT NULL,
    account      TEXT NOT NULL,
    connector    TEXT NOT NULL,
    action       TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    email        TEXT,
    args         TEXT NOT NULL,
    before_state TEXT NOT NULL,
    after_state  TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    detail       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    plan_id      TEXT NOT NULL
);
CREATE INDEX audit_account ON audit (account, audit_id);"
        )
    };
}
pub(crate) use audit_table;

/// An entry's values in [`COLUMNS`] order: `at`, then the texts (`email` may be null).
pub(crate) fn values(e: &AuditEntry) -> (i64, [Option<String>; 12]) {
    (
        to_micros(&e.at),
        [
            Some(e.account.clone()),
            Some(e.connector.clone()),
            Some(e.action.clone()),
            Some(e.user_id.clone()),
            e.email.clone(),
            Some(e.args.to_string()),
            Some(e.before.to_string()),
            Some(e.after.to_string()),
            Some(e.outcome.as_str().to_owned()),
            Some(e.detail.clone()),
            Some(e.actor.clone()),
            Some(e.plan_id.clone()),
        ],
    )
}

/// Decodes a row read in [`COLUMNS`] order.
pub(crate) fn entry(r: &impl Columns) -> Result<AuditEntry> {
    let json = |i: usize, what: &str| -> Result<Value> {
        serde_json::from_str(&r.text(i)?)
            .map_err(|_| StoreError::Invalid(format!("the audit row's {what} is not json")))
    };
    let outcome = r.text(9)?;
    Ok(AuditEntry {
        at: from_micros(r.int(0)?)?,
        account: r.text(1)?,
        connector: r.text(2)?,
        action: r.text(3)?,
        user_id: r.text(4)?,
        email: r.opt_text(5)?,
        args: json(6, "args")?,
        before: json(7, "before")?,
        after: json(8, "after")?,
        outcome: AuditOutcome::parse(&outcome)
            .ok_or_else(|| StoreError::Invalid(format!("unknown audit outcome `{outcome}`")))?,
        detail: r.text(10)?,
        actor: r.text(11)?,
        plan_id: r.text(12)?,
    })
}

/// `WHERE` clause selecting `n` accounts (none: all), with `placeholder(i)` for the i-th.
pub(crate) fn accounts_filter(n: usize, placeholder: impl Fn(usize) -> String) -> String {
    if n == 0 {
        return String::new();
    }
    let list: Vec<String> = (1..=n).map(placeholder).collect();
    format!(" WHERE account IN ({})", list.join(", "))
}
