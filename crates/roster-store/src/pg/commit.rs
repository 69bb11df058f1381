//! Committing a run on Postgres: the same set-based merge as SQLite's, in
//! one transaction that first locks the account row, so that two commits of
//! one account never interleave.

use tokio_postgres::Transaction;

use crate::codec::{encode_map, to_i64, to_u64};
use crate::error::{Result, StoreError};
use crate::guardrail::degraded_reason;
use crate::merge::{EVENT_KIND, Merge, SET_CONTENT};
use crate::types::{CommitSummary, Outcome, SyncFinish};

use super::runs::open_run;

async fn merge_counts(tx: &Transaction<'_>, run_id: i64, account_pk: i64) -> Result<Merge> {
    let row = tx
        .query_one(
            &format!(
                "SELECT count(*),
                     count(*) FILTER (WHERE u.user_id IS NOT NULL AND u.removed_at IS NULL),
                     count(*) FILTER (WHERE kind = 'added'),
                     count(*) FILTER (WHERE kind = 'changed'),
                     count(*) FILTER (WHERE kind = 'removed'),
                     count(*) FILTER (WHERE kind = 'restored'),
                     count(*) FILTER (WHERE kind IS NULL
                         AND u.last_visit_at IS DISTINCT FROM s.last_visit_at)
                 FROM staged_users s
                 LEFT JOIN users u ON u.account_pk = $2 AND u.user_id = s.user_id,
                 LATERAL (SELECT {EVENT_KIND} AS kind) k
                 WHERE s.run_id = $1"
            ),
            &[&run_id, &account_pk],
        )
        .await?;
    let n = |i: usize| to_u64(row.get::<_, i64>(i));
    Ok(Merge {
        seen: n(0),
        seen_present: n(1),
        added: n(2),
        changed: n(3),
        removed: n(4),
        restored: n(5),
        visits: n(6),
    })
}

