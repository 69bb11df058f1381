//! `roster users [--account ID]... [--format table|json|jsonl|csv]`

use std::io::{self, BufWriter, Stdout, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use roster_engine::export::{CSV_HEADER, cells, push_csv_line};
use roster_store::{StoreError, UserRow};

use crate::cli::UsersFormat;
use crate::output::table;
use roster_engine::exit;

/// The table's columns.
const HEADER: &[&str] =
    &["ACCOUNT", "CONNECTOR", "ID", "EMAIL", "NAME", "STATUS", "LAST VISIT", "ROLES", "LICENSES"];

/// How much output is gathered before one write to stdout.
const OUTPUT_BUFFER: usize = 256 * 1024;

/// What the user callback shares with the command: the buffered stdout, the
/// table as it streams, whether a JSON element was written yet, the line
/// being built, and the first write error.
struct Output {
    out: BufWriter<Stdout>,
    table: table::Streamed,
    first: bool,
    line: Vec<u8>,
    text: String,
    scratch: String,
    error: Option<io::Error>,
}

impl Output {
    /// Runs `write` on stdout unless an earlier write failed.
    fn write(&mut self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
        if self.error.is_none()
            && let Err(e) = write(&mut self.out)
        {
            self.error = Some(e);
        }
    }

    /// Writes `bytes` unless an earlier write failed.
    fn write_bytes(out: &mut BufWriter<Stdout>, error: &mut Option<io::Error>, bytes: &[u8]) {
        if error.is_none()
            && let Err(e) = out.write_all(bytes)
        {
            *error = Some(e);
        }
    }

    /// Writes one user in `format`.
    fn user(&mut self, format: UsersFormat, u: &UserRow<'_>) -> Result<(), StoreError> {
        if self.error.is_some() {
            return Ok(());
        }
        match format {
            UsersFormat::Jsonl | UsersFormat::Json => {
                self.line.clear();
                if format == UsersFormat::Json {
                    let first = std::mem::replace(&mut self.first, false);
                    self.line.extend_from_slice(if first { b"  " } else { b",\n  " });
                }
                u.write_json(&mut self.line)?;
                if format == UsersFormat::Jsonl {
                    self.line.push(b'\n');
                }
                Self::write_bytes(&mut self.out, &mut self.error, &self.line);
            }
            UsersFormat::Csv => {
                self.text.clear();
                push_csv_line(&mut self.text, &mut self.scratch, u)?;
                Self::write_bytes(&mut self.out, &mut self.error, self.text.as_bytes());
            }
            UsersFormat::Table => {
                let mut c = cells(&u.to_user()?);
                c.truncate(HEADER.len());
                self.table_row(Some(c));
            }
        }
        Ok(())
    }

    /// Gives the table a row, or its end (`None`), unless an earlier write failed.
    fn table_row(&mut self, row: Option<Vec<String>>) {
        if self.error.is_none() {
            let written = match row {
                Some(row) => self.table.push(&mut self.out, row),
                None => self.table.finish(&mut self.out),
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
    let output = Arc::new(Mutex::new(Output {
        out: BufWriter::with_capacity(OUTPUT_BUFFER, io::stdout()),
        table: table::Streamed::new(HEADER),
        first: true,
        line: Vec::new(),
        text: String::new(),
        scratch: String::new(),
        error: None,
    }));
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
        .for_each_user_row(accounts, move |u| {
            output_in.lock().unwrap_or_else(|e| e.into_inner()).user(format, u)
        })
        .await;
    let mut o = output.lock().unwrap_or_else(|e| e.into_inner());
    if let Err(e) = result {
        // What was read before the error is still written.
        o.write(|out| out.flush());
        eprintln!("error: {e}");
        return Ok(exit::CANNOT_RUN);
    }
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
