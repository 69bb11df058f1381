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

/// Appends a decoded user as a line of `--format csv`, newline included:
/// its [`cells`], quoted and joined with commas.
pub fn push_user_csv_line(out: &mut String, u: &StoredUser) {
    for (i, c) in cells(u).iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_csv_cell(out, c);
    }
    out.push('\n');
}

/// Appends one user as a line of `--format csv`, newline included: the
/// text of [`push_user_csv_line`], read straight from the stored row. `scratch` is working space kept between calls.
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
    fn a_decoded_user_and_its_stored_row_make_the_same_line() {
        let at = chrono::DateTime::from_timestamp_micros(1_717_000_000_123_456).unwrap();
        let user = StoredUser {
            account: "acme".into(),
            connector: "workato".into(),
            id: "=1".into(),
            email: Some("a,b@x.com".into()),
            name: None,
            status: "active".into(),
            last_visit_at: Some(at),
            roles: vec![roster_core::RoleAssignment::new("dev", "Say \"hi\"")],
            license_types: vec!["Pro".into(), "-Lite".into()],
            attributes: Default::default(),
            first_seen_at: at,
            removed_at: None,
        };
        let row = UserRow {
            account: "acme",
            connector: "workato",
            id: "=1",
            email: Some("a,b@x.com"),
            name: None,
            status: "active",
            last_visit_at: Some(at.timestamp_micros()),
            roles: r#"[{"scope":"dev","name":"Say \"hi\""}]"#,
            license_types: r#"["Pro","-Lite"]"#,
            attributes: "{}",
            first_seen_at: at.timestamp_micros(),
            removed_at: None,
        };
        let (mut decoded, mut stored, mut scratch) = (String::new(), String::new(), String::new());
        push_user_csv_line(&mut decoded, &user);
        push_csv_line(&mut stored, &mut scratch, &row).unwrap();
        assert_eq!(decoded, stored);
        assert!(decoded.starts_with("acme,workato,'=1,\"a,b@x.com\","), "{decoded}");
    }

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
