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
