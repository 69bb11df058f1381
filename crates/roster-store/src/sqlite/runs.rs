//! Run lifecycle on the writer's connection: begin, stage users, fail, and
//! clean up runs a dead process left open. Every function runs inside the
//! writer's open transaction.

use rusqlite::{Connection, OptionalExtension, params};

use super::schema::open_runs;
use super::stage::discard_staged;
use crate::codec::{to_i64, to_micros};
use crate::error::{Result, StoreError};
use crate::types::{FailedRun, Failure, Outcome};

/// The account's key, creating the account on first sight.
pub(crate) fn account_pk(conn: &Connection, account: &str, connector: &str) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO accounts (account, connector) VALUES (?1, ?2)
         ON CONFLICT (account) DO UPDATE SET connector = excluded.connector
         RETURNING account_pk",
    )?;
    Ok(stmt.query_row(params![account, connector], |r| r.get(0))?)
}

/// Opens a run; its outcome stays NULL until it is finished or failed.
pub(crate) fn begin(conn: &Connection, account: &str, connector: &str, started_at: i64) -> Result<i64> {
    let pk = account_pk(conn, account, connector)?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO sync_runs (account_pk, connector, started_at) VALUES (?1, ?2, ?3)
         RETURNING run_id",
    )?;
    Ok(stmt.query_row(params![pk, connector, started_at], |r| r.get(0))?)
}

/// The account of an in-progress run, or an error if the run is not open.
pub(crate) fn open_run(conn: &Connection, run_id: i64) -> Result<i64> {
    let mut stmt =
        conn.prepare_cached("SELECT account_pk FROM sync_runs WHERE run_id = ?1 AND outcome IS NULL")?;
    stmt.query_row([run_id], |r| r.get(0)).optional()?.ok_or(StoreError::RunNotActive(run_id))
}

/// Closes a run as failed or interrupted; the users it staged are dropped
/// and nothing else changes.
pub(crate) fn fail(conn: &Connection, run_id: i64, failure: &Failure, now: i64) -> Result<()> {
    let account_pk = open_run(conn, run_id)?;
    let seen = to_i64(discard_staged(conn, account_pk, run_id)?);
    let mut stmt = conn.prepare_cached(
        "UPDATE sync_runs SET finished_at = ?2, outcome = ?3, seen = ?4,
             error_kind = ?5, message = ?6, remediation = ?7
         WHERE run_id = ?1 AND outcome IS NULL",
    )?;
    stmt.execute(params![
        run_id,
        now,
        failure.outcome.as_str(),
        seen,
        failure.error_kind,
        failure.message,
        failure.remediation,
    ])?;
    Ok(())
}

/// Records a run that failed before it began.
pub(crate) fn record_failure(conn: &Connection, run: &FailedRun) -> Result<()> {
    let pk = account_pk(conn, &run.account, &run.connector)?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO sync_runs (account_pk, connector, started_at, finished_at, outcome,
             error_kind, message, remediation)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    stmt.execute(params![
        pk,
        run.connector,
        to_micros(&run.started_at),
        to_micros(&run.finished_at),
        run.outcome.as_str(),
        run.error_kind,
        run.message,
        run.remediation,
    ])?;
    Ok(())
}

/// Marks runs left open by a process that died as interrupted. Only called
/// when no other live store has runs in progress.
pub(crate) fn interrupt_orphans(conn: &Connection) -> Result<usize> {
    // The new users those runs wrote; their staging tables died with them.
    conn.execute(
        concat!(
            "DELETE FROM users
             WHERE account_pk IN (SELECT account_pk FROM sync_runs WHERE outcome IS NULL)
               AND pending_run IN ",
            open_runs!()
        ),
        [],
    )?;
    Ok(conn.execute(
        "UPDATE sync_runs SET outcome = ?1, error_kind = 'interrupted',
             message = 'the sync stopped before it finished: the process running it exited',
             remediation = 'sync the account again'
         WHERE outcome IS NULL",
        [Outcome::Interrupted.as_str()],
    )?)
}
