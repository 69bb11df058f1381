//! The one error type of the store. Messages are lowercase and say what went
//! wrong and what to do about it.

use roster_core::ErrorKind;

/// Why a store operation failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store file could not be created, opened or prepared.
    #[error(
        "could not open the store at {path}: {detail}; check that the path is correct, \
         that its directory is writable and that the disk has free space"
    )]
    Open { path: String, detail: String },

    /// The Postgres server could not be reached, or refused the connection.
    #[error(
        "could not open the store at {url}: {detail}; check the host, port, user and password, \
         and that sslmode and sslrootcert suit the server (DEPLOYMENT.md)"
    )]
    Unreachable { url: String, detail: String },

    /// A key of the Postgres store URL has a value Roster cannot use. `url`
    /// is shown without its password.
    #[error("store url {url}: {detail}; fix the store url (DEPLOYMENT.md lists its forms)")]
    BadUrl { url: String, detail: String },

    /// The file exists but is not a Roster store.
    #[error(
        "the file at {path} is not a roster store; point roster at a new path or at an \
         existing roster store"
    )]
    NotAStore { path: String },

    /// The store was written by a newer Roster with a schema this build does
    /// not know.
    #[error(
        "the store at {path} has schema version {found}, newer than the version {supported} \
         this roster knows; upgrade roster to open it"
    )]
    NewerSchema { path: String, found: i64, supported: i64 },

    /// A read or a write failed.
    #[error(
        "the store failed: {0}; check that the store is writable and the disk has free \
         space, then try again"
    )]
    Database(String),

    /// Something stored could not be read back.
    #[error(
        "the store holds data this roster cannot read: {0}; report this to the roster \
         maintainers"
    )]
    Corrupt(String),

    /// The caller passed something the store cannot accept.
    #[error("{0}")]
    Invalid(String),

    /// The sync run is unknown or already finished.
    #[error("sync run {0} is not in progress; begin a new sync")]
    RunNotActive(i64),

    /// `report` was asked about an account that was never synced.
    #[error("no account named `{0}` in the store; sync it first")]
    UnknownAccount(String),

    /// The runner's lease on the account expired and another runner claimed
    /// it; this runner's sync must not land.
    #[error(
        "the lease on account `{0}` was lost (it expired and another runner took the account); \
         this sync's results were not stored"
    )]
    LeaseLost(String),

    /// The account is being synced, so its data cannot be pruned now.
    #[error("account `{0}` is being synced now; prune it once that sync has ended")]
    AccountBusy(String),

    /// The store's writer stopped, so nothing more can be written.
    #[error("the store was closed or its writer stopped; open the store again")]
    Closed,
}

impl StoreError {
    /// The connector error kind a sync should report for this failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            StoreError::Invalid(_) | StoreError::RunNotActive(_) => ErrorKind::Internal,
            StoreError::LeaseLost(_) => ErrorKind::Interrupted,
            _ => ErrorKind::Store,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Database(lowercase_first(&e.to_string()))
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        StoreError::Database(lowercase_first(&crate::pg::db_message(&e)))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(format!("invalid json: {e}"))
    }
}

/// SQLite messages start with a capital now and then; ours never do.
pub(crate) fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(crate) type Result<T, E = StoreError> = std::result::Result<T, E>;
