//! A selection of one account's users ([`UserQuery`]): its count and its
//! rows, filtered and sorted by Postgres, streamed a row at a time.

use futures_util::{TryStreamExt, pin_mut};
use tokio_postgres::GenericClient;
use tokio_postgres::types::ToSql;

use super::read;
use crate::error::Result;
use crate::merge::USER_COLUMNS;
use crate::query::{Dialect, Param, Selection, UserQuery};
use crate::rows::stored_user;
use crate::types::StoredUser;

fn bound<'a>(account_pk: &'a i64, s: &'a Selection) -> Vec<&'a (dyn ToSql + Sync)> {
    let mut out: Vec<&(dyn ToSql + Sync)> = vec![account_pk];
    out.extend(s.params.iter().map(|p| match p {
        Param::Text(t) => t as &(dyn ToSql + Sync),
        Param::Int(i) => i as &(dyn ToSql + Sync),
    }));
    out
}

/// How many users `q` matches (ignoring its offset and limit).
pub(crate) async fn count(c: &impl GenericClient, q: &UserQuery) -> Result<u64> {
    let Some(a) = read::account(c, &q.account).await? else { return Ok(0) };
    let s = Selection::of(q, Dialect::Postgres);
    let n: i64 = c.query_one(&s.count_sql(""), &bound(&a.pk, &s)).await?.try_get(0)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Calls `f` with each user `q` selects, in its order.
pub(crate) async fn for_each(
    c: &impl GenericClient,
    q: &UserQuery,
    f: &mut (dyn FnMut(StoredUser) + Send),
) -> Result<()> {
    let Some(a) = read::account(c, &q.account).await? else { return Ok(()) };
    let s = Selection::of(q, Dialect::Postgres);
    let limit: Option<i64> = i64::try_from(q.limit).ok();
    let offset = i64::try_from(q.offset).unwrap_or(i64::MAX);
    let stmt = c.prepare(&s.rows_sql(USER_COLUMNS, "", q.limit != u64::MAX)).await?;
    let mut params = bound(&a.pk, &s);
    params.push(&limit);
    params.push(&offset);
    let rows = c.query_raw(&stmt, params).await?;
    pin_mut!(rows);
    while let Some(r) = rows.try_next().await? {
        f(stored_user(&a, &r)?);
    }
    Ok(())
}
