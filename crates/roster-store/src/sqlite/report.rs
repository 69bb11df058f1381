//! The numbers of one account at a moment.

use chrono::{DateTime, TimeDelta, Utc};
use roster_core::LicenseType;
use rusqlite::{Connection, params};

use super::read;
use super::schema::VISIBLE_U;
use crate::codec::{to_micros, to_u64};
use crate::error::{Result, StoreError};
use crate::rows::RoleCounts;
use crate::types::{AccountReport, InactiveCounts, LastSync};

/// `now` minus `days`, in microseconds; far past when out of range.
fn cutoff(now: &DateTime<Utc>, days: u32) -> i64 {
    TimeDelta::try_days(i64::from(days))
        .and_then(|d| now.checked_sub_signed(d))
        .map_or(i64::MIN, |t| to_micros(&t))
}

pub(crate) fn report(
    conn: &Connection,
    account: &str,
    now: DateTime<Utc>,
    inactive_days: u32,
) -> Result<AccountReport> {
    let a = read::account(conn, account)?.ok_or_else(|| StoreError::UnknownAccount(account.to_owned()))?;

    let (active_30, active_90, inactive, never): (i64, i64, i64, i64) = conn
        .prepare_cached(&format!(
            "SELECT coalesce(sum(last_visit_at >= ?2), 0),
                    coalesce(sum(last_visit_at >= ?3), 0),
                    coalesce(sum(last_visit_at IS NULL OR last_visit_at < ?4), 0),
                    coalesce(sum(last_visit_at IS NULL), 0)
             FROM users u WHERE u.account_pk = ?1 AND u.removed_at IS NULL AND {VISIBLE_U}"
        ))?
        .query_row(params![a.pk, cutoff(&now, 30), cutoff(&now, 90), cutoff(&now, inactive_days)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;

    // Users grouped by their roles' canonical text: an account has few
    // distinct role sets, so only those are parsed.
    let mut roles = RoleCounts::default();
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT u.roles, count(*) FROM users u
             WHERE u.account_pk = ?1 AND u.removed_at IS NULL AND {VISIBLE_U}
             GROUP BY u.roles"
        ))?;
        let mut rows = stmt.query([a.pk])?;
        while let Some(r) = rows.next()? {
            let text: String = r.get(0)?;
            roles.add(&text, to_u64(r.get(1)?))?;
        }
    }

    let mut licenses = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT name, assigned, total FROM licenses WHERE account_pk = ?1 ORDER BY name",
        )?;
        let mut rows = stmt.query([a.pk])?;
        while let Some(r) = rows.next()? {
            let total: Option<i64> = r.get(2)?;
            licenses.push(LicenseType {
                name: r.get(0)?,
                assigned: to_u64(r.get(1)?),
                total: total.map(to_u64),
            });
        }
    }

    let last_good = match a.last_good_run_id {
        Some(id) => read::run(conn, id)?,
        None => None,
    };
    let last_sync = read::last_run(conn, a.pk)?.map(|r| LastSync::of(r, now));

    Ok(AccountReport {
        users: read::status_counts(conn, a.pk)?,
        account: a.account,
        connector: a.connector,
        now,
        active_last_30_days: to_u64(active_30),
        active_last_90_days: to_u64(active_90),
        inactive: InactiveCounts {
            days: inactive_days,
            count: to_u64(inactive),
            never_visited: to_u64(never),
        },
        removed_since_previous_sync: last_good.as_ref().map_or(0, |r| r.removed),
        roles: roles.into_map(),
        licenses,
        last_sync,
        last_good_at: last_good.and_then(|r| r.finished_at),
        record: a.record,
    })
}
