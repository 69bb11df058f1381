//! Background checkpoints: copying the write-ahead log back into the
//! database file (and the fsync that goes with it) on a thread of its own,
//! so that the writer spends its time on writes.
//!
//! The writer keeps SQLite's automatic checkpoint only as a backstop, at a
//! size this thread normally never lets the log reach.

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use rusqlite::Connection;

use super::schema;

/// How often the log is copied back.
const INTERVAL: Duration = Duration::from_millis(100);

/// Pages of log after which the writer checkpoints by itself (SQLite's
/// default is 1,000); 16,384 pages of 4 KiB are 64 MiB.
pub(crate) const BACKSTOP_PAGES: u32 = 16_384;

/// Runs passive checkpoints until `stop` is dropped or sent to.
pub(crate) fn run(path: &Path, stop: &Receiver<()>) {
    let conn = match schema::open_checkpointer(path) {
        Ok(c) => c,
        Err(e) => {
            tracing::debug!(error = %e, "no background checkpoints; the writer checkpoints by itself");
            return;
        }
    };
    loop {
        match stop.recv_timeout(INTERVAL) {
            Err(RecvTimeoutError::Timeout) => checkpoint(&conn),
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

fn checkpoint(conn: &Connection) {
    // PASSIVE never waits for the writer or readers: it copies what it can.
    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
        tracing::debug!(error = %e, "a background checkpoint did not run");
    }
}
