//! The schedule table and its leases. Times are the database's clock, so
//! runners whose clocks disagree still agree on who holds what.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_postgres::Transaction;

use crate::codec::{from_micros, to_micros};
use crate::error::{Result, StoreError};
use crate::types::{Ended, Held, Lease, LeaseKind, Reschedule};

pub(crate) const V2: &str = "
-- One row per scheduled account. A runner holds an account while
-- lease_owner is set and lease_expires_at is in the future; lease_epoch
-- grows with every claim and fences commits of an earlier holder.
CREATE TABLE schedule (
    account          TEXT PRIMARY KEY,
    next_due_at      TIMESTAMPTZ NOT NULL,
    failures         INTEGER NOT NULL DEFAULT 0,
    lease_owner      TEXT,
    lease_epoch      BIGINT NOT NULL DEFAULT 0,
    lease_expires_at TIMESTAMPTZ,
    claimed_at       TIMESTAMPTZ
);
CREATE INDEX schedule_due ON schedule (next_due_at);
";

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

pub(crate) async fn schedule(tx: &Transaction<'_>, accounts: &[(String, DateTime<Utc>)]) -> Result<()> {
    let names: Vec<&str> = accounts.iter().map(|(a, _)| a.as_str()).collect();
    let due: Vec<i64> = accounts.iter().map(|(_, t)| to_micros(t)).collect();
    tx.execute(
        "INSERT INTO schedule (account, next_due_at)
         SELECT a, to_timestamp(d / 1000000.0) FROM unnest($1::text[], $2::int8[]) AS x(a, d)
         ON CONFLICT (account) DO NOTHING",
        &[&names, &due],
    )
    .await?;
    Ok(())
}

pub(crate) async fn make_due(tx: &Transaction<'_>, account: &str) -> Result<()> {
    tx.execute("UPDATE schedule SET next_due_at = now(), failures = 0 WHERE account = $1", &[&account])
        .await?;
    Ok(())
}

/// Claims due accounts: rows another runner is claiming right now are
/// skipped, not waited for.
pub(crate) async fn claim(
    tx: &Transaction<'_>,
    owner: &str,
    among: &[String],
    limit: usize,
    lease_for: Duration,
) -> Result<Vec<Lease>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = tx
        .query(
            "WITH due AS (
                 SELECT account FROM schedule
                 WHERE account = ANY($2) AND next_due_at <= now()
                   AND (lease_owner IS NULL OR lease_expires_at < now())
                 ORDER BY next_due_at
                 LIMIT $3
                 FOR UPDATE SKIP LOCKED)
             UPDATE schedule s SET lease_owner = $1, lease_epoch = s.lease_epoch + 1,
                 lease_expires_at = now() + make_interval(secs => $4), claimed_at = now()
             FROM due WHERE s.account = due.account
             RETURNING s.account, s.lease_epoch, s.failures",
            &[&owner, &among, &limit, &secs(lease_for)],
        )
        .await?;
    Ok(rows.iter().map(|r| lease_of(r, owner, LeaseKind::Scheduled)).collect())
}

/// The lease in a row of `account, lease_epoch, failures`.
fn lease_of(r: &tokio_postgres::Row, owner: &str, kind: LeaseKind) -> Lease {
    Lease {
        account: r.get(0),
        owner: owner.to_owned(),
        epoch: r.get(1),
        failures: u32::try_from(r.get::<_, i32>(2)).unwrap_or(0),
        kind,
    }
}

