//! Committing a run: merging its staged users into the current state with
//! set-based SQL, inside the writer's transaction.
//!
//! Only changes are written: users new to the account were already written
//! by staging, and closing the run makes them visible; a user whose content
//! hash and last visit are unchanged costs no write at all. Every change,
//! removal and restoration is recorded once in `user_events`; an addition is
//! the user's `pending_run` and `first_seen_at` (see `read::user_events`).

use rusqlite::{Connection, params};

use super::runs::open_run;
use super::schema::{OPEN_RUNS, VISIBLE_U, open_runs};
use super::stage::{drop_staging, unchanged_count};
use crate::codec::{encode_map, to_i64, to_u64};
use crate::error::{Result, StoreError};
use crate::guardrail::degraded_reason;
use crate::merge::{EVENT_KIND, Merge, SET_CONTENT};
use crate::types::{CommitSummary, Outcome, SyncFinish};

/// Staged users of run `?2` joined to their visible rows in account `?1`.
const STAGED_JOIN: &str = "FROM temp.staging s
     LEFT JOIN users u ON u.account_pk = ?1 AND u.user_id = s.user_id";

fn merge_counts(conn: &Connection, account_pk: i64, run_id: i64) -> Result<Merge> {
    // One row per staged user, counted here: in SQL each count would
    // evaluate the CASE again.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_KIND},
                u.user_id IS NOT NULL AND u.removed_at IS NULL,
                u.last_visit_at IS NOT s.last_visit_at
         {STAGED_JOIN} AND {VISIBLE_U}
         WHERE s.run_id = ?2"
    ))?;
    let mut rows = stmt.query(params![account_pk, run_id])?;
    let mut m = Merge::default();
    while let Some(r) = rows.next()? {
        m.seen += 1;
        let kind: Option<String> = r.get(0)?;
        let present: bool = r.get(1)?;
        let visit: bool = r.get(2)?;
        m.seen_present += u64::from(present);
        match kind.as_deref() {
            Some("added") => m.added += 1,
            Some("changed") => m.changed += 1,
            Some("removed") => m.removed += 1,
            Some(_) => m.restored += 1,
            None => m.visits += u64::from(visit),
        }
    }
    Ok(m)
}

/// Before this run takes over rows that another open run of the account
/// wrote as new, tells that run (when it is on this connection) that it saw
/// them, so that its own commit neither loses nor removes them.
fn note_claims(conn: &Connection, account_pk: i64, run_id: i64) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO temp.seen (run_id, user_id)
         SELECT u.pending_run, s.user_id
         FROM temp.staging s
         JOIN users u ON u.account_pk = ?1 AND u.user_id = s.user_id
         WHERE s.run_id = ?2 AND u.pending_run <> ?2 AND u.pending_run IN {OPEN_RUNS}"
    ))?
    .execute(params![account_pk, run_id])?;
    Ok(())
}

