//! Helpers shared by the store tests.

use chrono::{DateTime, TimeZone, Utc};
use roster_core::{RoleAssignment, User, UserStatus};
use roster_store::{CommitSummary, Store, StoredUser, SyncFinish, SyncRun};
use tempfile::TempDir;

pub fn db_path(dir: &TempDir) -> String {
    dir.path().join("data").join("roster.db").to_str().unwrap().to_owned()
}

pub async fn open(dir: &TempDir) -> Store {
    Store::open(&db_path(dir)).await.unwrap()
}

pub fn t(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, day, 17, 22, 33).unwrap()
}

pub fn user(id: &str) -> User {
    let mut u = User::new(id, UserStatus::Active);
    u.email = Some(format!("{id}@example.com"));
    u.name = Some(format!("User {id}"));
    u.last_visit_at = Some(t(1));
    u.roles = vec![RoleAssignment::new("account", "member")];
    u.license_types = vec!["pro".into()];
    u.attributes.insert("department".into(), serde_json::json!("engineering"));
    u
}

pub fn users(range: std::ops::Range<u32>) -> Vec<User> {
    range.map(|i| user(&format!("u{i:05}"))).collect()
}

/// Runs one sync of `users` in batches of 500.
pub async fn sync(store: &Store, account: &str, users: Vec<User>, finish: SyncFinish) -> CommitSummary {
    let mut w = store.begin(account, "test").await.unwrap();
    let mut users = users.into_iter().peekable();
    while users.peek().is_some() {
        let batch: Vec<User> = users.by_ref().take(500).collect();
        w.users(batch).await.unwrap();
    }
    w.finish(finish).await.unwrap()
}

pub async fn stored(store: &Store, account: &str) -> Vec<StoredUser> {
    let (tx, rx) = std::sync::mpsc::channel();
    store
        .for_each_user(&[account.to_owned()], move |u| {
            let _ = tx.send(u);
        })
        .await
        .unwrap();
    rx.try_iter().collect()
}

pub async fn stored_json(store: &Store, account: &str) -> String {
    serde_json::to_string(&stored(store, account).await).unwrap()
}

pub async fn find(store: &Store, account: &str, id: &str) -> StoredUser {
    stored(store, account).await.into_iter().find(|u| u.id == id).unwrap()
}

pub async fn history(store: &Store, account: &str) -> Vec<SyncRun> {
    store.history(account, 100).await.unwrap()
}

/// Bytes the database occupies once its write-ahead log is checkpointed.
pub fn db_bytes(path: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    let size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    pages * size
}

/// Where a test's store lives: a SQLite file in a temp dir, or a schema of
/// its own in the Postgres database named by `ROSTER_TEST_POSTGRES_URL`.
pub struct Fixture {
    pub dir: TempDir,
    location: String,
}

/// The variable naming the Postgres database the tests may use.
pub const POSTGRES_URL_ENV: &str = "ROSTER_TEST_POSTGRES_URL";

impl Fixture {
    pub fn sqlite() -> Fixture {
        let dir = TempDir::new().unwrap();
        let location = db_path(&dir);
        Fixture { dir, location }
    }

    /// A fresh schema in the test database, or `None` (with a note) when no
    /// database is configured. Under CI a missing database is a failure.
    pub async fn postgres() -> Option<Fixture> {
        let Ok(url) = std::env::var(POSTGRES_URL_ENV) else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{POSTGRES_URL_ENV} must be set in CI: the postgres store tests cannot be skipped there"
            );
            eprintln!("note: skipping the postgres variant: set {POSTGRES_URL_ENV} to run it");
            return None;
        };
        let schema = format!("t_{:016x}", rand_u64());
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        client.batch_execute(&format!("CREATE SCHEMA {schema}")).await.unwrap();
        let sep = if url.contains('?') { '&' } else { '?' };
        let location = format!("{url}{sep}options=-csearch_path%3D{schema}");
        Some(Fixture { dir: TempDir::new().unwrap(), location })
    }

    pub fn location(&self) -> &str {
        &self.location
    }

    pub async fn open(&self) -> Store {
        Store::open(&self.location).await.unwrap()
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}

/// Defines a store test run against both backends: `NAME::sqlite` and
/// `NAME::postgres`. The body gets the fixture as `$fx`.
macro_rules! store_test {
    ($name:ident, $fx:ident, $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($fx: crate::common::Fixture) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                body(crate::common::Fixture::sqlite()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(fx) = crate::common::Fixture::postgres().await {
                    body(fx).await;
                }
            }
        }
    };
}
