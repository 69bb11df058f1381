//! The numbers of one account at a moment, on Postgres.

use chrono::{DateTime, TimeDelta, Utc};
use roster_core::LicenseType;
use tokio_postgres::GenericClient;

use crate::codec::{to_micros, to_u64};
use crate::error::{Result, StoreError};
use crate::rows::RoleCounts;
use crate::types::{AccountReport, InactiveCounts, LastSync};

use super::read;

fn cutoff(now: &DateTime<Utc>, days: u32) -> i64 {
    TimeDelta::try_days(i64::from(days))
        .and_then(|d| now.checked_sub_signed(d))
        .map_or(i64::MIN, |t| to_micros(&t))
}

pub(crate) async fn report(
    c: &impl GenericClient,
    account: &str,
    now: DateTime<Utc>,
    inactive_days: u32,
) -> Result<AccountReport> {
    let a = read::account(c, account).await?.ok_or_else(|| StoreError::UnknownAccount(account.to_owned()))?;
    let row = c
        .query_one(
            "SELECT count(*) FILTER (WHERE last_visit_at >= $2),
                    count(*) FILTER (WHERE last_visit_at >= $3),
                    count(*) FILTER (WHERE last_visit_at IS NULL OR last_visit_at < $4),
                    count(*) FILTER (WHERE last_visit_at IS NULL)
             FROM users WHERE account_pk = $1 AND removed_at IS NULL",
            &[&a.pk, &cutoff(&now, 30), &cutoff(&now, 90), &cutoff(&now, inactive_days)],
        )
        .await?;
    let n = |i: usize| -> Result<u64> { Ok(to_u64(row.try_get::<_, i64>(i)?)) };
    let (active_30, active_90, inactive, never) = (n(0)?, n(1)?, n(2)?, n(3)?);

    // Users grouped by their roles' canonical text, as on SQLite.
    let mut roles = RoleCounts::default();
    let rows = c
        .query(
            "SELECT roles, count(*) FROM users WHERE account_pk = $1 AND removed_at IS NULL GROUP BY roles",
            &[&a.pk],
        )
        .await?;
    for r in rows {
        roles.add(r.try_get(0)?, to_u64(r.try_get(1)?))?;
    }

    let rows = c
        .query(
            "SELECT name, assigned, total FROM licenses WHERE account_pk = $1 ORDER BY name COLLATE \"C\"",
            &[&a.pk],
        )
        .await?;
    let licenses = rows
        .iter()
        .map(|r| {
            Ok(LicenseType {
                name: r.try_get(0)?,
                assigned: to_u64(r.try_get(1)?),
                total: r.try_get::<_, Option<i64>>(2)?.map(to_u64),
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let last_good = match a.last_good_run_id {
        Some(id) => read::run(c, id).await?,
        None => None,
    };
    let last_sync = read::last_run(c, a.pk).await?.map(|r| LastSync::of(r, now));
    Ok(AccountReport {
        users: read::status_counts(c, a.pk).await?,
        account: a.account,
        connector: a.connector,
        now,
        active_last_30_days: active_30,
        active_last_90_days: active_90,
        inactive: InactiveCounts { days: inactive_days, count: inactive, never_visited: never },
        removed_since_previous_sync: last_good.as_ref().map_or(0, |r| r.removed),
        roles: roles.into_map(),
        licenses,
        last_sync,
        last_good_at: last_good.and_then(|r| r.finished_at),
        record: a.record,
    })
}
