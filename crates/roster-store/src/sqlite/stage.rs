//! Staging a run's users as they arrive, on the writer's connection.
//!
//! Each user is compared with its current row the moment it arrives, so
//! that a commit only has to deal with what changed:
//!
//! * a user the account has never had is written once, straight into
//!   `users`, marked with the run (`pending_run`); it stays invisible until
//!   the run commits, and is deleted if the run fails;
//! * a present, unchanged user costs only its id, in `temp.seen`;
//! * anything else (changed, last visit moved, restored, removed, or a row
//!   another open run is writing) goes to `temp.staging` with its whole
//!   record, for the commit to merge.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, Statement, params};

use super::runs::open_run;
use super::schema::open_runs;
use crate::codec::{StagedBatch, StagedUser, to_u64};
use crate::error::Result;
use crate::merge::SET_CONTENT;

/// What the store holds of a user, as far as staging needs to know.
struct Current {
    hash: i64,
    last_visit_at: Option<i64>,
    present: bool,
    pending_run: Option<i64>,
}

impl Current {
    fn unchanged(&self, u: &StagedUser<'_>) -> bool {
        self.hash == u.hash
            && self.last_visit_at == u.last_visit_at
            && self.present == (u.status != "removed")
    }
}

/// The runs open now, in this process or another.
fn open_runs(conn: &Connection) -> Result<HashSet<i64>> {
    let mut stmt = conn.prepare_cached(concat!("SELECT run_id FROM ", open_runs!(), " AS open"))?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Whether the account has no users at all, so that a run can write its
/// users as new without looking each one up first.
pub(crate) fn account_is_empty(conn: &Connection, run_id: i64) -> Result<bool> {
    let empty = conn
        .prepare_cached(
            "SELECT NOT EXISTS (SELECT 1 FROM users
                 WHERE account_pk = (SELECT account_pk FROM sync_runs WHERE run_id = ?1))",
        )?
        .query_row([run_id], |r| r.get(0))?;
    Ok(empty)
}

/// Adds a batch of users to a run; a repeated id replaces the earlier record.
///
/// `fresh` is a hint that the account had no users when the run began: each
/// user is then written as new at once, and only a conflict with a row the
/// run did not write (which clears the hint) leads to the full comparison.
/// A wrong hint costs time, never correctness.
pub(crate) fn stage(
    conn: &Connection,
    run_id: i64,
    batch: &StagedBatch,
    now: i64,
    fresh: &mut bool,
) -> Result<()> {
    let account_pk = open_run(conn, run_id)?;
    let mut open = if *fresh { HashSet::new() } else { open_runs(conn)? };
    let mut lookup = conn.prepare_cached(
        "SELECT hash, last_visit_at, removed_at IS NULL, pending_run FROM users
         WHERE account_pk = ?1 AND user_id = ?2",
    )?;
    // A new user, or a repeat of one this run wrote as new; a row of anyone
    // else is left alone (no change counted).
    let mut write_new = conn.prepare_cached(&format!(
        "INSERT INTO users (account_pk, user_id, email, name, status, last_visit_at, roles,
             license_types, attributes, hash, first_seen_at, removed_at, pending_run)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, CASE WHEN ?5 = 'removed' THEN ?11 END, ?12)
         ON CONFLICT (account_pk, user_id) DO UPDATE SET
             {SET_CONTENT},
             removed_at = CASE WHEN excluded.status = 'removed'
                 THEN coalesce(users.removed_at, excluded.removed_at) END
         WHERE users.pending_run = excluded.pending_run"
    ))?;
    // The same row for a run that expects no rows: one B-tree seek instead
    // of an upsert's two; a row already there is left alone and looked up.
    let mut insert_new = conn.prepare_cached(
        "INSERT OR IGNORE INTO users (account_pk, user_id, email, name, status, last_visit_at, roles,
             license_types, attributes, hash, first_seen_at, removed_at, pending_run)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, CASE WHEN ?5 = 'removed' THEN ?11 END, ?12)",
    )?;
    // Bound with the same parameters as `write_new`; the account (?1) and
    // the time (?11) are not needed here.
    let mut stage_row = conn.prepare_cached(
        "INSERT OR REPLACE INTO temp.staging (run_id, user_id, email, name, status, last_visit_at,
             roles, license_types, attributes, hash)
         VALUES (?12, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut mark_seen =
        conn.prepare_cached("INSERT OR IGNORE INTO temp.seen (run_id, user_id) VALUES (?1, ?2)")?;
    let mut unstage = conn.prepare_cached("DELETE FROM temp.staging WHERE run_id = ?1 AND user_id = ?2")?;
    // What is the same for the whole batch is bound once: rusqlite copies
    // every value it binds.
    if *fresh {
        insert_new.raw_bind_parameter(1, account_pk)?;
        insert_new.raw_bind_parameter(11, now)?;
        insert_new.raw_bind_parameter(12, run_id)?;
    }
    let mut any_staged: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM temp.staging WHERE run_id = ?1)")?
        .query_row([run_id], |r| r.get(0))?;

    for u in batch.users() {
        let record = params![
            account_pk,
            u.id,
            u.email,
            u.name,
            u.status,
            u.last_visit_at,
            u.roles,
            u.license_types,
            u.attributes,
            u.hash,
            now,
            run_id
        ];
        if *fresh && insert_fresh(&mut insert_new, &u)? == 1 {
            continue;
        }
        let current = lookup
            .query_row(params![account_pk, u.id], |r| {
                Ok(Current {
                    hash: r.get(0)?,
                    last_visit_at: r.get(1)?,
                    present: r.get(2)?,
                    pending_run: r.get(3)?,
                })
            })
            .optional()?;
        if *fresh && current.as_ref().is_some_and(|c| c.pending_run != Some(run_id)) {
            // Someone else's row: compare from now on.
            *fresh = false;
            open.extend(open_runs(conn)?);
        }
        match current {
            None => {
                write_new.execute(record)?;
            }
            Some(c) if c.pending_run == Some(run_id) => {
                write_new.execute(record)?;
            }
            Some(c) if !c.pending_run.is_some_and(|p| open.contains(&p)) && c.unchanged(&u) => {
                if any_staged {
                    // A repeat of a user staged earlier in the run: the last record wins.
                    unstage.execute(params![run_id, u.id])?;
                }
                mark_seen.execute(params![run_id, u.id])?;
            }
            Some(_) => {
                stage_row.execute(record)?;
                any_staged = true;
            }
        }
    }
    Ok(())
}

