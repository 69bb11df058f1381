//! Failed, aborted and abandoned syncs change nothing but the history.

use roster_core::UserStatus;
use roster_store::{FailedRun, Failure, Outcome, SyncFinish};
use serde_json::json;

use crate::common::*;

fn failure() -> Failure {
    Failure {
        outcome: Outcome::Failed,
        error_kind: "invalid_credentials".into(),
        message: "the token was revoked".into(),
        remediation: "create a new token".into(),
    }
}

store_test!(an_aborted_sync_leaves_the_data_identical, fx, {
    let store = fx.open().await;
    let finish = SyncFinish { state: Some(json!({"cursor": 1})), ..Default::default() };
    sync(&store, "acme", users(0..600), finish).await;
    let before = stored_json(&store, "acme").await;
    let accounts_before = serde_json::to_string(&store.accounts().await.unwrap()[0].users).unwrap();

    let mut w = store.begin("acme", "test").await.unwrap();
    let mut changed = users(0..700);
    for u in &mut changed {
        u.status = UserStatus::Suspended;
    }
    let (a, b) = changed.split_at(500);
    w.users(a.to_vec()).await.unwrap();
    w.users(b.to_vec()).await.unwrap();
    w.abort(failure()).await.unwrap();

    assert_eq!(stored_json(&store, "acme").await, before);
    assert_eq!(serde_json::to_string(&store.accounts().await.unwrap()[0].users).unwrap(), accounts_before);
    assert_eq!(store.previous_state("acme").await.unwrap(), Some(json!({"cursor": 1})));
    let runs = history(&store, "acme").await;
    assert_eq!(runs[0].outcome, Outcome::Failed);
    assert_eq!(runs[0].error_kind.as_deref(), Some("invalid_credentials"));
    assert_eq!(runs[0].message.as_deref(), Some("the token was revoked"));
    assert_eq!(runs[0].remediation.as_deref(), Some("create a new token"));
    assert_eq!(runs[0].seen, 700);
    assert_eq!(runs[0].added + runs[0].changed + runs[0].removed, 0);
    assert!(runs[0].finished_at.is_some());

    // The next sync works and sees only what it stages itself.
    let s = sync(&store, "acme", users(0..600), SyncFinish::default()).await;
    assert_eq!((s.seen, s.added, s.changed, s.removed), (600, 0, 0, 0));
    assert_eq!(stored_json(&store, "acme").await, before);
});

store_test!(a_dropped_writer_is_interrupted_and_the_store_reopens, fx, {
    let store = fx.open().await;
    sync(&store, "acme", users(0..100), SyncFinish::default()).await;
    let before = stored_json(&store, "acme").await;

    let mut w = store.begin("acme", "test").await.unwrap();
    w.users(users(0..10)).await.unwrap();
    drop(w);
    drop(store);

    let store = fx.open().await;
    assert_eq!(stored_json(&store, "acme").await, before);
    // Recorded at once by SQLite's writer, a moment later by Postgres.
    for _ in 0..200 {
        if !history(&store, "acme").await.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let runs = history(&store, "acme").await;
    assert_eq!(runs[0].outcome, Outcome::Interrupted);
    assert_eq!(runs[0].error_kind.as_deref(), Some("interrupted"));
    let s = sync(&store, "acme", users(0..100), SyncFinish::default()).await;
    assert_eq!((s.outcome, s.seen, s.removed), (Outcome::Ok, 100, 0));
});

store_test!(a_run_left_open_by_a_live_store_is_not_taken_for_an_orphan, fx, {
    let first = fx.open().await;
    let mut w = first.begin("acme", "test").await.unwrap();
    w.users(users(0..10)).await.unwrap();

    // A second store on the same file, as another process would open it.
    let second = fx.open().await;
    assert!(history(&second, "acme").await.is_empty());
    let s = w.finish(SyncFinish::default()).await.unwrap();
    assert_eq!(s.added, 10);
    assert_eq!(stored(&second, "acme").await.len(), 10);
});

store_test!(failures_before_begin_are_recorded, fx, {
    let store = fx.open().await;
    store
        .record_failure(FailedRun {
            account: "broken".into(),
            connector: "workato".into(),
            started_at: t(2),
            finished_at: t(2),
            outcome: Outcome::Failed,
            error_kind: "config".into(),
            message: "credentials.token is missing".into(),
            remediation: "fix the account's configuration file".into(),
        })
        .await
        .unwrap();
    let accounts = store.accounts().await.unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].connector, "workato");
    let last = accounts[0].last_run.as_ref().unwrap();
    assert_eq!(last.outcome, Outcome::Failed);
    assert_eq!(last.error_kind.as_deref(), Some("config"));
    assert_eq!(last.finished_at, Some(t(2)));
    assert_eq!(accounts[0].last_good_at, None);
    assert_eq!(accounts[0].users.present(), 0);
    assert_eq!(store.previous_state("broken").await.unwrap(), None);

    let err = store
        .record_failure(FailedRun {
            account: "broken".into(),
            connector: "workato".into(),
            started_at: t(2),
            finished_at: t(2),
            outcome: Outcome::Ok,
            error_kind: String::new(),
            message: String::new(),
            remediation: String::new(),
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("failed or interrupted"), "{err}");
});

store_test!(an_abort_with_a_success_outcome_is_refused_and_interrupts, fx, {
    let store = fx.open().await;
    let mut w = store.begin("acme", "test").await.unwrap();
    w.users(users(0..5)).await.unwrap();
    let err = w.abort(Failure { outcome: Outcome::Ok, ..failure() }).await.unwrap_err();
    assert!(err.to_string().contains("failed or interrupted"), "{err}");
    // The dropped writer records the run as interrupted.
    for _ in 0..100 {
        if !history(&store, "acme").await.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(history(&store, "acme").await[0].outcome, Outcome::Interrupted);
    assert!(stored(&store, "acme").await.is_empty());
});

store_test!(a_failed_first_sync_leaves_no_users_and_the_next_adds_them, fx, {
    let store = fx.open().await;
    let mut w = store.begin("acme", "test").await.unwrap();
    w.users(users(0..200)).await.unwrap();
    w.abort(failure()).await.unwrap();
    assert!(stored(&store, "acme").await.is_empty());
    assert_eq!(history(&store, "acme").await[0].seen, 200);

    let mut w = store.begin("acme", "test").await.unwrap();
    w.users(users(0..50)).await.unwrap();
    drop(w);
    drop(store);
    let store = fx.open().await;
    assert!(stored(&store, "acme").await.is_empty());

    let s = sync(&store, "acme", users(0..200), SyncFinish::default()).await;
    assert_eq!((s.outcome, s.seen, s.added), (Outcome::Ok, 200, 200));
    assert!(store.user_events("acme", "u00001").await.unwrap().len() == 1);
});
