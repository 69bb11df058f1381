//! The audit trail on SQLite.

use rusqlite::{Connection, params_from_iter};

use crate::audit::{self, AuditEntry, COLUMNS};
use crate::error::Result;

pub(crate) const V3: &str = crate::audit::audit_table!("INTEGER PRIMARY KEY");

pub(crate) fn insert(conn: &Connection, e: &AuditEntry) -> Result<()> {
    let (at, texts) = audit::values(e);
    let sql = format!(
        "INSERT INTO audit ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let values: Vec<rusqlite::types::Value> = std::iter::once(rusqlite::types::Value::Integer(at))
        .chain(
            texts.into_iter().map(|t| t.map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Text)),
        )
        .collect();
    stmt.execute(params_from_iter(values))?;
    Ok(())
}

pub(crate) fn entries(conn: &Connection, accounts: &[String]) -> Result<Vec<AuditEntry>> {
    let filter = audit::accounts_filter(accounts.len(), |i| format!("?{i}"));
    let sql = format!("SELECT {COLUMNS} FROM audit{filter} ORDER BY audit_id");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(accounts))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(audit::entry(row)?);
    }
    Ok(out)
}
