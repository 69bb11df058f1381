//! Each committed sync's totals (users by status, licenses), kept for the
//! history chart, and the users one sync touched.

use tokio_postgres::GenericClient;

use super::read;
use crate::codec::from_micros;
use crate::error::Result;
use crate::history::{HistoryPoint, RunEvent, decode_statuses, decode_totals, event_kind, outcome};
use crate::types::StatusCounts;

/// Schema version 4: the totals of every sync committed from then on.
pub(crate) const V4: &str = "
CREATE TABLE run_totals (
    run_id   BIGINT PRIMARY KEY,
    statuses TEXT NOT NULL,
    licenses TEXT NOT NULL
);
";

/// Records the account's totals as run `run_id` leaves them, inside the
/// commit's transaction.
pub(crate) async fn record_totals(c: &impl GenericClient, account_pk: i64, run_id: i64) -> Result<()> {
    c.execute(
        "INSERT INTO run_totals (run_id, statuses, licenses) VALUES ($2,
             (SELECT json_build_object('active', count(*) FILTER (WHERE status = 'active'),
                     'invited', count(*) FILTER (WHERE status = 'invited'),
                     'suspended', count(*) FILTER (WHERE status = 'suspended'),
                     'removed', count(*) FILTER (WHERE status NOT IN ('active', 'invited', 'suspended')))::text
              FROM users WHERE account_pk = $1),
             (SELECT coalesce(json_agg(json_build_object('name', name, 'assigned', assigned, 'total', total)
                      ORDER BY name COLLATE \"C\"), '[]')::text
              FROM licenses WHERE account_pk = $1))
         ON CONFLICT (run_id) DO UPDATE SET statuses = excluded.statuses, licenses = excluded.licenses",
        &[&account_pk, &run_id],
    )
    .await?;
    Ok(())
}

/// Users by status as the account's latest commit left them, when it kept
/// its totals.
pub(crate) async fn latest_statuses(c: &impl GenericClient, account_pk: i64) -> Result<Option<StatusCounts>> {
    let row = c
        .query_opt(
            "SELECT t.statuses FROM accounts a JOIN run_totals t ON t.run_id = a.last_good_run_id
             WHERE a.account_pk = $1",
            &[&account_pk],
        )
        .await?;
    row.map(|r| decode_statuses(r.try_get(0)?)).transpose()
}

/// The totals of the latest `limit` committed syncs of `account`, oldest first.
pub(crate) async fn points(c: &impl GenericClient, account: &str, limit: usize) -> Result<Vec<HistoryPoint>> {
    let Some(a) = read::account(c, account).await? else { return Ok(Vec::new()) };
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = c
        .query(
            "SELECT r.run_id, r.finished_at, r.outcome, t.statuses, t.licenses
             FROM sync_runs r JOIN run_totals t ON t.run_id = r.run_id
             WHERE r.account_pk = $1 ORDER BY r.run_id DESC LIMIT $2",
            &[&a.pk, &limit],
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows.iter().rev() {
        let (users, licenses) = decode_totals(r.try_get(3)?, r.try_get(4)?)?;
        out.push(HistoryPoint {
            run_id: r.try_get(0)?,
            finished_at: from_micros(r.try_get(1)?)?,
            outcome: outcome(r.try_get(2)?)?,
            users,
            licenses,
        });
    }
    Ok(out)
}

/// The users run `run_id` of `account` added, changed, removed or
/// restored (at most `limit`, by kind then email), and how many in all.
pub(crate) async fn run_events(
    c: &impl GenericClient,
    account: &str,
    run_id: i64,
    limit: usize,
) -> Result<(Vec<RunEvent>, u64)> {
    let Some(a) = read::account(c, account).await? else { return Ok((Vec::new(), 0)) };
    let total: i64 = c
        .query_one(
            "SELECT count(*) FROM user_events WHERE account_pk = $1 AND run_id = $2",
            &[&a.pk, &run_id],
        )
        .await?
        .try_get(0)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = c
        .query(
            "SELECT e.user_id, u.email, u.name, e.kind FROM user_events e
             LEFT JOIN users u ON u.account_pk = e.account_pk AND u.user_id = e.user_id
             WHERE e.account_pk = $1 AND e.run_id = $2
             ORDER BY e.kind COLLATE \"C\", lower(u.email) COLLATE \"C\", e.user_id COLLATE \"C\" LIMIT $3",
            &[&a.pk, &run_id, &limit],
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(RunEvent {
            user_id: r.try_get(0)?,
            email: r.try_get(1)?,
            name: r.try_get(2)?,
            kind: event_kind(r.try_get(3)?)?,
        });
    }
    Ok((out, u64::try_from(total).unwrap_or(0)))
}
