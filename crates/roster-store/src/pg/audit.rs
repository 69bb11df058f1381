//! The audit trail on Postgres.

use tokio_postgres::Transaction;
use tokio_postgres::types::ToSql;

use crate::audit::{self, AuditEntry, COLUMNS};
use crate::error::Result;

pub(crate) const V3: &str = crate::audit::audit_table!("BIGSERIAL PRIMARY KEY");

pub(crate) async fn insert(tx: &Transaction<'_>, e: &AuditEntry) -> Result<()> {
    let (at, texts) = audit::values(e);
    let sql = format!(
        "INSERT INTO audit ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    );
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&at];
    params.extend(texts.iter().map(|t| t as &(dyn ToSql + Sync)));
    tx.execute(&sql, &params).await?;
    Ok(())
}

pub(crate) async fn entries(tx: &Transaction<'_>, accounts: &[String]) -> Result<Vec<AuditEntry>> {
    let filter = audit::accounts_filter(accounts.len(), |i| format!("${i}"));
    let sql = format!("SELECT {COLUMNS} FROM audit{filter} ORDER BY audit_id");
    let params: Vec<&(dyn ToSql + Sync)> = accounts.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
    let rows = tx.query(&sql, &params).await?;
    rows.iter().map(audit::entry).collect()
}