/// Runs `insert_new` for `u`, whose account, time and run are bound.
fn insert_fresh(insert_new: &mut Statement<'_>, u: &StagedUser<'_>) -> Result<usize> {
    insert_new.raw_bind_parameter(2, u.id)?;
    insert_new.raw_bind_parameter(3, u.email)?;
    insert_new.raw_bind_parameter(4, u.name)?;
    insert_new.raw_bind_parameter(5, u.status)?;
    insert_new.raw_bind_parameter(6, u.last_visit_at)?;
    insert_new.raw_bind_parameter(7, u.roles)?;
    insert_new.raw_bind_parameter(8, u.license_types)?;
    insert_new.raw_bind_parameter(9, u.attributes)?;
    insert_new.raw_bind_parameter(10, u.hash)?;
    Ok(insert_new.raw_execute()?)
}

/// Users that are present, unchanged and not also staged.
pub(crate) fn unchanged_count(conn: &Connection, run_id: i64) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM temp.seen x
             WHERE x.run_id = ?1
               AND NOT EXISTS (SELECT 1 FROM temp.staging s WHERE s.run_id = ?1 AND s.user_id = x.user_id)",
        )?
        .query_row([run_id], |r| r.get(0))?;
    Ok(to_u64(n))
}

fn staged_counts(conn: &Connection, run_id: i64) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM temp.staging WHERE run_id = ?1)
                  + (SELECT count(*) FROM temp.seen WHERE run_id = ?1)",
        )?
        .query_row([run_id], |r| r.get(0))?;
    Ok(to_u64(n))
}

/// Deletes everything the run staged, its new users included; returns how
/// many users it had seen. Call inside the transaction that closes the run.
pub(crate) fn discard_staged(conn: &Connection, account_pk: i64, run_id: i64) -> Result<u64> {
    let seen = staged_counts(conn, run_id)?;
    let new = conn
        .prepare_cached("DELETE FROM users WHERE account_pk = ?1 AND pending_run = ?2")?
        .execute(params![account_pk, run_id])?;
    drop_staging(conn, run_id)?;
    Ok(seen + new as u64)
}

/// Deletes the staging rows of a run.
pub(crate) fn drop_staging(conn: &Connection, run_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM temp.staging WHERE run_id = ?1")?.execute([run_id])?;
    conn.prepare_cached("DELETE FROM temp.seen WHERE run_id = ?1")?.execute([run_id])?;
    Ok(())
}
