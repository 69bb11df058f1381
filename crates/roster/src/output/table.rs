//! Plain aligned text tables.

use std::io::{self, Write};

/// Prints rows under a header, each column as wide as its widest cell. A
/// stdout that cannot be written (a closed pipe) is ignored; commands whose
/// output is the point use [`write`] and report it.
pub fn print(header: &[&str], rows: &[Vec<String>]) {
    let _ = write(&mut io::stdout().lock(), header, rows);
}

/// Writes rows under a header, each column as wide as its widest cell.
pub fn write(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let widths = widths(header, rows);
    line(out, &widths, header)?;
    for row in rows {
        line(out, &widths, row)?;
    }
    Ok(())
}

/// How many rows [`Streamed`] reads ahead to size its columns.
pub const LOOK_AHEAD: usize = 1000;

/// A table written as its rows come: the columns are sized on the first [`LOOK_AHEAD`]
/// rows, and a wider cell after them pushes the rest of its line right. Memory stays
/// bounded whatever the number of rows.
pub struct Streamed {
    header: &'static [&'static str],
    ahead: Vec<Vec<String>>,
    widths: Option<Vec<usize>>,
}

impl Streamed {
    pub fn new(header: &'static [&'static str]) -> Self {
        Streamed { header, ahead: Vec::new(), widths: None }
    }

    /// Adds a row; writes it now once the columns are sized.
    pub fn push(&mut self, out: &mut dyn Write, row: Vec<String>) -> io::Result<()> {
        if let Some(widths) = &self.widths {
            return line(out, widths, &row);
        }
        self.ahead.push(row);
        if self.ahead.len() >= LOOK_AHEAD { self.size(out) } else { Ok(()) }
    }

    /// Writes what is still held (the header too, when there were few rows).
    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.widths.is_none() { self.size(out) } else { Ok(()) }
    }

    fn size(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let rows = std::mem::take(&mut self.ahead);
        let widths = widths(self.header, &rows);
        line(out, &widths, self.header)?;
        for row in &rows {
            line(out, &widths, row)?;
        }
        self.widths = Some(widths);
        Ok(())
    }
}

/// Each column's width: its widest cell among the header and `rows`.
fn widths<S: AsRef<str>>(header: &[&str], rows: &[Vec<S>]) -> Vec<usize> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.as_ref().chars().count());
            }
        }
    }
    widths
}

/// One line, each cell padded to its column and two spaces; the last one as it is.
fn line<S: AsRef<str>>(out: &mut dyn Write, widths: &[usize], cells: &[S]) -> io::Result<()> {
    let mut text = String::new();
    for (i, c) in cells.iter().enumerate() {
        let c = c.as_ref();
        text.push_str(c);
        if i + 1 < cells.len() {
            let width = widths.get(i).copied().unwrap_or(0);
            text.push_str(&" ".repeat(width.saturating_sub(c.chars().count()) + 2));
        }
    }
    writeln!(out, "{}", text.trim_end())
}

/// Seconds as `1.2s`, `3m04s` or `2h05m`.
pub fn duration(ms: u64) -> String {
    let s = ms / 1000;
    if s < 60 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else if s < 3600 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[&str] = &["ID", "NAME"];

    fn streamed(rows: usize, wide_at: usize) -> String {
        let mut out = Vec::new();
        let mut t = Streamed::new(HEADER);
        for i in 0..rows {
            let id = if i == wide_at { "x".repeat(20) } else { i.to_string() };
            t.push(&mut out, vec![id, format!("n{i}")]).expect("write");
        }
        t.finish(&mut out).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn a_short_table_streams_as_it_prints() {
        let rows: Vec<Vec<String>> = (0..30).map(|i| vec![i.to_string(), format!("n{i}")]).collect();
        let mut whole = Vec::new();
        write(&mut whole, HEADER, &rows).expect("write");
        assert_eq!(streamed(30, usize::MAX), String::from_utf8(whole).expect("utf-8"));
        assert_eq!(streamed(0, usize::MAX), "ID  NAME\n");
    }

    #[test]
    fn a_long_table_is_sized_on_its_look_ahead_and_keeps_every_row() {
        let text = streamed(LOOK_AHEAD + 500, LOOK_AHEAD + 10);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), LOOK_AHEAD + 501);
        assert_eq!(lines[1], "0    n0", "sized on the first {LOOK_AHEAD} rows");
        assert_eq!(lines[LOOK_AHEAD + 11], format!("{}  n{}", "x".repeat(20), LOOK_AHEAD + 10));
        assert_eq!(lines[LOOK_AHEAD + 500], format!("{}  n{}", LOOK_AHEAD + 499, LOOK_AHEAD + 499));
    }
}
