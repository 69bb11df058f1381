//! The totals kept after each committed sync, and the users one sync touched.

use roster_core::{LicenseType, UserStatus};
use roster_store::{Outcome, RunEvent, SyncFinish, UserEventKind};

use crate::common::*;

fn kinds(events: &[RunEvent]) -> Vec<(&str, UserEventKind)> {
    events.iter().map(|e| (e.user_id.as_str(), e.kind)).collect()
}

store_test!(every_committed_sync_keeps_its_totals_and_events, fx, {
    let store = fx.open().await;
    let licensed = |assigned| SyncFinish {
        licenses: vec![LicenseType { name: "pro".into(), assigned, total: Some(10) }],
        ..Default::default()
    };
    let first = sync(&store, "acme", users(0..4), licensed(4)).await;
    let mut second = users(1..5);
    second[0].status = UserStatus::Suspended;
    let second_run = sync(&store, "acme", second, licensed(3)).await;
    // A failed sync is no point: it changed nothing.
    let mut w = store.begin("acme", "test").await.unwrap();
    w.users(users(0..1)).await.unwrap();
    w.abort(roster_store::Failure {
        outcome: Outcome::Failed,
        error_kind: "transient".into(),
        message: "boom".into(),
        remediation: String::new(),
    })
    .await
    .unwrap();

    let points = store.history_points("acme", 10).await.unwrap();
    assert_eq!(points.len(), 2, "{points:?}");
    assert_eq!(points[0].run_id, first.run_id);
    assert_eq!((points[0].users.active, points[0].users.removed), (4, 0));
    assert_eq!(points[0].licenses, [LicenseType { name: "pro".into(), assigned: 4, total: Some(10) }]);
    assert_eq!(points[1].run_id, second_run.run_id);
    assert_eq!(points[1].outcome, Outcome::Ok);
    let u = points[1].users;
    assert_eq!((u.active, u.suspended, u.removed), (3, 1, 1));
    assert_eq!(points[1].licenses[0].assigned, 3);
    assert_eq!(store.history_points("acme", 1).await.unwrap()[0].run_id, second_run.run_id);

    let (events, total) = store.run_events("acme", first.run_id, 100).await.unwrap();
    assert_eq!(total, 4);
    assert!(events.iter().all(|e| e.kind == UserEventKind::Added), "{events:?}");
    assert_eq!(events[0].email.as_deref(), Some("u00000@example.com"));
    let (events, total) = store.run_events("acme", second_run.run_id, 100).await.unwrap();
    assert_eq!(total, 3);
    assert_eq!(
        kinds(&events),
        [
            ("u00004", UserEventKind::Added),
            ("u00001", UserEventKind::Changed),
            ("u00000", UserEventKind::Removed)
        ]
    );
    let (events, total) = store.run_events("acme", second_run.run_id, 1).await.unwrap();
    assert_eq!((events.len(), total), (1, 3));
    assert!(store.history_points("nobody", 10).await.unwrap().is_empty());
});

store_test!(pruning_an_account_removes_its_data_and_keeps_the_others, fx, {
    let store = fx.open().await;
    sync(&store, "gone", users(0..3), SyncFinish::default()).await;
    let mut second = users(1..3);
    second[0].status = UserStatus::Suspended;
    sync(&store, "gone", second, SyncFinish::default()).await;
    sync(&store, "kept", users(0..2), SyncFinish::default()).await;

    // Not while a sync of it is open.
    let w = store.begin("gone", "test").await.unwrap();
    let err = store.prune("gone").await.unwrap_err();
    assert!(matches!(err, roster_store::StoreError::AccountBusy(_)), "{err}");
    drop(w);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    let pruned = store.prune("gone").await.unwrap();
    assert_eq!((pruned.runs, pruned.users), (3, 3), "{pruned:?}");
    assert!(store.accounts().await.unwrap().iter().all(|a| a.account != "gone"));
    assert!(store.history_points("gone", 10).await.unwrap().is_empty());
    assert!(stored(&store, "gone").await.is_empty());
    assert_eq!(stored(&store, "kept").await.len(), 2);
    assert_eq!(store.history_points("kept", 10).await.unwrap().len(), 1);
    let err = store.prune("gone").await.unwrap_err();
    assert!(matches!(err, roster_store::StoreError::UnknownAccount(_)), "{err}");
    // Synced again, it starts afresh.
    let s = sync(&store, "gone", users(0..1), SyncFinish::default()).await;
    assert_eq!(s.added, 1);
});
