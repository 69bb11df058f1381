//! Removing an account's data in one transaction, refused while a sync of
//! the account is open or a live runner holds its lease.

use tokio_postgres::Transaction;

use super::read;
use crate::codec::to_u64;
use crate::error::{Result, StoreError};
use crate::prune::Pruned;

pub(crate) async fn prune(tx: &Transaction<'_>, account: &str) -> Result<Pruned> {
    // The schedule row is locked first, as a claim would lock it.
    let leased: i64 = tx
        .query_one(
            "SELECT count(*) FROM (SELECT 1 FROM schedule WHERE account = $1
                 AND lease_owner IS NOT NULL AND lease_expires_at > now() FOR UPDATE) l",
            &[&account],
        )
        .await?
        .try_get(0)?;
    let a =
        read::account(tx, account).await?.ok_or_else(|| StoreError::UnknownAccount(account.to_owned()))?;
    let open: i64 = tx
        .query_one("SELECT count(*) FROM sync_runs WHERE account_pk = $1 AND outcome IS NULL", &[&a.pk])
        .await?
        .try_get(0)?;
    if open + leased > 0 {
        return Err(StoreError::AccountBusy(account.to_owned()));
    }
    let mut n = Vec::new();
    for sql in [
        "DELETE FROM run_totals WHERE run_id IN (SELECT run_id FROM sync_runs WHERE account_pk = $1)",
        "DELETE FROM user_events WHERE account_pk = $1",
        "DELETE FROM users WHERE account_pk = $1",
        "DELETE FROM licenses WHERE account_pk = $1",
        "DELETE FROM sync_runs WHERE account_pk = $1",
        "DELETE FROM accounts WHERE account_pk = $1",
    ] {
        n.push(tx.execute(sql, &[&a.pk]).await?);
    }
    tx.execute("DELETE FROM schedule WHERE account = $1", &[&account]).await?;
    let count = |i: usize| to_u64(i64::try_from(n[i]).unwrap_or(0));
    Ok(Pruned { runs: count(4), users: count(2) })
}
