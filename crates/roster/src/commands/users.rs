//! `roster users [--account ID]... [--format table|json|jsonl|csv]`

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use roster_store::StoredUser;

use crate::cli::UsersFormat;
use crate::exit;
use crate::output::table;

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
    let rows: Arc<Mutex<Vec<Vec<String>>>> = Arc::default();
    let rows_in = rows.clone();
    let first = Arc::new(Mutex::new(true));
    if format == UsersFormat::Json {
        println!("[");
    }
    if format == UsersFormat::Csv {
        println!(
            "account,connector,id,email,name,status,last_visit_at,roles,license_types,first_seen_at,removed_at"
        );
    }
    let result = store
        .for_each_user(accounts, move |u: StoredUser| {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            match format {
                UsersFormat::Jsonl => {
                    let _ = serde_json::to_writer(&mut out, &u);
                    let _ = writeln!(out);
                }
                UsersFormat::Json => {
                    let mut f = first.lock().unwrap_or_else(|e| e.into_inner());
                    if !*f {
                        let _ = writeln!(out, ",");
                    }
                    *f = false;
                    let _ = write!(out, "  ");
                    let _ = serde_json::to_writer(&mut out, &u);
                }
                UsersFormat::Csv => {
                    let cells = cells(&u);
                    let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
                    let _ = writeln!(out, "{}", line.join(","));
                }
                UsersFormat::Table => {
                    let mut c = cells(&u);
                    c.truncate(9);
                    rows_in.lock().unwrap_or_else(|e| e.into_inner()).push(c);
                }
            }
        })
        .await;
    if let Err(e) = result {
        eprintln!("error: {e}");
        return Ok(exit::CANNOT_RUN);
    }
    match format {
        UsersFormat::Json => println!("\n]"),
        UsersFormat::Table => {
            let rows = rows.lock().unwrap_or_else(|e| e.into_inner());
            table::print(
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
            );
        }
        _ => {}
    }
    Ok(exit::OK)
}

fn ts(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn cells(u: &StoredUser) -> Vec<String> {
    vec![
        u.account.clone(),
        u.connector.clone(),
        u.id.clone(),
        u.email.clone().unwrap_or_default(),
        u.name.clone().unwrap_or_default(),
        u.status.clone(),
        ts(u.last_visit_at),
        u.roles
            .iter()
            .map(|r| format!("{}:{}", r.scope, r.name))
            .collect::<Vec<_>>()
            .join("; "),
        u.license_types.join("; "),
        ts(Some(u.first_seen_at)),
        ts(u.removed_at),
    ]
}

/// RFC 4180 quoting; cells starting with a formula character are prefixed
/// with `'` so spreadsheets do not run them.
fn csv_cell(c: &str) -> String {
    let c = if c.starts_with(['=', '+', '-', '@']) {
        format!("'{c}")
    } else {
        c.to_owned()
    };
    if c.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c
    }
}
