//! `kill -9` during a sync and during its commit: the store opens cleanly,
//! the previous snapshot is intact and the next sync works.
//!
//! The parent test re-runs this test binary as a child that syncs and is
//! killed; `crash_child` does nothing unless the child variables are set.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use roster_store::{Outcome, Store, SyncFinish};

use crate::common::*;

const CHILD_DB: &str = "ROSTER_STORE_TEST_CHILD_DB";
const CHILD_MODE: &str = "ROSTER_STORE_TEST_CHILD_MODE";
const CHILD_MARKER: &str = "ROSTER_STORE_TEST_CHILD_MARKER";

#[test]
fn crash_child() {
    let (Ok(db), Ok(mode), Ok(marker)) =
        (std::env::var(CHILD_DB), std::env::var(CHILD_MODE), std::env::var(CHILD_MARKER))
    else {
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let store = Store::open(&db).await.unwrap();
        let mut w = store.begin("acme", "test").await.unwrap();
        // Everyone renamed, and the last ten gone.
        let mut changed = users(0..990);
        for u in &mut changed {
            u.name = Some("Renamed".into());
        }
        for chunk in changed.chunks(500) {
            w.users(chunk.to_vec()).await.unwrap();
        }
        // New users too: they are written to the file at once, so the
        // next open must delete them.
        w.users(users(2000..2100)).await.unwrap();
        if mode == "sync" {
            std::fs::write(&marker, b"staged").unwrap();
            tokio::time::sleep(Duration::from_secs(120)).await;
        } else {
            let finish = tokio::spawn(w.finish(SyncFinish::default()));
            tokio::time::sleep(Duration::from_millis(300)).await;
            std::fs::write(&marker, b"committing").unwrap();
            let _ = finish.await;
        }
    });
}

fn wait_for(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !path.exists() {
        assert!(Instant::now() < deadline, "the child never got there");
        std::thread::sleep(Duration::from_millis(20));
    }
}

async fn killed_at(fx: Fixture, mode: &str) {
    let db = fx.location().to_owned();
    let marker = fx.dir.path().join(format!("child.{mode}"));
    let store = fx.open().await;
    sync(&store, "acme", users(0..1000), SyncFinish::default()).await;
    let before = stored_json(&store, "acme").await;
    drop(store);

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash::crash_child", "--test-threads=1", "--nocapture"])
        .env(CHILD_DB, &db)
        .env(CHILD_MODE, mode)
        .env(CHILD_MARKER, &marker)
        .env(roster_store::PAUSE_BEFORE_COMMIT_ENV, "120000")
        .spawn()
        .unwrap();
    tokio::task::spawn_blocking(move || wait_for(&marker)).await.unwrap();
    // Let the commit reach its pause, inside the transaction.
    tokio::time::sleep(Duration::from_millis(500)).await;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let store = fx.open().await;
    assert_eq!(stored_json(&store, "acme").await, before);
    let runs = history(&store, "acme").await;
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].outcome, Outcome::Interrupted);
    assert_eq!(runs[0].finished_at, None);
    assert_eq!(runs[1].outcome, Outcome::Ok);

    let s = sync(&store, "acme", users(0..995), SyncFinish::default()).await;
    assert_eq!((s.outcome, s.seen, s.removed, s.changed), (Outcome::Ok, 995, 5, 0));
}

store_test!(killed_during_a_sync, fx, {
    killed_at(fx, "sync").await;
});

store_test!(killed_during_a_commit, fx, {
    killed_at(fx, "commit").await;
});
