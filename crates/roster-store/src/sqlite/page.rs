//! A selection of one account's users ([`UserQuery`]): its count and its
//! rows, filtered and sorted by SQLite, read a row at a time.

use rusqlite::types::ToSqlOutput;
use rusqlite::{Connection, ToSql};

use super::read;
use super::schema::VISIBLE_U;
use crate::error::Result;
use crate::merge::USER_COLUMNS;
use crate::query::{Dialect, Param, Selection, UserQuery};
use crate::rows::stored_user;
use crate::types::StoredUser;

impl ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        match self {
            Param::Text(t) => t.to_sql(),
            Param::Int(i) => i.to_sql(),
        }
    }
}

fn bound<'a>(account_pk: &'a i64, s: &'a Selection) -> Vec<&'a dyn ToSql> {
    let mut out: Vec<&dyn ToSql> = vec![account_pk];
    out.extend(s.params.iter().map(|p| p as &dyn ToSql));
    out
}

/// How many users `q` matches (ignoring its offset and limit).
pub(crate) fn count(conn: &Connection, q: &UserQuery) -> Result<u64> {
    let Some(a) = read::account(conn, &q.account)? else { return Ok(0) };
    let s = Selection::of(q, Dialect::Sqlite);
    let sql = s.count_sql(&format!(" AND {VISIBLE_U}"));
    let n: i64 = conn.prepare_cached(&sql)?.query_row(bound(&a.pk, &s).as_slice(), |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Calls `f` with each user `q` selects, in its order.
pub(crate) fn for_each(conn: &Connection, q: &UserQuery, f: &mut dyn FnMut(StoredUser)) -> Result<()> {
    let Some(a) = read::account(conn, &q.account)? else { return Ok(()) };
    let s = Selection::of(q, Dialect::Sqlite);
    let limit = i64::try_from(q.limit).unwrap_or(-1);
    let offset = i64::try_from(q.offset).unwrap_or(i64::MAX);
    let sql = s.rows_sql(USER_COLUMNS, &format!(" AND {VISIBLE_U}"), q.limit != u64::MAX);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut params = bound(&a.pk, &s);
    params.push(&limit);
    params.push(&offset);
    let mut rows = stmt.query(params.as_slice())?;
    while let Some(r) = rows.next()? {
        f(stored_user(&a, r)?);
    }
    Ok(())
}
