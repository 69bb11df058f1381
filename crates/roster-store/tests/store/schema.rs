//! Opening: new files, newer schemas, files that are not stores.

use roster_store::{Store, StoreError, SyncFinish};
use tempfile::TempDir;

use crate::common::*;

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    sync(&store, "acme", users(0..3), SyncFinish::default()).await;
    drop(store);
    {
        let conn = rusqlite::Connection::open(db_path(&dir)).unwrap();
        conn.execute_batch("PRAGMA user_version = 99").unwrap();
    }
    let err = Store::open(&db_path(&dir)).await.unwrap_err();
    assert!(matches!(err, StoreError::NewerSchema { found: 99, .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("newer") && msg.contains("upgrade roster"), "{msg}");
    assert!(msg.contains(&db_path(&dir)), "{msg}");
    let rest = msg.replace(&db_path(&dir), "");
    assert_eq!(rest, rest.to_lowercase());
}

#[tokio::test]
async fn a_file_that_is_not_a_store_is_refused() {
    let dir = TempDir::new().unwrap();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![7u8; 8192]).unwrap();
    let err = Store::open(garbage.to_str().unwrap()).await.unwrap_err();
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err:?}");

    let other = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE t (x)").unwrap();
    }
    let err = Store::open(other.to_str().unwrap()).await.unwrap_err();
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err:?}");
}

#[tokio::test]
async fn an_unusable_path_names_the_path() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, b"x").unwrap();
    let path = file.join("store.db");
    let err = Store::open(path.to_str().unwrap()).await.unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("could not open the store at"), "{msg}");
    assert!(msg.contains(path.to_str().unwrap()), "{msg}");
}

#[tokio::test]
async fn reopening_keeps_everything() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    sync(&store, "acme", users(0..3), SyncFinish::default()).await;
    let before = stored_json(&store, "acme").await;
    drop(store);
    let store = open(&dir).await;
    assert_eq!(stored_json(&store, "acme").await, before);
    assert_eq!(history(&store, "acme").await.len(), 1);
}

store_test!(a_newer_schema_is_refused_on_every_backend, fx, {
    let store = fx.open().await;
    sync(&store, "acme", users(0..3), SyncFinish::default()).await;
    drop(store);
    if fx.location().starts_with("postgres") {
        let (client, conn) = tokio_postgres::connect(fx.location(), tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        client.batch_execute("INSERT INTO roster_schema (version) VALUES (99)").await.unwrap();
    } else {
        let conn = rusqlite::Connection::open(fx.location()).unwrap();
        conn.execute_batch("PRAGMA user_version = 99").unwrap();
    }
    let err = Store::open(fx.location()).await.unwrap_err();
    assert!(matches!(err, StoreError::NewerSchema { found: 99, .. }), "{err:?}");
    assert!(err.to_string().contains("upgrade roster"), "{err}");
});

#[tokio::test]
async fn a_postgres_password_never_shows_in_errors() {
    let err = Store::open("postgres://roster:s3cr3t-pw@127.0.0.1:1/roster").await.unwrap_err();
    let msg = err.to_string();
    assert!(!msg.contains("s3cr3t-pw"), "{msg}");
    assert!(msg.starts_with("could not open the store at postgres://roster:***@127.0.0.1:1/roster"), "{msg}");
}
