//! Decoding the rows both backends read, written once: a backend only says
//! how to get one column of one of its rows ([`Columns`]). The column lists
//! here are the order the decoders read.

use std::collections::BTreeMap;

use roster_core::TenantRecord;

use crate::codec::{
    decode_map, decode_record, decode_roles, decode_strings, from_micros, from_micros_opt, to_u64,
};
use crate::error::{Result, StoreError};
use crate::types::{Outcome, StoredUser, SyncRun};

/// One column of a result row, by position.
pub(crate) trait Columns {
    fn int(&self, i: usize) -> Result<i64>;
    fn opt_int(&self, i: usize) -> Result<Option<i64>>;
    fn text(&self, i: usize) -> Result<String>;
    fn opt_text(&self, i: usize) -> Result<Option<String>>;
}

/// An account as the store keeps it: its key columns and its tenant record.
pub(crate) struct StoredAccount {
    pub pk: i64,
    pub account: String,
    pub connector: String,
    pub record: Option<TenantRecord>,
    pub last_good_run_id: Option<i64>,
}

pub(crate) const ACCOUNT_COLUMNS: &str =
    "account_pk, account, connector, tenant_id, tenant_name, plan, record_attributes, last_good_run_id";

pub(crate) fn stored_account(r: &impl Columns) -> Result<StoredAccount> {
    Ok(StoredAccount {
        pk: r.int(0)?,
        account: r.text(1)?,
        connector: r.text(2)?,
        record: decode_record(r.opt_text(3)?, r.opt_text(4)?, r.opt_text(5)?, r.opt_text(6)?)?,
        last_good_run_id: r.opt_int(7)?,
    })
}

/// A row of [`crate::merge::USER_COLUMNS`] of account `a`.
pub(crate) fn stored_user(a: &StoredAccount, r: &impl Columns) -> Result<StoredUser> {
    Ok(StoredUser {
        account: a.account.clone(),
        connector: a.connector.clone(),
        id: r.text(0)?,
        email: r.opt_text(1)?,
        name: r.opt_text(2)?,
        status: r.text(3)?,
        last_visit_at: from_micros_opt(r.opt_int(4)?)?,
        roles: decode_roles(&r.text(5)?)?,
        license_types: decode_strings(&r.text(6)?)?,
        attributes: decode_map(Some(&r.text(7)?))?,
        first_seen_at: from_micros(r.int(8)?)?,
        removed_at: from_micros_opt(r.opt_int(9)?)?,
    })
}

/// `sync_runs r` joined to `accounts a`.
pub(crate) const RUN_COLUMNS: &str = "r.run_id, a.account, r.connector, r.started_at, r.finished_at, \
     r.outcome, r.seen, r.added, r.changed, r.removed, r.restored, r.skipped, r.error_kind, \
     r.message, r.remediation, r.notes, r.degraded_reason";

pub(crate) fn sync_run(r: &impl Columns) -> Result<SyncRun> {
    let outcome = r.text(5)?;
    let n = |i: usize| -> Result<u64> { Ok(to_u64(r.int(i)?)) };
    Ok(SyncRun {
        run_id: r.int(0)?,
        account: r.text(1)?,
        connector: r.text(2)?,
        started_at: from_micros(r.int(3)?)?,
        finished_at: from_micros_opt(r.opt_int(4)?)?,
        outcome: Outcome::parse(&outcome)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown run outcome `{outcome}`")))?,
        seen: n(6)?,
        added: n(7)?,
        changed: n(8)?,
        removed: n(9)?,
        restored: n(10)?,
        skipped: n(11)?,
        error_kind: r.opt_text(12)?,
        message: r.opt_text(13)?,
        remediation: r.opt_text(14)?,
        notes: match r.opt_text(15)? {
            Some(n) => decode_strings(&n)?,
            None => Vec::new(),
        },
        degraded_reason: r.opt_text(16)?,
    })
}

/// Users per role, by scope then name, summed from users grouped by the
/// canonical text of their roles (what `roles` holds).
#[derive(Debug, Default)]
pub(crate) struct RoleCounts(BTreeMap<String, BTreeMap<String, u64>>);

impl RoleCounts {
    /// Counts `users` users holding the roles `text` encodes.
    pub(crate) fn add(&mut self, text: &str, users: u64) -> Result<()> {
        for r in decode_roles(text)? {
            *self.0.entry(r.scope).or_default().entry(r.name).or_default() += users;
        }
        Ok(())
    }

    pub(crate) fn into_map(self) -> BTreeMap<String, BTreeMap<String, u64>> {
        self.0
    }
}
