//! Reads, on connections of their own beside the writer. Each function runs
//! on a blocking thread inside one read transaction, so it sees a single
//! committed snapshot.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::schema::VISIBLE_U;
use crate::codec::{from_micros, to_u64};
use crate::error::{Result, StoreError};
use crate::merge::USER_COLUMNS;
use crate::rows::{ACCOUNT_COLUMNS, Columns, RUN_COLUMNS, StoredAccount, stored_account, sync_run};
use crate::types::{AccountSummary, StatusCounts, SyncRun, UserEvent, UserEventKind};
use crate::user_row::UserRow;

impl Columns for Row<'_> {
    fn int(&self, i: usize) -> Result<i64> {
        Ok(self.get(i)?)
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        Ok(self.get(i)?)
    }
    fn text(&self, i: usize) -> Result<String> {
        Ok(self.get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>> {
        Ok(self.get(i)?)
    }
}

pub(crate) fn account(conn: &Connection, account: &str) -> Result<Option<StoredAccount>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE account = ?1"))?;
    let mut rows = stmt.query([account])?;
    match rows.next()? {
        Some(r) => Ok(Some(stored_account(r)?)),
        None => Ok(None),
    }
}

fn all_accounts(conn: &Connection) -> Result<Vec<StoredAccount>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY account"))?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(stored_account(r)?);
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

/// Streams the users of `accounts` (all when empty), by account then id, as
/// rows borrowed from SQLite's own buffers: nothing is copied or decoded.
/// Stops at the first error of `f`.
pub(crate) fn for_each_user_row(
    conn: &Connection,
    accounts: &[String],
    f: &mut dyn FnMut(&UserRow<'_>) -> Result<()>,
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
            let text = |i: usize| r.get_ref(i).and_then(|v| Ok(v.as_str()?));
            let opt_text = |i: usize| r.get_ref(i).and_then(|v| Ok(v.as_str_or_null()?));
            let opt_int = |i: usize| r.get_ref(i).and_then(|v| Ok(v.as_i64_or_null()?));
            let int = |i: usize| r.get_ref(i).and_then(|v| Ok(v.as_i64()?));
            f(&UserRow {
                account: &a.account,
                connector: &a.connector,
                id: text(0)?,
                email: opt_text(1)?,
                name: opt_text(2)?,
                status: text(3)?,
                last_visit_at: opt_int(4)?,
                roles: text(5)?,
                license_types: text(6)?,
                attributes: text(7)?,
                first_seen_at: int(8)?,
                removed_at: opt_int(9)?,
            })?;
        }
    }
    Ok(())
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

/// Users by status. Visible users change only when a run commits, so the
/// totals the latest commit kept are the answer; stores from before those
/// were kept count the rows.
pub(crate) fn status_counts(conn: &Connection, account_pk: i64) -> Result<StatusCounts> {
    if let Some(counts) = super::history::latest_statuses(conn, account_pk)? {
        return Ok(counts);
    }
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
    all_accounts(conn)?.into_iter().map(|a| summary(conn, a)).collect()
}

/// One account as [`accounts`] lists it.
pub(crate) fn account_summary(conn: &Connection, account: &str) -> Result<Option<AccountSummary>> {
    self::account(conn, account)?.map(|a| summary(conn, a)).transpose()
}

fn summary(conn: &Connection, a: StoredAccount) -> Result<AccountSummary> {
    let last_good_at = match a.last_good_run_id {
        Some(id) => run(conn, id)?.and_then(|r| r.finished_at),
        None => None,
    };
    Ok(AccountSummary {
        last_run: last_run(conn, a.pk)?,
        last_good_at,
        users: status_counts(conn, a.pk)?,
        account: a.account,
        connector: a.connector,
        record: a.record,
    })
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
