//! Reads on Postgres. Each public read runs in one REPEATABLE READ
//! transaction, so it sees a single committed snapshot.

use std::collections::HashSet;

use futures_util::{TryStreamExt, pin_mut};
use tokio_postgres::{GenericClient, Row};

use crate::codec::{from_micros, to_u64};
use crate::error::{Result, StoreError};
use crate::merge::USER_COLUMNS;
use crate::rows::{
    ACCOUNT_COLUMNS, Columns, RUN_COLUMNS, StoredAccount, stored_account, stored_user, sync_run,
};
use crate::types::{AccountSummary, StatusCounts, StoredUser, SyncRun, UserEvent, UserEventKind};

impl Columns for Row {
    fn int(&self, i: usize) -> Result<i64> {
        Ok(self.try_get(i)?)
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        Ok(self.try_get(i)?)
    }
    fn text(&self, i: usize) -> Result<String> {
        Ok(self.try_get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>> {
        Ok(self.try_get(i)?)
    }
}

pub(crate) async fn account(c: &impl GenericClient, account: &str) -> Result<Option<StoredAccount>> {
    let row = c
        .query_opt(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE account = $1"), &[&account])
        .await?;
    row.as_ref().map(stored_account).transpose()
}

async fn all_accounts(c: &impl GenericClient) -> Result<Vec<StoredAccount>> {
    let rows = c
        .query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY account COLLATE \"C\""), &[])
        .await?;
    rows.iter().map(stored_account).collect()
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

/// Users by status: the totals the latest commit kept (visible users change
/// only then), or, for runs from before those were kept, a count of the rows.
pub(crate) async fn status_counts(c: &impl GenericClient, account_pk: i64) -> Result<StatusCounts> {
    if let Some(counts) = super::history::latest_statuses(c, account_pk).await? {
        return Ok(counts);
    }
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
        out.push(summary(c, a).await?);
    }
    Ok(out)
}

/// One account as [`accounts`] lists it.
pub(crate) async fn account_summary(c: &impl GenericClient, account: &str) -> Result<Option<AccountSummary>> {
    match self::account(c, account).await? {
        Some(a) => Ok(Some(summary(c, a).await?)),
        None => Ok(None),
    }
}

async fn summary(c: &impl GenericClient, a: StoredAccount) -> Result<AccountSummary> {
    let last_good_at = match a.last_good_run_id {
        Some(id) => run(c, id).await?.and_then(|r| r.finished_at),
        None => None,
    };
    Ok(AccountSummary {
        last_run: last_run(c, a.pk).await?,
        last_good_at,
        users: status_counts(c, a.pk).await?,
        account: a.account,
        connector: a.connector,
        record: a.record,
    })
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
