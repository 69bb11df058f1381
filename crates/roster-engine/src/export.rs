//! Users as CSV: the cells of one user, RFC 4180 quoting with formula guards, and the
//! header. `roster users --format csv` and the web UI's download write the same text.

use roster_store::StoredUser;

fn ts(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| roster_core::timestamp(&t)).unwrap_or_default()
}

/// The header line of `--format csv`.
pub const CSV_HEADER: &str =
    "account,connector,id,email,name,status,last_visit_at,roles,license_types,first_seen_at,removed_at";

/// One user as the cells of a CSV line (and, truncated, of a table row).
pub fn cells(u: &StoredUser) -> Vec<String> {
    vec![
        u.account.clone(),
        u.connector.clone(),
        u.id.clone(),
        u.email.clone().unwrap_or_default(),
        u.name.clone().unwrap_or_default(),
        u.status.clone(),
        ts(u.last_visit_at),
        u.roles.iter().map(|r| format!("{}:{}", r.scope, r.name)).collect::<Vec<_>>().join("; "),
        u.license_types.join("; "),
        ts(Some(u.first_seen_at)),
        ts(u.removed_at),
    ]
}

/// RFC 4180 quoting; cells starting with a formula character are prefixed
/// with `'` so spreadsheets do not run them.
pub fn csv_cell(c: &str) -> String {
    let c = if c.starts_with(['=', '+', '-', '@']) { format!("'{c}") } else { c.to_owned() };
    if c.contains([',', '"', '\n', '\r']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c }
}
