//! Connections, pragmas and versioned schema migrations.
//!
//! The schema version lives in `PRAGMA user_version`; `PRAGMA application_id`
//! marks the file as a Roster store. Timestamps are stored as microseconds
//! since the Unix epoch (UTC); lists and maps as JSON text.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Result, StoreError, lowercase_first};

/// "RSTR": marks a SQLite file as a Roster store.
const APPLICATION_ID: i64 = 0x5253_5452;

/// How long a connection waits for another process holding a lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[V1, V2, super::audit::V3, super::history::V4];

/// The newest schema version this build knows.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const V1: &str = "
CREATE TABLE accounts (
    account_pk        INTEGER PRIMARY KEY,
    account           TEXT NOT NULL UNIQUE,
    connector         TEXT NOT NULL,
    tenant_id         TEXT,
    tenant_name       TEXT,
    plan              TEXT,
    record_attributes TEXT,
    -- connector state of the latest successful run
    state             TEXT,
    last_good_run_id  INTEGER
);

-- One row per sync run; outcome is NULL while the run is in progress.
CREATE TABLE sync_runs (
    run_id          INTEGER PRIMARY KEY,
    account_pk      INTEGER NOT NULL,
    connector       TEXT NOT NULL,
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    outcome         TEXT,
    seen            INTEGER NOT NULL DEFAULT 0,
    added           INTEGER NOT NULL DEFAULT 0,
    changed         INTEGER NOT NULL DEFAULT 0,
    removed         INTEGER NOT NULL DEFAULT 0,
    restored        INTEGER NOT NULL DEFAULT 0,
    skipped         INTEGER NOT NULL DEFAULT 0,
    error_kind      TEXT,
    message         TEXT,
    remediation     TEXT,
    notes           TEXT,
    degraded_reason TEXT
);
CREATE INDEX sync_runs_by_account ON sync_runs (account_pk, run_id);
CREATE INDEX sync_runs_open ON sync_runs (run_id) WHERE outcome IS NULL;

-- The current state of every user ever seen; removed users stay with
-- status 'removed' and removed_at set.
CREATE TABLE users (
    account_pk    INTEGER NOT NULL,
    user_id       TEXT NOT NULL,
    email         TEXT,
    name          TEXT,
    status        TEXT NOT NULL,
    last_visit_at INTEGER,
    roles         TEXT NOT NULL,
    license_types TEXT NOT NULL,
    attributes    TEXT NOT NULL,
    hash          INTEGER NOT NULL,
    first_seen_at INTEGER NOT NULL,
    removed_at    INTEGER,
    PRIMARY KEY (account_pk, user_id)
) WITHOUT ROWID;

-- What each committed run did to each user it touched.
CREATE TABLE user_events (
    account_pk INTEGER NOT NULL,
    user_id    TEXT NOT NULL,
    run_id     INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (account_pk, user_id, run_id)
) WITHOUT ROWID;

CREATE TABLE licenses (
    account_pk INTEGER NOT NULL,
    name       TEXT NOT NULL,
    assigned   INTEGER NOT NULL,
    total      INTEGER,
    PRIMARY KEY (account_pk, name)
) WITHOUT ROWID;
";

/// Users new to an account are written once, straight into `users`, marked
/// with the run that added them (`pending_run`). Such a row is invisible
/// while that run is open; the commit that closes the run makes it visible
/// without touching it again, and a failed or interrupted run deletes its
/// rows in the transaction that closes it. So `pending_run` is always NULL,
/// an open run or a committed one, and for a committed run it says which
/// run added the user (its `added` event is not written twice).
const V2: &str = "ALTER TABLE users ADD COLUMN pending_run INTEGER;";

/// The runs open now (in this process or another), as a SQL subquery.
macro_rules! open_runs {
    () => {
        "(SELECT run_id FROM sync_runs WHERE outcome IS NULL)"
    };
}
pub(crate) use open_runs;
pub(crate) const OPEN_RUNS: &str = open_runs!();

/// Whether the `users` row aliased `u` is visible: not a new user of a run
/// that is still open. Every read of `users` filters with it.
pub(crate) const VISIBLE_U: &str =
    concat!("(u.pending_run IS NULL OR u.pending_run NOT IN ", open_runs!(), ")");

