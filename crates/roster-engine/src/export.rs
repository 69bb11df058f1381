//! Users as CSV: the cells of one user, RFC 4180 quoting with formula guards, and the
//! header. `roster users --format csv` and the web UI's download write the same text.

use std::fmt::Write as _;

use roster_store::{StoreError, StoredUser, UserRow};

fn ts(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| roster_core::timestamp(&t)).unwrap_or_default()
}

/// The header line of `--format csv`.
pub const CSV_HEADER: &str =
    "account,connector,id,email,name,status,last_visit_at,roles,license_types,first_seen_at,removed_at";

/// The separator of the roles and of the license types in one cell.
const LIST_SEPARATOR: &str = "; ";

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
        u.roles.iter().map(|r| format!("{}:{}", r.scope, r.name)).collect::<Vec<_>>().join(LIST_SEPARATOR),
        u.license_types.join(LIST_SEPARATOR),
        ts(Some(u.first_seen_at)),
        ts(u.removed_at),
    ]
}

/// Appends one user as a line of `--format csv`, newline included: the
/// text of [`cells`] quoted with [`csv_cell`] and joined with commas, read
/// straight from the stored row. `scratch` is working space kept between calls.
pub fn push_csv_line(out: &mut String, scratch: &mut String, u: &UserRow<'_>) -> Result<(), StoreError> {
    let [last_visit, first_seen, removed] = u.times()?;
    for plain in
        [u.account, u.connector, u.id, u.email.unwrap_or_default(), u.name.unwrap_or_default(), u.status]
    {
        push_csv_cell(out, plain);
        out.push(',');
    }
    push_csv_cell(out, &ts(last_visit));
    out.push(',');
    scratch.clear();
    u.for_each_role(|scope, name| {
        if !scratch.is_empty() {
            scratch.push_str(LIST_SEPARATOR);
        }
        let _ = write!(scratch, "{scope}:{name}");
    })?;
    push_csv_cell(out, scratch);
    out.push(',');
    scratch.clear();
    let mut first = true;
    u.for_each_license_type(|t| {
        if !std::mem::replace(&mut first, false) {
            scratch.push_str(LIST_SEPARATOR);
        }
        scratch.push_str(t);
    })?;
    push_csv_cell(out, scratch);
    out.push(',');
    push_csv_cell(out, &ts(first_seen));
    out.push(',');
    push_csv_cell(out, &ts(removed));
    out.push('\n');
    Ok(())
}

/// RFC 4180 quoting; cells starting with a formula character are prefixed
/// with `'` so spreadsheets do not run them.
pub fn csv_cell(c: &str) -> String {
    let mut out = String::with_capacity(c.len() + 2);
    push_csv_cell(&mut out, c);
    out
}

/// Appends [`csv_cell`] of `c` to `out`.
pub fn push_csv_cell(out: &mut String, c: &str) {
    let guard = if c.starts_with(['=', '+', '-', '@']) { "'" } else { "" };
    if c.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(guard);
        for (i, part) in c.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(guard);
        out.push_str(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_guarded_as_before() {
        let old = |c: &str| {
            let c = if c.starts_with(['=', '+', '-', '@']) { format!("'{c}") } else { c.to_owned() };
            if c.contains([',', '"', '\n', '\r']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c }
        };
        for c in ["", "plain", "a,b", "say \"hi\"", "=1+2", "-x,\"y\"", "@a\nb", "\"", "+", "é\r"] {
            assert_eq!(csv_cell(c), old(c), "{c:?}");
        }
    }
}
