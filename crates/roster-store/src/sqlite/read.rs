//! Reads, on connections of their own beside the writer. Each function runs
//! on a blocking thread inside one read transaction, so it sees a single
//! committed snapshot.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::schema::VISIBLE_U;
use crate::codec::{
    decode_map, decode_record, decode_roles, decode_strings, from_micros, from_micros_opt, to_u64,
};
use crate::error::{Result, StoreError};
use crate::merge::USER_COLUMNS;
use crate::types::UserEventKind;
use crate::types::{AccountSummary, Outcome, StatusCounts, StoredUser, SyncRun, UserEvent};

/// An account's key columns.
pub(crate) struct AccountRow {
    pub pk: i64,
    pub account: String,
    pub connector: String,
    pub record: Option<roster_core::AccountRecord>,
    pub last_good_run_id: Option<i64>,
}

const ACCOUNT_COLUMNS: &str =
    "account_pk, account, connector, tenant_id, tenant_name, plan, record_attributes, last_good_run_id";

fn account_row(r: &Row<'_>) -> Result<AccountRow> {
    Ok(AccountRow {
        pk: r.get(0)?,
        account: r.get(1)?,
        connector: r.get(2)?,
        record: decode_record(r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)?,
        last_good_run_id: r.get(7)?,
    })
}

pub(crate) fn account(conn: &Connection, account: &str) -> Result<Option<AccountRow>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE account = ?1"))?;
    let mut rows = stmt.query([account])?;
    match rows.next()? {
        Some(r) => Ok(Some(account_row(r)?)),
        None => Ok(None),
    }
}

fn all_accounts(conn: &Connection) -> Result<Vec<AccountRow>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY account"))?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(account_row(r)?);
    }
    Ok(out)
}

pub(crate) fn previous_state(conn: &Connection, account: &str) -> Result<Option<serde_json::Value>> {
    let state: Option<Option<String>> = conn
        .prepare_cached("SELECT state FROM accounts WHERE account = ?1")?
        .query_row([account], |r| r.get(0))
        .optional()?;
    match state.flatten() {
        Some(text) => Ok(Some(serde_json::from_str(&text)?)),
        None => Ok(None),
    }
}

fn stored_user(a: &AccountRow, r: &Row<'_>) -> Result<StoredUser> {
    let roles: String = r.get(5)?;
    let licenses: String = r.get(6)?;
    let attributes: String = r.get(7)?;
    Ok(StoredUser {
        account: a.account.clone(),
        connector: a.connector.clone(),
        id: r.get(0)?,
        email: r.get(1)?,
        name: r.get(2)?,
        status: r.get(3)?,
        last_visit_at: from_micros_opt(r.get(4)?)?,
        roles: decode_roles(&roles)?,
        license_types: decode_strings(&licenses)?,
        attributes: decode_map(Some(&attributes))?,
        first_seen_at: from_micros(r.get(8)?)?,
        removed_at: from_micros_opt(r.get(9)?)?,
    })
}

/// Streams the users of `accounts` (all when empty), by account then id.
pub(crate) fn for_each_user(
    conn: &Connection,
    accounts: &[String],
    f: &mut dyn FnMut(StoredUser),
) -> Result<()> {
    let wanted: HashSet<&str> = accounts.iter().map(String::as_str).collect();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.account_pk = ?1 AND {VISIBLE_U} ORDER BY u.user_id"
    ))?;
    for a in all_accounts(conn)? {
        if !wanted.is_empty() && !wanted.contains(a.account.as_str()) {
            continue;
        }
        let mut rows = stmt.query([a.pk])?;
        while let Some(r) = rows.next()? {
            f(stored_user(&a, r)?);
        }
    }
    Ok(())
}

const RUN_COLUMNS: &str = "r.run_id, a.account, r.connector, r.started_at, r.finished_at, \
     r.outcome, r.seen, r.added, r.changed, r.removed, r.restored, r.skipped, r.error_kind, \
     r.message, r.remediation, r.notes, r.degraded_reason";

