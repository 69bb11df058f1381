//! Removing an account's data, on the writer's connection inside its
//! transaction, so that it waits for no one and no sync of the account may
//! be open.

use rusqlite::Connection;

use super::read;
use crate::codec::to_u64;
use crate::error::{Result, StoreError};
use crate::prune::Pruned;

pub(crate) fn prune(conn: &Connection, account: &str) -> Result<Pruned> {
    let a = read::account(conn, account)?.ok_or_else(|| StoreError::UnknownAccount(account.to_owned()))?;
    let open: i64 = conn.query_row(
        "SELECT count(*) FROM sync_runs WHERE account_pk = ?1 AND outcome IS NULL",
        [a.pk],
        |r| r.get(0),
    )?;
    if open > 0 {
        return Err(StoreError::AccountBusy(account.to_owned()));
    }
    let delete =
        |sql: &str| -> Result<u64> { Ok(to_u64(i64::try_from(conn.execute(sql, [a.pk])?).unwrap_or(0))) };
    delete("DELETE FROM run_totals WHERE run_id IN (SELECT run_id FROM sync_runs WHERE account_pk = ?1)")?;
    delete("DELETE FROM user_events WHERE account_pk = ?1")?;
    let users = delete("DELETE FROM users WHERE account_pk = ?1")?;
    delete("DELETE FROM licenses WHERE account_pk = ?1")?;
    let runs = delete("DELETE FROM sync_runs WHERE account_pk = ?1")?;
    delete("DELETE FROM accounts WHERE account_pk = ?1")?;
    Ok(Pruned { runs, users })
}
