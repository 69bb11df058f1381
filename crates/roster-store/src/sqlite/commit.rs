//! Committing a run: merging its staged users into the current state with
//! set-based SQL, inside the writer's transaction.
//!
//! Only changes are written: a user whose content hash and last visit are
//! unchanged costs no write at all, and every add, change, removal and
//! restoration is recorded once in `user_events`.

use rusqlite::{Connection, params};

use super::runs::{discard_staged, open_run};
use super::schema::staging_table;
use crate::codec::{encode_map, to_i64, to_u64};
use crate::error::{Result, StoreError};
use crate::guardrail::degraded_reason;
use crate::merge::{EVENT_KIND, Merge};
use crate::types::{CommitSummary, Outcome, SyncFinish};

fn merge_counts(conn: &Connection, staging: &str, account_pk: i64) -> Result<Merge> {
    // One row per staged user, counted here: in SQL each count would
    // evaluate the CASE again.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_KIND},
                u.user_id IS NOT NULL AND u.removed_at IS NULL,
                u.last_visit_at IS NOT s.last_visit_at
         FROM {staging} s
         LEFT JOIN users u ON u.account_pk = ?1 AND u.user_id = s.user_id"
    ))?;
    let mut rows = stmt.query([account_pk])?;
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

/// Merges the run's staged users, marks absent users removed unless the run
/// is degraded, and stores licenses, account record, state and the run row.
pub(crate) fn finish(conn: &Connection, run_id: i64, finish: &SyncFinish, now: i64) -> Result<CommitSummary> {
    let account_pk = open_run(conn, run_id)?;
    let staging = staging_table(run_id);
    let present: i64 = conn
        .prepare_cached("SELECT count(*) FROM users WHERE account_pk = ?1 AND removed_at IS NULL")?
        .query_row([account_pk], |r| r.get(0))?;
    let present = to_u64(present);
    let merge = merge_counts(conn, &staging, account_pk)?;
    let absent = present.saturating_sub(merge.seen_present);
    let reason = degraded_reason(merge.seen, present, absent, finish.skipped, &finish.policy);
    let outcome = if reason.is_some() { Outcome::Degraded } else { Outcome::Ok };

    if merge.events() > 0 {
        conn.execute(
            &format!(
                "INSERT INTO user_events (account_pk, user_id, run_id, kind, at)
                 SELECT ?1, user_id, ?2, kind, ?3 FROM (
                     SELECT s.user_id, {EVENT_KIND} AS kind
                     FROM {staging} s
                     LEFT JOIN users u ON u.account_pk = ?1 AND u.user_id = s.user_id)
                 WHERE kind IS NOT NULL"
            ),
            params![account_pk, run_id, now],
        )?;
    }
    if merge.events() + merge.visits > 0 {
        conn.execute(
            &format!(
                "INSERT INTO users (account_pk, user_id, email, name, status, last_visit_at,
                     roles, license_types, attributes, hash, first_seen_at, removed_at)
                 SELECT ?1, s.user_id, s.email, s.name, s.status, s.last_visit_at, s.roles,
                     s.license_types, s.attributes, s.hash, ?2,
                     CASE WHEN s.status = 'removed' THEN ?2 END
                 FROM {staging} s WHERE true
                 ON CONFLICT (account_pk, user_id) DO UPDATE SET
                     email = excluded.email,
                     name = excluded.name,
                     status = excluded.status,
                     last_visit_at = excluded.last_visit_at,
                     roles = excluded.roles,
                     license_types = excluded.license_types,
                     attributes = excluded.attributes,
                     hash = excluded.hash,
                     removed_at = CASE WHEN excluded.status = 'removed'
                         THEN coalesce(users.removed_at, excluded.removed_at) END
                 WHERE users.hash <> excluded.hash
                    OR users.last_visit_at IS NOT excluded.last_visit_at
                    OR (users.removed_at IS NULL) <> (excluded.status <> 'removed')"
            ),
            params![account_pk, now],
        )?;
    }

    let mut removed = merge.removed;
    if outcome == Outcome::Ok && absent > 0 {
        let not_staged = format!(
            "FROM users u WHERE u.account_pk = ?1 AND u.removed_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM {staging} s WHERE s.user_id = u.user_id)"
        );
        conn.execute(
            &format!(
                "INSERT INTO user_events (account_pk, user_id, run_id, kind, at)
                 SELECT u.account_pk, u.user_id, ?2, 'removed', ?3 {not_staged}"
            ),
            params![account_pk, run_id, now],
        )?;
        let n = conn.execute(
            &format!(
                "UPDATE users SET status = 'removed', removed_at = ?2
                 WHERE account_pk = ?1 AND removed_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM {staging} s WHERE s.user_id = users.user_id)"
            ),
            params![account_pk, now],
        )?;
        removed += n as u64;
    }
    discard_staged(conn, run_id)?;

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

    Ok(CommitSummary {
        run_id,
        outcome,
        degraded_reason: reason,
        seen: merge.seen,
        added: merge.added,
        changed: merge.changed,
        removed,
        restored: merge.restored,
    })
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
