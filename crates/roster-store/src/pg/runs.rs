//! Run lifecycle on Postgres: begin, stage users, fail, record a failure
//! that happened before a run began, and close runs left by dead processes.

use std::collections::HashSet;

use tokio_postgres::{GenericClient, Transaction};

use crate::codec::{StagedBatch, to_micros};
use crate::error::{Result, StoreError};
use crate::types::{FailedRun, Failure, Outcome};

/// The account's key, creating the account on first sight.
pub(crate) async fn account_pk(c: &impl GenericClient, account: &str, connector: &str) -> Result<i64> {
    let row = c
        .query_one(
            "INSERT INTO accounts (account, connector) VALUES ($1, $2)
             ON CONFLICT (account) DO UPDATE SET connector = excluded.connector
             RETURNING account_pk",
            &[&account, &connector],
        )
        .await?;
    Ok(row.get(0))
}

/// Opens a run owned by the store whose advisory lock is `runner_key`.
pub(crate) async fn begin(
    tx: &Transaction<'_>,
    account: &str,
    connector: &str,
    started_at: i64,
    runner_key: i64,
) -> Result<i64> {
    let pk = account_pk(tx, account, connector).await?;
    let row = tx
        .query_one(
            "INSERT INTO sync_runs (account_pk, connector, started_at, runner_key)
             VALUES ($1, $2, $3, $4) RETURNING run_id",
            &[&pk, &connector, &started_at, &runner_key],
        )
        .await?;
    Ok(row.get(0))
}

/// The account of an open run, locking the run row; an error if it is not open.
pub(crate) async fn open_run(c: &impl GenericClient, run_id: i64) -> Result<i64> {
    let row = c
        .query_opt(
            "SELECT account_pk FROM sync_runs WHERE run_id = $1 AND outcome IS NULL FOR UPDATE",
            &[&run_id],
        )
        .await?;
    row.map(|r| r.get(0)).ok_or(StoreError::RunNotActive(run_id))
}

/// Stages a batch; a user id repeated in the run (or the batch) keeps the last record.
pub(crate) async fn stage(tx: &Transaction<'_>, run_id: i64, batch: &StagedBatch) -> Result<()> {
    open_run(tx, run_id).await?;
    let users: Vec<_> = batch.users().collect();
    let mut seen = HashSet::new();
    let last: Vec<_> = users.iter().rev().filter(|u| seen.insert(u.id)).collect();
    let ids: Vec<&str> = last.iter().map(|u| u.id).collect();
    let emails: Vec<Option<&str>> = last.iter().map(|u| u.email).collect();
    let names: Vec<Option<&str>> = last.iter().map(|u| u.name).collect();
    let statuses: Vec<&str> = last.iter().map(|u| u.status).collect();
    let visits: Vec<Option<i64>> = last.iter().map(|u| u.last_visit_at).collect();
    let roles: Vec<&str> = last.iter().map(|u| u.roles).collect();
    let licenses: Vec<&str> = last.iter().map(|u| u.license_types).collect();
    let attributes: Vec<&str> = last.iter().map(|u| u.attributes).collect();
    let hashes: Vec<i64> = last.iter().map(|u| u.hash).collect();
    tx.execute(
        "INSERT INTO staged_users (run_id, user_id, email, name, status, last_visit_at, roles,
             license_types, attributes, hash)
         SELECT $1::int8, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int8[],
             $7::text[], $8::text[], $9::text[], $10::int8[])
         ON CONFLICT (run_id, user_id) DO UPDATE SET
             email = excluded.email, name = excluded.name, status = excluded.status,
             last_visit_at = excluded.last_visit_at, roles = excluded.roles,
             license_types = excluded.license_types, attributes = excluded.attributes,
             hash = excluded.hash",
        &[&run_id, &ids, &emails, &names, &statuses, &visits, &roles, &licenses, &attributes, &hashes],
    )
    .await?;
    Ok(())
}

/// Closes a run as failed or interrupted; its staged users are dropped and
/// nothing else changes.
pub(crate) async fn fail(tx: &Transaction<'_>, run_id: i64, failure: &Failure, now: i64) -> Result<()> {
    open_run(tx, run_id).await?;
    tx.execute(
        "UPDATE sync_runs SET finished_at = $2, outcome = $3, error_kind = $4, message = $5,
             remediation = $6,
             seen = (SELECT count(*) FROM staged_users WHERE run_id = $1)
         WHERE run_id = $1 AND outcome IS NULL",
        &[
            &run_id,
            &now,
            &failure.outcome.as_str(),
            &failure.error_kind,
            &failure.message,
            &failure.remediation,
        ],
    )
    .await?;
    tx.execute("DELETE FROM staged_users WHERE run_id = $1", &[&run_id]).await?;
    Ok(())
}

/// Records a run that failed before it began.
pub(crate) async fn record_failure(tx: &Transaction<'_>, run: &FailedRun) -> Result<()> {
    let pk = account_pk(tx, &run.account, &run.connector).await?;
    tx.execute(
        "INSERT INTO sync_runs (account_pk, connector, started_at, finished_at, outcome,
             error_kind, message, remediation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &pk,
            &run.connector,
            &to_micros(&run.started_at),
            &to_micros(&run.finished_at),
            &run.outcome.as_str(),
            &run.error_kind,
            &run.message,
            &run.remediation,
        ],
    )
    .await?;
    Ok(())
}

/// Marks runs whose store no longer holds its advisory lock (the process
/// died, or lost its connection for good) as interrupted, and drops what
/// they staged. Returns how many.
pub(crate) async fn interrupt_orphans(tx: &Transaction<'_>) -> Result<u64> {
    let rows = tx
        .query(
            "WITH held AS (
                 SELECT (l.classid::bigint << 32) | l.objid::bigint AS key
                 FROM pg_locks l
                 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
             )
             UPDATE sync_runs r SET outcome = $1, error_kind = 'interrupted',
                 message = 'the sync stopped before it finished: the process running it exited',
                 remediation = 'sync the account again'
             WHERE r.outcome IS NULL AND r.runner_key IS NOT NULL
               AND r.runner_key NOT IN (SELECT key FROM held)
             RETURNING r.run_id",
            &[&Outcome::Interrupted.as_str()],
        )
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
    if !ids.is_empty() {
        tx.execute("DELETE FROM staged_users WHERE run_id = ANY($1)", &[&ids]).await?;
    }
    Ok(ids.len() as u64)
}