/// Merges the run's staged users into the account, marks absent users
/// removed unless the run is degraded, and stores licenses, record, state
/// and the run row.
pub(crate) async fn finish(
    tx: &Transaction<'_>,
    run_id: i64,
    finish: &SyncFinish,
    now: i64,
) -> Result<CommitSummary> {
    let account_pk = open_run(tx, run_id).await?;
    tx.execute("SELECT 1 FROM accounts WHERE account_pk = $1 FOR UPDATE", &[&account_pk]).await?;
    let present: i64 = tx
        .query_one("SELECT count(*) FROM users WHERE account_pk = $1 AND removed_at IS NULL", &[&account_pk])
        .await?
        .get(0);
    let present = to_u64(present);
    let merge = merge_counts(tx, run_id, account_pk).await?;
    let absent = present.saturating_sub(merge.seen_present);
    let reason = degraded_reason(merge.seen, present, absent, finish.skipped, &finish.policy);
    let outcome = if reason.is_some() { Outcome::Degraded } else { Outcome::Ok };

    if merge.events() > 0 {
        tx.execute(
            &format!(
                "INSERT INTO user_events (account_pk, user_id, run_id, kind, at)
                 SELECT $1::int8, user_id, $2::int8, kind, $3::int8 FROM (
                     SELECT s.user_id, {EVENT_KIND} AS kind
                     FROM staged_users s
                     LEFT JOIN users u ON u.account_pk = $1 AND u.user_id = s.user_id
                     WHERE s.run_id = $2) e
                 WHERE kind IS NOT NULL"
            ),
            &[&account_pk, &run_id, &now],
        )
        .await?;
    }
    if merge.events() + merge.visits > 0 {
        tx.execute(
            &format!(
                "INSERT INTO users AS cur (account_pk, user_id, email, name, status, last_visit_at,
                 roles, license_types, attributes, hash, first_seen_at, removed_at)
             SELECT $1::int8, s.user_id, s.email, s.name, s.status, s.last_visit_at, s.roles,
                 s.license_types, s.attributes, s.hash, $2::int8,
                 CASE WHEN s.status = 'removed' THEN $2::int8 END
             FROM staged_users s WHERE s.run_id = $3::int8
             ON CONFLICT (account_pk, user_id) DO UPDATE SET
                 {SET_CONTENT},
                 removed_at = CASE WHEN excluded.status = 'removed'
                     THEN coalesce(cur.removed_at, excluded.removed_at) END
             WHERE cur.hash <> excluded.hash
                OR cur.last_visit_at IS DISTINCT FROM excluded.last_visit_at
                OR (cur.removed_at IS NULL) <> (excluded.status <> 'removed')"
            ),
            &[&account_pk, &now, &run_id],
        )
        .await?;
    }

    let mut removed = merge.removed;
    if outcome == Outcome::Ok && absent > 0 {
        tx.execute(
            "INSERT INTO user_events (account_pk, user_id, run_id, kind, at)
             SELECT u.account_pk, u.user_id, $2::int8, 'removed', $3::int8 FROM users u
             WHERE u.account_pk = $1 AND u.removed_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM staged_users s WHERE s.run_id = $2 AND s.user_id = u.user_id)",
            &[&account_pk, &run_id, &now],
        )
        .await?;
        let n = tx
            .execute(
                "UPDATE users u SET status = 'removed', removed_at = $3::int8
                 WHERE u.account_pk = $1::int8 AND u.removed_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM staged_users s WHERE s.run_id = $2 AND s.user_id = u.user_id)",
                &[&account_pk, &run_id, &now],
            )
            .await?;
        removed += n;
    }
    tx.execute("DELETE FROM staged_users WHERE run_id = $1", &[&run_id]).await?;

    tx.execute("DELETE FROM licenses WHERE account_pk = $1", &[&account_pk]).await?;
    for l in dedup_licenses(finish) {
        tx.execute(
            "INSERT INTO licenses (account_pk, name, assigned, total) VALUES ($1, $2, $3, $4)",
            &[&account_pk, &l.name, &to_i64(l.assigned), &l.total.map(to_i64)],
        )
        .await?;
    }
    let state = finish
        .state
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Invalid(format!("the connector state is not valid json: {e}")))?;
    tx.execute(
        "UPDATE accounts SET state = $2, last_good_run_id = $3 WHERE account_pk = $1",
        &[&account_pk, &state, &run_id],
    )
    .await?;
    if let Some(rec) = &finish.account {
        tx.execute(
            "UPDATE accounts SET tenant_id = $2, tenant_name = $3, plan = $4, record_attributes = $5
             WHERE account_pk = $1",
            &[&account_pk, &rec.tenant_id, &rec.name, &rec.plan, &encode_map(&rec.attributes)?],
        )
        .await?;
    }
    let notes = if finish.notes.is_empty() { None } else { Some(serde_json::to_string(&finish.notes)?) };
    tx.execute(
        "UPDATE sync_runs SET finished_at = $2, outcome = $3, seen = $4, added = $5, changed = $6,
             removed = $7, restored = $8, skipped = $9, notes = $10, degraded_reason = $11
         WHERE run_id = $1 AND outcome IS NULL",
        &[
            &run_id,
            &now,
            &outcome.as_str(),
            &to_i64(merge.seen),
            &to_i64(merge.added),
            &to_i64(merge.changed),
            &to_i64(removed),
            &to_i64(merge.restored),
            &to_i64(finish.skipped),
            &notes,
            &reason,
        ],
    )
    .await?;
    super::history::record_totals(tx, account_pk, run_id).await?;
    Ok(merge.summary(run_id, outcome, reason, removed))
}

/// License types by name, the last of a repeated name winning, as in SQLite.
fn dedup_licenses(finish: &SyncFinish) -> Vec<&roster_core::LicenseType> {
    let mut out: Vec<&roster_core::LicenseType> = Vec::new();
    for l in &finish.licenses {
        out.retain(|o| o.name != l.name);
        out.push(l);
    }
    out
}
