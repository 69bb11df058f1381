//! Each committed sync's totals (users by status, licenses), kept for the
//! history chart, and the users one sync touched.

use rusqlite::{Connection, OptionalExtension, params};

use super::read;
use super::schema::VISIBLE_U;
use crate::codec::from_micros;
use crate::error::Result;
use crate::history::{HistoryPoint, RunEvent, decode_statuses, decode_totals, event_kind, outcome};
use crate::types::StatusCounts;

/// Schema version 4: the totals of every sync committed from then on.
pub(crate) const V4: &str = "
CREATE TABLE run_totals (
    run_id   INTEGER PRIMARY KEY,
    statuses TEXT NOT NULL,
    licenses TEXT NOT NULL
);
";

/// Records the account's totals as run `run_id` leaves them. Called by the
/// commit, inside its transaction, once the run is closed (so its own new
/// users are visible). The statuses are counted in one pass: a `GROUP BY`
/// sorted the account's users in memory (a first sync of 200,000 peaked at
/// 25.1 to 27.2 MiB with it, 22.2 to 23.3 MiB without).
pub(crate) fn record_totals(conn: &Connection, account_pk: i64, run_id: i64) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO run_totals (run_id, statuses, licenses) VALUES (?2,
             (SELECT json_object('active', count(*) FILTER (WHERE u.status = 'active'),
                     'invited', count(*) FILTER (WHERE u.status = 'invited'),
                     'suspended', count(*) FILTER (WHERE u.status = 'suspended'),
                     'removed', count(*) FILTER (WHERE u.status NOT IN ('active', 'invited', 'suspended')))
              FROM users u WHERE u.account_pk = ?1 AND {VISIBLE_U}),
             (SELECT json_group_array(json_object('name', name, 'assigned', assigned, 'total', total))
              FROM (SELECT name, assigned, total FROM licenses WHERE account_pk = ?1 ORDER BY name)))"
    ))?
    .execute(params![account_pk, run_id])?;
    Ok(())
}

/// Users by status as the account's latest commit left them, when it kept
/// its totals.
pub(crate) fn latest_statuses(conn: &Connection, account_pk: i64) -> Result<Option<StatusCounts>> {
    let text: Option<String> = conn
        .prepare_cached(
            "SELECT t.statuses FROM accounts a JOIN run_totals t ON t.run_id = a.last_good_run_id
             WHERE a.account_pk = ?1",
        )?
        .query_row([account_pk], |r| r.get(0))
        .optional()?;
    text.map(|t| decode_statuses(&t)).transpose()
}

/// The totals of the latest `limit` committed syncs of `account`, oldest first.
pub(crate) fn points(conn: &Connection, account: &str, limit: usize) -> Result<Vec<HistoryPoint>> {
    let Some(a) = read::account(conn, account)? else { return Ok(Vec::new()) };
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(
        "SELECT r.run_id, r.finished_at, r.outcome, t.statuses, t.licenses
         FROM sync_runs r JOIN run_totals t ON t.run_id = r.run_id
         WHERE r.account_pk = ?1 ORDER BY r.run_id DESC LIMIT ?2",
    )?;
    let mut rows = stmt.query(params![a.pk, limit])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let statuses: String = r.get(3)?;
        let licenses: String = r.get(4)?;
        let (users, licenses) = decode_totals(&statuses, &licenses)?;
        let text: String = r.get(2)?;
        out.push(HistoryPoint {
            run_id: r.get(0)?,
            finished_at: from_micros(r.get(1)?)?,
            outcome: outcome(&text)?,
            users,
            licenses,
        });
    }
    out.reverse();
    Ok(out)
}

/// The users run `run_id` of `account` added, changed, removed or
/// restored (at most `limit`, by kind then email), and how many in all.
pub(crate) fn run_events(
    conn: &Connection,
    account: &str,
    run_id: i64,
    limit: usize,
) -> Result<(Vec<RunEvent>, u64)> {
    let Some(a) = read::account(conn, account)? else { return Ok((Vec::new(), 0)) };
    // A user's addition is its row's `pending_run`; stores from before that
    // kept it as an event (see `read::user_events`).
    let touched = format!(
        "SELECT e.user_id, e.kind FROM user_events e WHERE e.account_pk = ?1 AND e.run_id = ?2
         UNION ALL
         SELECT u.user_id, 'added' FROM users u
         WHERE u.account_pk = ?1 AND u.pending_run = ?2 AND {VISIBLE_U}"
    );
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM ({touched})"))?
        .query_row(params![a.pk, run_id], |r| r.get(0))?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT t.user_id, u.email, u.name, t.kind FROM ({touched}) t
         LEFT JOIN users u ON u.account_pk = ?1 AND u.user_id = t.user_id
         ORDER BY t.kind, u.email COLLATE NOCASE, t.user_id LIMIT ?3"
    ))?;
    let mut rows = stmt.query(params![a.pk, run_id, limit])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(3)?;
        out.push(RunEvent {
            user_id: r.get(0)?,
            email: r.get(1)?,
            name: r.get(2)?,
            kind: event_kind(&kind)?,
        });
    }
    Ok((out, u64::try_from(total).unwrap_or(0)))
}
