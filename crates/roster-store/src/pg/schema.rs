//! Versioned migrations for Postgres, applied at start-up in one
//! transaction under an advisory lock, so that runners starting together
//! migrate once. A schema newer than this build knows is refused.
//!
//! Tables go to the first schema of the connection's `search_path`; give
//! roster a database or a schema of its own. Timestamps are microseconds
//! since the Unix epoch (UTC) and lists and maps JSON text, as in SQLite, so
//! both backends share their codec.

use tokio_postgres::Client;

use crate::error::{Result, StoreError};

/// Migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[V1, super::lease::V2, super::audit::V3, super::history::V4];

/// The newest schema version this build knows.
pub(crate) const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// The advisory lock key that serializes migrations ("RSTRMIGR").
const MIGRATION_LOCK: i64 = 0x5253_5452_4d49_4752;

const V1: &str = "
CREATE TABLE accounts (
    account_pk        BIGSERIAL PRIMARY KEY,
    account           TEXT NOT NULL UNIQUE,
    connector         TEXT NOT NULL,
    tenant_id         TEXT,
    tenant_name       TEXT,
    plan              TEXT,
    record_attributes TEXT,
    state             TEXT,
    last_good_run_id  BIGINT
);

-- runner_key: the advisory lock its store holds while it lives; a run whose
-- runner no longer holds it was left behind by a process that died.
CREATE TABLE sync_runs (
    run_id          BIGSERIAL PRIMARY KEY,
    account_pk      BIGINT NOT NULL,
    connector       TEXT NOT NULL,
    started_at      BIGINT NOT NULL,
    finished_at     BIGINT,
    outcome         TEXT,
    seen            BIGINT NOT NULL DEFAULT 0,
    added           BIGINT NOT NULL DEFAULT 0,
    changed         BIGINT NOT NULL DEFAULT 0,
    removed         BIGINT NOT NULL DEFAULT 0,
    restored        BIGINT NOT NULL DEFAULT 0,
    skipped         BIGINT NOT NULL DEFAULT 0,
    error_kind      TEXT,
    message         TEXT,
    remediation     TEXT,
    notes           TEXT,
    degraded_reason TEXT,
    runner_key      BIGINT
);
CREATE INDEX sync_runs_by_account ON sync_runs (account_pk, run_id);
CREATE INDEX sync_runs_open ON sync_runs (run_id) WHERE outcome IS NULL;

CREATE TABLE users (
    account_pk    BIGINT NOT NULL,
    user_id       TEXT NOT NULL,
    email         TEXT,
    name          TEXT,
    status        TEXT NOT NULL,
    last_visit_at BIGINT,
    roles         TEXT NOT NULL,
    license_types TEXT NOT NULL,
    attributes    TEXT NOT NULL,
    hash          BIGINT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    removed_at    BIGINT,
    PRIMARY KEY (account_pk, user_id)
);

CREATE TABLE user_events (
    account_pk BIGINT NOT NULL,
    user_id    TEXT NOT NULL,
    run_id     BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (account_pk, user_id, run_id)
);

CREATE TABLE licenses (
    account_pk BIGINT NOT NULL,
    name       TEXT NOT NULL,
    assigned   BIGINT NOT NULL,
    total      BIGINT,
    PRIMARY KEY (account_pk, name)
);

-- Users staged by in-progress runs. Never read but by their own run's
-- commit; unlogged, since a run does not outlive a server crash anyway.
CREATE UNLOGGED TABLE staged_users (
    run_id        BIGINT NOT NULL,
    user_id       TEXT NOT NULL,
    email         TEXT,
    name          TEXT,
    status        TEXT NOT NULL,
    last_visit_at BIGINT,
    roles         TEXT NOT NULL,
    license_types TEXT NOT NULL,
    attributes    TEXT NOT NULL,
    hash          BIGINT NOT NULL,
    PRIMARY KEY (run_id, user_id)
);
";

/// Brings the schema up to date; `shown` names the store in errors.
pub(crate) async fn migrate(client: &mut Client, shown: &str) -> Result<()> {
    let open = |e: tokio_postgres::Error| StoreError::Open {
        path: shown.to_owned(),
        detail: crate::error::lowercase_first(&super::db_message(&e)),
    };
    let tx = client.transaction().await.map_err(open)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(open)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS roster_schema (
             version    INTEGER PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .await
    .map_err(open)?;
    let found: i32 =
        tx.query_one("SELECT coalesce(max(version), 0) FROM roster_schema", &[]).await.map_err(open)?.get(0);
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: shown.to_owned(),
            found: i64::from(found),
            supported: i64::from(SCHEMA_VERSION),
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(usize::try_from(found).unwrap_or(0)) {
        tx.batch_execute(sql).await.map_err(open)?;
        let version = i32::try_from(i + 1).unwrap_or(i32::MAX);
        tx.execute("INSERT INTO roster_schema (version) VALUES ($1)", &[&version]).await.map_err(open)?;
    }
    tx.commit().await.map_err(open)
}