/// Merges the run's staged users, marks absent users removed unless the run
/// is degraded, and stores licenses, account record, state and the run row.
/// In one pass over the account's users: how many were present before the
/// run (its own new users are still invisible, so they do not count), and
/// how many the run wrote as new. A row of this run is decided by its first
/// test, without looking at the other open runs.
fn present_and_new(conn: &Connection, account_pk: i64, run_id: i64) -> Result<(u64, u64)> {
    let (present, new): (i64, i64) = conn
        .prepare_cached(concat!(
            "SELECT count(*) FILTER (WHERE pending_run IS NOT ?2 AND removed_at IS NULL
                     AND (pending_run IS NULL OR pending_run NOT IN ",
            open_runs!(),
            ")),
                 count(*) FILTER (WHERE pending_run = ?2)
             FROM users WHERE account_pk = ?1"
        ))?
        .query_row(params![account_pk, run_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((to_u64(present), to_u64(new)))
}

pub(crate) fn finish(conn: &Connection, run_id: i64, finish: &SyncFinish, now: i64) -> Result<CommitSummary> {
    let account_pk = open_run(conn, run_id)?;
    let (present, new_users) = present_and_new(conn, account_pk, run_id)?;
    let mut merge = merge_counts(conn, account_pk, run_id)?;
    let unchanged = unchanged_count(conn, run_id)?;
    merge.seen += unchanged + new_users;
    merge.seen_present += unchanged;
    let absent = present.saturating_sub(merge.seen_present);

    if merge.events() > merge.added {
        conn.prepare_cached(&format!(
            "INSERT INTO user_events (account_pk, user_id, run_id, kind, at)
             SELECT ?1, user_id, ?2, kind, ?3 FROM (
                 SELECT s.user_id, {EVENT_KIND} AS kind
                 {STAGED_JOIN} AND {VISIBLE_U}
                 WHERE s.run_id = ?2)
             WHERE kind IS NOT NULL AND kind <> 'added'"
        ))?
        .execute(params![account_pk, run_id, now])?;
    }
    if merge.events() + merge.visits > 0 {
        note_claims(conn, account_pk, run_id)?;
        // New users get this run as `pending_run`: that is their `added` event.
        conn.prepare_cached(&format!(
            "INSERT INTO users (account_pk, user_id, email, name, status, last_visit_at,
                 roles, license_types, attributes, hash, first_seen_at, removed_at, pending_run)
             SELECT ?1, s.user_id, s.email, s.name, s.status, s.last_visit_at, s.roles,
                 s.license_types, s.attributes, s.hash, ?2,
                 CASE WHEN s.status = 'removed' THEN ?2 END, ?3
             FROM temp.staging s WHERE s.run_id = ?3
             ON CONFLICT (account_pk, user_id) DO UPDATE SET
                 {SET_CONTENT},
                 removed_at = CASE WHEN excluded.status = 'removed'
                     THEN coalesce(users.removed_at, excluded.removed_at) END,
                 pending_run = CASE
                     WHEN users.pending_run IN {OPEN_RUNS}
                     THEN excluded.pending_run ELSE users.pending_run END
             WHERE users.hash <> excluded.hash
                OR users.last_visit_at IS NOT excluded.last_visit_at
                OR (users.removed_at IS NULL) <> (excluded.status <> 'removed')
                OR users.pending_run IN {OPEN_RUNS}"
        ))?
        .execute(params![account_pk, now, run_id])?;
    }
    merge.added += new_users;
    let reason = degraded_reason(merge.seen, present, absent, finish.skipped, &finish.policy);
    let outcome = if reason.is_some() { Outcome::Degraded } else { Outcome::Ok };

    let mut removed = merge.removed;
    if outcome == Outcome::Ok && absent > 0 {
        let not_seen = format!(
            "u.account_pk = ?1 AND u.removed_at IS NULL AND {VISIBLE_U}
               AND NOT EXISTS (SELECT 1 FROM temp.staging s WHERE s.run_id = ?2 AND s.user_id = u.user_id)
               AND NOT EXISTS (SELECT 1 FROM temp.seen x WHERE x.run_id = ?2 AND x.user_id = u.user_id)"
        );
        conn.prepare_cached(&format!(
            "INSERT INTO user_events (account_pk, user_id, run_id, kind, at)
             SELECT u.account_pk, u.user_id, ?2, 'removed', ?3 FROM users u WHERE {not_seen}"
        ))?
        .execute(params![account_pk, run_id, now])?;
        let n = conn
            .prepare_cached(&format!(
                "UPDATE users AS u SET status = 'removed', removed_at = ?3 WHERE {not_seen}"
            ))?
            .execute(params![account_pk, run_id, now])?;
        removed += n as u64;
    }
    drop_staging(conn, run_id)?;

    store_licenses(conn, account_pk, finish)?;
    store_account(conn, account_pk, run_id, finish)?;

    let notes = if finish.notes.is_empty() { None } else { Some(serde_json::to_string(&finish.notes)?) };
    conn.prepare_cached(
        "UPDATE sync_runs SET finished_at = ?2, outcome = ?3, seen = ?4, added = ?5,
             changed = ?6, removed = ?7, restored = ?8, skipped = ?9, notes = ?10,
             degraded_reason = ?11
         WHERE run_id = ?1 AND outcome IS NULL",
    )?
    .execute(params![
        run_id,
        now,
        outcome.as_str(),
        to_i64(merge.seen),
        to_i64(merge.added),
        to_i64(merge.changed),
        to_i64(removed),
        to_i64(merge.restored),
        to_i64(finish.skipped),
        notes,
        reason,
    ])?;
    super::history::record_totals(conn, account_pk, run_id)?;

    Ok(merge.summary(run_id, outcome, reason, removed))
}

/// Replaces the account's license types; a repeated name keeps the last.
fn store_licenses(conn: &Connection, account_pk: i64, finish: &SyncFinish) -> Result<()> {
    conn.prepare_cached("DELETE FROM licenses WHERE account_pk = ?1")?.execute([account_pk])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO licenses (account_pk, name, assigned, total) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (account_pk, name) DO UPDATE SET
             assigned = excluded.assigned, total = excluded.total",
    )?;
    for l in &finish.licenses {
        stmt.execute(params![account_pk, l.name, to_i64(l.assigned), l.total.map(to_i64)])?;
    }
    Ok(())
}

/// Stores the connector state, the last good run and, when given, the
/// tenant record.
fn store_account(conn: &Connection, account_pk: i64, run_id: i64, f: &SyncFinish) -> Result<()> {
    let state = f
        .state
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Invalid(format!("the connector state is not valid json: {e}")))?;
    conn.prepare_cached("UPDATE accounts SET state = ?2, last_good_run_id = ?3 WHERE account_pk = ?1")?
        .execute(params![account_pk, state, run_id])?;
    if let Some(rec) = &f.account {
        conn.prepare_cached(
            "UPDATE accounts SET tenant_id = ?2, tenant_name = ?3, plan = ?4,
                 record_attributes = ?5
             WHERE account_pk = ?1",
        )?
        .execute(params![
            account_pk,
            rec.tenant_id,
            rec.name,
            rec.plan,
            encode_map(&rec.attributes)?
        ])?;
    }
    Ok(())
}
