//! Reads on Postgres. Each public read runs in one REPEATABLE READ
//! transaction, so it sees a single committed snapshot.

use std::collections::HashSet;

use futures_util::{TryStreamExt, pin_mut};
use tokio_postgres::{GenericClient, Row};

use crate::codec::{
    decode_map, decode_record, decode_roles, decode_strings, from_micros, from_micros_opt, to_u64,
};
use crate::error::{Result, StoreError};
use crate::merge::USER_COLUMNS;
use crate::types::{AccountSummary, Outcome, StatusCounts, StoredUser, SyncRun, UserEvent, UserEventKind};

pub(crate) struct AccountRow {
    pub pk: i64,
    pub account: String,
    pub connector: String,
    pub record: Option<roster_core::AccountRecord>,
    pub last_good_run_id: Option<i64>,
}

const ACCOUNT_COLUMNS: &str =
    "account_pk, account, connector, tenant_id, tenant_name, plan, record_attributes, last_good_run_id";

fn account_row(r: &Row) -> Result<AccountRow> {
    Ok(AccountRow {
        pk: r.try_get(0)?,
        account: r.try_get(1)?,
        connector: r.try_get(2)?,
        record: decode_record(r.try_get(3)?, r.try_get(4)?, r.try_get(5)?, r.try_get(6)?)?,
        last_good_run_id: r.try_get(7)?,
    })
}

pub(crate) async fn account(c: &impl GenericClient, account: &str) -> Result<Option<AccountRow>> {
    let row = c
        .query_opt(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE account = $1"), &[&account])
        .await?;
    row.as_ref().map(account_row).transpose()
}

async fn all_accounts(c: &impl GenericClient) -> Result<Vec<AccountRow>> {
    let rows = c
        .query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY account COLLATE \"C\""), &[])
        .await?;
    rows.iter().map(account_row).collect()
}

pub(crate) async fn previous_state(
    c: &impl GenericClient,
    account: &str,
) -> Result<Option<serde_json::Value>> {
    let row = c.query_opt("SELECT state FROM accounts WHERE account = $1", &[&account]).await?;
    match row.and_then(|r| r.get::<_, Option<String>>(0)) {
        Some(text) => Ok(Some(serde_json::from_str(&text)?)),
        None => Ok(None),
    }
}

fn stored_user(a: &AccountRow, r: &Row) -> Result<StoredUser> {
    let roles: String = r.try_get(5)?;
    let licenses: String = r.try_get(6)?;
    let attributes: String = r.try_get(7)?;
    Ok(StoredUser {
        account: a.account.clone(),
        connector: a.connector.clone(),
        id: r.try_get(0)?,
        email: r.try_get(1)?,
        name: r.try_get(2)?,
        status: r.try_get(3)?,
        last_visit_at: from_micros_opt(r.try_get(4)?)?,
        roles: decode_roles(&roles)?,
        license_types: decode_strings(&licenses)?,
        attributes: decode_map(Some(&attributes))?,
        first_seen_at: from_micros(r.try_get(8)?)?,
        removed_at: from_micros_opt(r.try_get(9)?)?,
    })
}

/// Streams the users of `accounts` (all when empty), by account then id,
/// a row at a time.
pub(crate) async fn for_each_user(
    c: &impl GenericClient,
    accounts: &[String],
    f: &mut (dyn FnMut(StoredUser) + Send),
) -> Result<()> {
    let wanted: HashSet<&str> = accounts.iter().map(String::as_str).collect();
    let stmt = c
        .prepare(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE account_pk = $1 ORDER BY user_id COLLATE \"C\""
        ))
        .await?;
    for a in all_accounts(c).await? {
        if !wanted.is_empty() && !wanted.contains(a.account.as_str()) {
            continue;
        }
        let rows = c.query_raw(&stmt, [&a.pk]).await?;
        pin_mut!(rows);
        while let Some(r) = rows.try_next().await? {
            f(stored_user(&a, &r)?);
        }
    }
    Ok(())
}

const RUN_COLUMNS: &str = "r.run_id, a.account, r.connector, r.started_at, r.finished_at, \
     r.outcome, r.seen, r.added, r.changed, r.removed, r.restored, r.skipped, r.error_kind, \
     r.message, r.remediation, r.notes, r.degraded_reason";

