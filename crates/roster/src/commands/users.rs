//! `roster users [--account ID]... [--format table|json|jsonl|csv]`

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use roster_store::StoredUser;

use crate::cli::UsersFormat;
use crate::exit;
use crate::output::table;

/// What the user callback shares with the command: the table rows, whether
/// a JSON element was written yet, and the first write error.
#[derive(Default)]
struct Output {
    rows: Vec<Vec<String>>,
    first: bool,
    error: Option<io::Error>,
}

impl Output {
    /// Runs `write` on stdout unless an earlier write failed.
    fn write(&mut self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
        if self.error.is_none() {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            if let Err(e) = write(&mut out) {
                self.error = Some(e);
            }
        }
    }
}

pub async fn run(
    config: Option<PathBuf>,
    store: Option<&str>,
    accounts: &[String],
    format: UsersFormat,
) -> Result<u8> {
    let store = match super::open_store(config, store).await {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let output = Arc::new(Mutex::new(Output { first: true, ..Output::default() }));
    {
        let mut o = output.lock().unwrap_or_else(|e| e.into_inner());
        match format {
            UsersFormat::Json => o.write(|out| writeln!(out, "[")),
            UsersFormat::Csv => o.write(|out| writeln!(out, "{CSV_HEADER}")),
            _ => {}
        }
    }
    let output_in = output.clone();
    let result = store
        .for_each_user(accounts, move |u: StoredUser| {
            let mut o = output_in.lock().unwrap_or_else(|e| e.into_inner());
            match format {
                UsersFormat::Jsonl => o.write(|out| {
                    serde_json::to_writer(&mut *out, &u)?;
                    writeln!(out)
                }),
                UsersFormat::Json => {
                    let first = std::mem::replace(&mut o.first, false);
                    o.write(|out| {
                        if !first {
                            writeln!(out, ",")?;
                        }
                        write!(out, "  ")?;
                        serde_json::to_writer(&mut *out, &u)?;
                        Ok(())
                    });
                }
                UsersFormat::Csv => {
                    let line: Vec<String> = cells(&u).iter().map(|c| csv_cell(c)).collect();
                    o.write(|out| writeln!(out, "{}", line.join(",")));
                }
                UsersFormat::Table => {
                    let mut c = cells(&u);
                    c.truncate(9);
                    o.rows.push(c);
                }
            }
        })
        .await;
    if let Err(e) = result {
        eprintln!("error: {e}");
        return Ok(exit::CANNOT_RUN);
    }
    let mut o = output.lock().unwrap_or_else(|e| e.into_inner());
    match format {
        UsersFormat::Json => o.write(|out| writeln!(out, "\n]")),
        UsersFormat::Table => {
            let rows = std::mem::take(&mut o.rows);
            o.write(|out| {
                table::write(
                    out,
                    &[
                        "ACCOUNT",
                        "CONNECTOR",
                        "ID",
                        "EMAIL",
                        "NAME",
                        "STATUS",
                        "LAST VISIT",
                        "ROLES",
                        "LICENSES",
                    ],
                    &rows,
                )
            });
        }
        _ => {}
    }
    o.write(|out| out.flush());
    Ok(match o.error.take() {
        None => exit::OK,
        Some(e) => super::output_failed(&e),
    })
}

fn ts(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).unwrap_or_default()
}

/// The header line of `--format csv`.
pub(crate) const CSV_HEADER: &str =
    "account,connector,id,email,name,status,last_visit_at,roles,license_types,first_seen_at,removed_at";

/// One user as the cells of a CSV line (and, truncated, of a table row).
pub(crate) fn cells(u: &StoredUser) -> Vec<String> {
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
pub(crate) fn csv_cell(c: &str) -> String {
    let c = if c.starts_with(['=', '+', '-', '@']) { format!("'{c}") } else { c.to_owned() };
    if c.contains([',', '"', '\n', '\r']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c }
}