/// What in-progress runs hold besides their new users, in TEMP tables of the
/// writer's connection: they live only as long as that connection, so the
/// rows of a crashed run can never be read. Both are keyed by run, so their
/// statements are the same for every run and stay prepared.
///
/// * `staging`: users that changed (or a row another open run is writing),
///   with their whole record, for the commit to merge;
/// * `seen`: ids of users that are present and unchanged: all a commit needs
///   of them is to know they were seen.
const STAGING: &str = "
CREATE TEMP TABLE IF NOT EXISTS staging (
    run_id        INTEGER NOT NULL,
    user_id       TEXT NOT NULL,
    email         TEXT,
    name          TEXT,
    status        TEXT NOT NULL,
    last_visit_at INTEGER,
    roles         TEXT NOT NULL,
    license_types TEXT NOT NULL,
    attributes    TEXT NOT NULL,
    hash          INTEGER NOT NULL,
    PRIMARY KEY (run_id, user_id)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS seen (
    run_id  INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (run_id, user_id)
) WITHOUT ROWID;
";

fn open_error(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Open { path: path.display().to_string(), detail: lowercase_first(&e.to_string()) }
}

fn is_not_a_database(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(ErrorCode::NotADatabase)
}

/// Maps an error met while opening to an open error naming the path.
fn opening(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| {
        if is_not_a_database(&e) {
            StoreError::NotAStore { path: path.display().to_string() }
        } else {
            open_error(path, e)
        }
    }
}

/// Opens the writer's connection, creating the file and its directory, and
/// brings the schema up to date.
pub(crate) fn open_writer(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| open_error(path, e))?;
    }
    let conn = Connection::open(path).map_err(opening(path))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(opening(path))?;
    check_identity(&conn, path)?;
    let mode: String =
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(opening(path))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(open_error(
            path,
            format!("the file system does not support write-ahead logging (journal mode {mode})"),
        ));
    }
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = OFF;
         PRAGMA temp_store = FILE;
         PRAGMA cache_size = -4096;
         PRAGMA journal_size_limit = 67108864;",
    )
    .map_err(opening(path))?;
    conn.pragma_update(None, "wal_autocheckpoint", super::checkpoint::BACKSTOP_PAGES)
        .map_err(opening(path))?;
    migrate(&conn, path)?;
    conn.execute_batch("PRAGMA temp.cache_size = -2048;").map_err(opening(path))?;
    conn.execute_batch(STAGING).map_err(opening(path))?;
    // Every statement of the writer is fixed text: all of them stay prepared.
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// Opens the connection of the background checkpoints.
pub(crate) fn open_checkpointer(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(opening(path))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(opening(path))?;
    Ok(conn)
}

/// Opens a connection for reading beside the writer.
pub(crate) fn open_reader(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(opening(path))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(opening(path))?;
    conn.execute_batch("PRAGMA query_only = ON; PRAGMA temp_store = FILE;").map_err(opening(path))?;
    Ok(conn)
}

/// Refuses files that are SQLite databases of something else.
fn check_identity(conn: &Connection, path: &Path) -> Result<()> {
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(opening(path))?;
    if app_id == APPLICATION_ID {
        return Ok(());
    }
    let tables: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(opening(path))?;
    if app_id != 0 || tables > 0 {
        return Err(StoreError::NotAStore { path: path.display().to_string() });
    }
    Ok(())
}

fn user_version(conn: &Connection, path: &Path) -> Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(opening(path))
}

fn newer(path: &Path, found: i64) -> StoreError {
    StoreError::NewerSchema { path: path.display().to_string(), found, supported: SCHEMA_VERSION }
}

/// Applies the missing migrations in one transaction.
fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let found = user_version(conn, path)?;
    if found > SCHEMA_VERSION {
        return Err(newer(path, found));
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    conn.execute_batch("BEGIN IMMEDIATE").map_err(opening(path))?;
    let result = (|| {
        // Another process may have migrated while we waited for the lock.
        let found = user_version(conn, path)?;
        if found > SCHEMA_VERSION {
            return Err(newer(path, found));
        }
        let start = usize::try_from(found).unwrap_or(0);
        for sql in MIGRATIONS.iter().skip(start) {
            conn.execute_batch(sql).map_err(opening(path))?;
        }
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
        ))
        .map_err(opening(path))?;
        Ok(())
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT").map_err(opening(path)),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}