fn sync_run(r: &Row<'_>) -> Result<SyncRun> {
    let outcome: String = r.get(5)?;
    let notes: Option<String> = r.get(15)?;
    Ok(SyncRun {
        run_id: r.get(0)?,
        account: r.get(1)?,
        connector: r.get(2)?,
        started_at: from_micros(r.get(3)?)?,
        finished_at: from_micros_opt(r.get(4)?)?,
        outcome: Outcome::parse(&outcome)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown run outcome `{outcome}`")))?,
        seen: to_u64(r.get(6)?),
        added: to_u64(r.get(7)?),
        changed: to_u64(r.get(8)?),
        removed: to_u64(r.get(9)?),
        restored: to_u64(r.get(10)?),
        skipped: to_u64(r.get(11)?),
        error_kind: r.get(12)?,
        message: r.get(13)?,
        remediation: r.get(14)?,
        notes: match notes {
            Some(n) => decode_strings(&n)?,
            None => Vec::new(),
        },
        degraded_reason: r.get(16)?,
    })
}

/// Finished runs of an account, newest first.
pub(crate) fn history(conn: &Connection, account_pk: i64, limit: usize) -> Result<Vec<SyncRun>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RUN_COLUMNS} FROM sync_runs r JOIN accounts a ON a.account_pk = r.account_pk
         WHERE r.account_pk = ?1 AND r.outcome IS NOT NULL
         ORDER BY r.run_id DESC LIMIT ?2"
    ))?;
    let mut rows = stmt.query(params![account_pk, limit])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(sync_run(r)?);
    }
    Ok(out)
}

pub(crate) fn run(conn: &Connection, run_id: i64) -> Result<Option<SyncRun>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RUN_COLUMNS} FROM sync_runs r JOIN accounts a ON a.account_pk = r.account_pk
         WHERE r.run_id = ?1 AND r.outcome IS NOT NULL"
    ))?;
    let mut rows = stmt.query([run_id])?;
    match rows.next()? {
        Some(r) => Ok(Some(sync_run(r)?)),
        None => Ok(None),
    }
}

pub(crate) fn last_run(conn: &Connection, account_pk: i64) -> Result<Option<SyncRun>> {
    Ok(history(conn, account_pk, 1)?.into_iter().next())
}

pub(crate) fn status_counts(conn: &Connection, account_pk: i64) -> Result<StatusCounts> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT u.status, count(*) FROM users u WHERE u.account_pk = ?1 AND {VISIBLE_U} GROUP BY u.status"
    ))?;
    let mut rows = stmt.query([account_pk])?;
    let mut counts = StatusCounts::default();
    while let Some(r) = rows.next()? {
        let status: String = r.get(0)?;
        counts.add(&status, to_u64(r.get(1)?));
    }
    Ok(counts)
}

pub(crate) fn accounts(conn: &Connection) -> Result<Vec<AccountSummary>> {
    let mut out = Vec::new();
    for a in all_accounts(conn)? {
        let last_good_at = match a.last_good_run_id {
            Some(id) => run(conn, id)?.and_then(|r| r.finished_at),
            None => None,
        };
        out.push(AccountSummary {
            last_run: last_run(conn, a.pk)?,
            last_good_at,
            users: status_counts(conn, a.pk)?,
            account: a.account,
            connector: a.connector,
            record: a.record,
        });
    }
    Ok(out)
}

pub(crate) fn user_events(conn: &Connection, account: &str, user_id: &str) -> Result<Vec<UserEvent>> {
    // A user's addition is its row's `pending_run` (the run that added it)
    // and `first_seen_at`; stores from before that kept it as an event.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT run_id, kind, at FROM (
             SELECT e.run_id, e.kind, e.at FROM user_events e
             JOIN accounts a ON a.account_pk = e.account_pk
             WHERE a.account = ?1 AND e.user_id = ?2
             UNION ALL
             SELECT u.pending_run, 'added', u.first_seen_at FROM users u
             JOIN accounts a ON a.account_pk = u.account_pk
             WHERE a.account = ?1 AND u.user_id = ?2 AND u.pending_run IS NOT NULL AND {VISIBLE_U})
         ORDER BY run_id"
    ))?;
    let mut rows = stmt.query(params![account, user_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(1)?;
        out.push(UserEvent {
            account: account.to_owned(),
            user_id: user_id.to_owned(),
            run_id: r.get(0)?,
            kind: UserEventKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown user event `{kind}`")))?,
            at: from_micros(r.get(2)?)?,
        });
    }
    Ok(out)
}
