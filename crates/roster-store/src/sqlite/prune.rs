//! Removing an account's data, on a read connection lent write access for
//! one IMMEDIATE transaction (it waits for the writer's, and no sync of the
//! account may be open).

use rusqlite::{Connection, TransactionBehavior};

use super::read;
use crate::codec::to_u64;
use crate::error::{Result, StoreError};
use crate::prune::Pruned;

pub(crate) fn prune(conn: &mut Connection, account: &str) -> Result<Pruned> {
    conn.pragma_update(None, "query_only", false)?;
    let pruned = delete_account(conn, account);
    conn.pragma_update(None, "query_only", true)?;
    pruned
}

fn delete_account(conn: &mut Connection, account: &str) -> Result<Pruned> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let a = read::account(&tx, account)?.ok_or_else(|| StoreError::UnknownAccount(account.to_owned()))?;
    let open: i64 = tx.query_row(
        "SELECT count(*) FROM sync_runs WHERE account_pk = ?1 AND outcome IS NULL",
        [a.pk],
        |r| r.get(0),
    )?;
    if open > 0 {
        return Err(StoreError::AccountBusy(account.to_owned()));
    }
    let delete =
        |sql: &str| -> Result<u64> { Ok(to_u64(i64::try_from(tx.execute(sql, [a.pk])?).unwrap_or(0))) };
    delete("DELETE FROM run_totals WHERE run_id IN (SELECT run_id FROM sync_runs WHERE account_pk = ?1)")?;
    delete("DELETE FROM user_events WHERE account_pk = ?1")?;
    let users = delete("DELETE FROM users WHERE account_pk = ?1")?;
    delete("DELETE FROM licenses WHERE account_pk = ?1")?;
    let runs = delete("DELETE FROM sync_runs WHERE account_pk = ?1")?;
    delete("DELETE FROM accounts WHERE account_pk = ?1")?;
    tx.commit()?;
    Ok(Pruned { runs, users })
}
