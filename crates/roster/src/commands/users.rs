//! `roster users [--account ID]... [--format table|json|jsonl|csv]`

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use roster_engine::export::{CSV_HEADER, cells, csv_cell};
use roster_store::StoredUser;

use crate::cli::UsersFormat;
use crate::output::table;
use roster_engine::exit;

/// The table's columns.
const HEADER: &[&str] =
    &["ACCOUNT", "CONNECTOR", "ID", "EMAIL", "NAME", "STATUS", "LAST VISIT", "ROLES", "LICENSES"];

/// What the user callback shares with the command: the table as it streams, whether
/// a JSON element was written yet, and the first write error.
struct Output {
    table: table::Streamed,
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

    /// Gives the table a row, or its end (`None`), unless an earlier write failed.
    fn table_row(&mut self, row: Option<Vec<String>>) {
        if self.error.is_none() {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            let written = match row {
                Some(row) => self.table.push(&mut out, row),
                None => self.table.finish(&mut out),
            };
            if let Err(e) = written {
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
    let output =
        Arc::new(Mutex::new(Output { table: table::Streamed::new(HEADER), first: true, error: None }));
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
                    c.truncate(HEADER.len());
                    o.table_row(Some(c));
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
        UsersFormat::Table => o.table_row(None),
        _ => {}
    }
    o.write(|out| out.flush());
    Ok(match o.error.take() {
        None => exit::OK,
        Some(e) => super::output_failed(&e),
    })
}