fn sync_run(r: &Row) -> Result<SyncRun> {
    let outcome: String = r.try_get(5)?;
    let notes: Option<String> = r.try_get(15)?;
    let n = |i: usize| -> Result<u64> { Ok(to_u64(r.try_get::<_, i64>(i)?)) };
    Ok(SyncRun {
        run_id: r.try_get(0)?,
        account: r.try_get(1)?,
        connector: r.try_get(2)?,
        started_at: from_micros(r.try_get(3)?)?,
        finished_at: from_micros_opt(r.try_get(4)?)?,
        outcome: Outcome::parse(&outcome)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown run outcome `{outcome}`")))?,
        seen: n(6)?,
        added: n(7)?,
        changed: n(8)?,
        removed: n(9)?,
        restored: n(10)?,
        skipped: n(11)?,
        error_kind: r.try_get(12)?,
        message: r.try_get(13)?,
        remediation: r.try_get(14)?,
        notes: match notes {
            Some(n) => decode_strings(&n)?,
            None => Vec::new(),
        },
        degraded_reason: r.try_get(16)?,
    })
}

/// Finished runs of an account, newest first.
pub(crate) async fn history(c: &impl GenericClient, account_pk: i64, limit: usize) -> Result<Vec<SyncRun>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = c
        .query(
            &format!(
                "SELECT {RUN_COLUMNS} FROM sync_runs r JOIN accounts a ON a.account_pk = r.account_pk
                 WHERE r.account_pk = $1 AND r.outcome IS NOT NULL
                 ORDER BY r.run_id DESC LIMIT $2"
            ),
            &[&account_pk, &limit],
        )
        .await?;
    rows.iter().map(sync_run).collect()
}

pub(crate) async fn run(c: &impl GenericClient, run_id: i64) -> Result<Option<SyncRun>> {
    let row = c
        .query_opt(
            &format!(
                "SELECT {RUN_COLUMNS} FROM sync_runs r JOIN accounts a ON a.account_pk = r.account_pk
                 WHERE r.run_id = $1 AND r.outcome IS NOT NULL"
            ),
            &[&run_id],
        )
        .await?;
    row.as_ref().map(sync_run).transpose()
}

pub(crate) async fn last_run(c: &impl GenericClient, account_pk: i64) -> Result<Option<SyncRun>> {
    Ok(history(c, account_pk, 1).await?.into_iter().next())
}

pub(crate) async fn status_counts(c: &impl GenericClient, account_pk: i64) -> Result<StatusCounts> {
    let rows = c
        .query("SELECT status, count(*) FROM users WHERE account_pk = $1 GROUP BY status", &[&account_pk])
        .await?;
    let mut counts = StatusCounts::default();
    for r in rows {
        let status: String = r.try_get(0)?;
        counts.add(&status, to_u64(r.try_get(1)?));
    }
    Ok(counts)
}

pub(crate) async fn accounts(c: &impl GenericClient) -> Result<Vec<AccountSummary>> {
    let mut out = Vec::new();
    for a in all_accounts(c).await? {
        let last_good_at = match a.last_good_run_id {
            Some(id) => run(c, id).await?.and_then(|r| r.finished_at),
            None => None,
        };
        out.push(AccountSummary {
            last_run: last_run(c, a.pk).await?,
            last_good_at,
            users: status_counts(c, a.pk).await?,
            account: a.account,
            connector: a.connector,
            record: a.record,
        });
    }
    Ok(out)
}

pub(crate) async fn user_events(
    c: &impl GenericClient,
    account: &str,
    user_id: &str,
) -> Result<Vec<UserEvent>> {
    let rows = c
        .query(
            "SELECT e.run_id, e.kind, e.at FROM user_events e
             JOIN accounts a ON a.account_pk = e.account_pk
             WHERE a.account = $1 AND e.user_id = $2 ORDER BY e.run_id",
            &[&account, &user_id],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get(1)?;
            Ok(UserEvent {
                account: account.to_owned(),
                user_id: user_id.to_owned(),
                run_id: r.try_get(0)?,
                kind: UserEventKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("unknown user event `{kind}`")))?,
                at: from_micros(r.try_get(2)?)?,
            })
        })
        .collect()
}