/// Takes `accounts` for a manual sync, due or not, unless a live lease of
/// another runner holds them. Rows another transaction is claiming or
/// committing are waited for (in account order, so two manual syncs never
/// deadlock), then judged by what it left. Accounts not scheduled yet are
/// added, due now.
pub(crate) async fn claim_now(
    tx: &Transaction<'_>,
    owner: &str,
    accounts: &[String],
    lease_for: Duration,
) -> Result<(Vec<Lease>, Vec<Held>)> {
    tx.execute(
        "INSERT INTO schedule (account, next_due_at)
         SELECT a, now() FROM unnest($1::text[]) AS x(a)
         ON CONFLICT (account) DO NOTHING",
        &[&accounts],
    )
    .await?;
    let rows = tx
        .query(
            "WITH free AS (
                 SELECT account FROM schedule
                 WHERE account = ANY($2)
                   AND (lease_owner IS NULL OR lease_owner = $1 OR lease_expires_at < now())
                 ORDER BY account
                 FOR UPDATE)
             UPDATE schedule s SET lease_owner = $1, lease_epoch = s.lease_epoch + 1,
                 lease_expires_at = now() + make_interval(secs => $3), claimed_at = now()
             FROM free WHERE s.account = free.account
             RETURNING s.account, s.lease_epoch, s.failures",
            &[&owner, &accounts, &secs(lease_for)],
        )
        .await?;
    let leases: Vec<Lease> = rows.iter().map(|r| lease_of(r, owner, LeaseKind::Manual)).collect();
    let taken: Vec<&str> = leases.iter().map(|l| l.account.as_str()).collect();
    let rows = tx
        .query(
            "SELECT account, lease_owner, (extract(epoch FROM lease_expires_at) * 1000000)::int8
             FROM schedule
             WHERE account = ANY($1) AND NOT account = ANY($2) AND lease_owner IS NOT NULL
             ORDER BY account",
            &[&accounts, &taken],
        )
        .await?;
    let held = rows
        .iter()
        .map(|r| Ok(Held { account: r.get(0), owner: r.get(1), until: from_micros(r.get(2))? }))
        .collect::<Result<_>>()?;
    Ok((leases, held))
}

/// Extends the leases still held; returns the accounts whose lease was lost.
pub(crate) async fn renew(
    tx: &Transaction<'_>,
    leases: &[Lease],
    lease_for: Duration,
) -> Result<Vec<String>> {
    let names: Vec<&str> = leases.iter().map(|l| l.account.as_str()).collect();
    let epochs: Vec<i64> = leases.iter().map(|l| l.epoch).collect();
    let owner = leases.first().map(|l| l.owner.as_str()).unwrap_or_default();
    let rows = tx
        .query(
            "UPDATE schedule s SET lease_expires_at = now() + make_interval(secs => $4)
             FROM unnest($1::text[], $2::int8[]) AS l(account, epoch)
             WHERE s.account = l.account AND s.lease_epoch = l.epoch AND s.lease_owner = $3
             RETURNING s.account",
            &[&names, &epochs, &owner, &secs(lease_for)],
        )
        .await?;
    let kept: std::collections::HashSet<String> = rows.iter().map(|r| r.get(0)).collect();
    Ok(leases.iter().filter(|l| !kept.contains(&l.account)).map(|l| l.account.clone()).collect())
}

/// Locks the account's schedule row and fails unless `lease` is still its
/// current lease. Held until the transaction ends, so no claim can slip in
/// between this check and the commit.
pub(crate) async fn check(tx: &Transaction<'_>, lease: &Lease) -> Result<()> {
    let row = tx
        .query_opt(
            "SELECT 1 FROM schedule WHERE account = $1 AND lease_owner = $2 AND lease_epoch = $3 FOR UPDATE",
            &[&lease.account, &lease.owner, &lease.epoch],
        )
        .await?;
    row.map(|_| ()).ok_or_else(|| StoreError::LeaseLost(lease.account.clone()))
}

/// Releases the lease and sets when the account is next due.
pub(crate) async fn reschedule(
    tx: &Transaction<'_>,
    lease: &Lease,
    plan: &Reschedule,
    ended: Ended,
) -> Result<()> {
    if lease.kind == LeaseKind::Manual {
        tx.execute(
            "UPDATE schedule SET lease_owner = NULL, lease_expires_at = NULL
             WHERE account = $1 AND lease_epoch = $2",
            &[&lease.account, &lease.epoch],
        )
        .await?;
        return Ok(());
    }
    let sql = match ended {
        Ended::Committed => {
            "UPDATE schedule SET next_due_at = claimed_at + make_interval(secs => $3), failures = 0,
                 lease_owner = NULL, lease_expires_at = NULL
             WHERE account = $1 AND lease_epoch = $2"
        }
        Ended::Failed => {
            "UPDATE schedule SET next_due_at = now() + make_interval(secs => $3), failures = failures + 1,
                 lease_owner = NULL, lease_expires_at = NULL
             WHERE account = $1 AND lease_epoch = $2"
        }
        Ended::Interrupted => {
            "UPDATE schedule SET next_due_at = now(), lease_owner = NULL, lease_expires_at = NULL
             WHERE account = $1 AND lease_epoch = $2 AND $3::float8 >= 0"
        }
    };
    let delay = match ended {
        Ended::Committed => secs(plan.interval),
        Ended::Failed => secs(plan.backoff),
        Ended::Interrupted => 0.0,
    };
    tx.execute(sql, &[&lease.account, &lease.epoch, &delay]).await?;
    Ok(())
}
