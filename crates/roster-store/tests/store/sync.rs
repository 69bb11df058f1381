//! Successful syncs: snapshots, changes, removals, restorations, state.

use roster_core::{AttributeRef, LicenseType, RoleAssignment, RoleRef, TenantRecord, UserRef, UserStatus};
use roster_store::{Outcome, SyncFinish, UserEventKind};
use serde_json::json;
use tempfile::TempDir;

use crate::common::*;

store_test!(first_sync_stores_every_user, fx, {
    let store = fx.open().await;
    let mut u2 = user("u2");
    u2.status = UserStatus::Invited;
    u2.last_visit_at = None;
    u2.roles = vec![RoleAssignment::new("dev", "admin"), RoleAssignment::new("account", "owner")];
    let finish = SyncFinish {
        account: Some(TenantRecord {
            tenant_id: "t-1".into(),
            name: Some("Acme".into()),
            plan: Some("enterprise".into()),
            attributes: Default::default(),
        }),
        licenses: vec![LicenseType { name: "pro".into(), assigned: 2, total: Some(10) }],
        notes: vec!["used the fallback endpoint".into()],
        ..Default::default()
    };
    let summary = sync(&store, "acme", vec![user("u1"), u2], finish).await;
    assert_eq!(summary.outcome, Outcome::Ok);
    assert_eq!((summary.seen, summary.added, summary.changed), (2, 2, 0));
    assert_eq!((summary.removed, summary.restored), (0, 0));

    let users = stored(&store, "acme").await;
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].id, "u1");
    assert_eq!(users[0].connector, "test");
    assert_eq!(users[0].status, "active");
    assert_eq!(users[0].email.as_deref(), Some("u1@example.com"));
    assert_eq!(users[0].last_visit_at, Some(t(1)));
    assert_eq!(users[0].license_types, vec!["pro".to_owned()]);
    assert_eq!(users[0].attributes["department"], json!("engineering"));
    assert_eq!(users[0].removed_at, None);
    assert_eq!(users[1].status, "invited");
    assert_eq!(users[1].roles.len(), 2);

    let v = serde_json::to_value(&users[0]).unwrap();
    assert_eq!(v["last_visit_at"], json!("2024-05-01T17:22:33Z"));
    assert!(v["first_seen_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(v["removed_at"], json!(null));

    let runs = history(&store, "acme").await;
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].run_id, summary.run_id);
    assert_eq!(runs[0].outcome, Outcome::Ok);
    assert_eq!(runs[0].added, 2);
    assert_eq!(runs[0].notes, vec!["used the fallback endpoint".to_owned()]);
    assert!(runs[0].finished_at.is_some());

    let accounts = store.accounts().await.unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].users.active, 1);
    assert_eq!(accounts[0].users.invited, 1);
    assert_eq!(accounts[0].record.as_ref().unwrap().tenant_id, "t-1");
    assert_eq!(accounts[0].last_run.as_ref().unwrap().outcome, Outcome::Ok);
    assert!(accounts[0].last_good_at.is_some());

    let events = store.user_events("acme", "u1").await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, UserEventKind::Added);
    assert_eq!(events[0].run_id, summary.run_id);
});

#[tokio::test]
async fn unchanged_resync_writes_no_events_and_barely_grows_the_file() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    let path = db_path(&dir);
    let licenses = vec![LicenseType { name: "pro".into(), assigned: 1000, total: None }];
    let finish = || SyncFinish {
        licenses: licenses.clone(),
        state: Some(json!({"cursor": "abc"})),
        ..Default::default()
    };
    // An account synced before, so the first sync below is not the file's first.
    sync(&store, "other", users(0..10), finish()).await;
    let before = db_bytes(&path);
    let t0 = std::time::Instant::now();
    let first = sync(&store, "acme", users(0..1000), finish()).await;
    let first_time = t0.elapsed();
    let after_first = db_bytes(&path);
    assert_eq!(first.added, 1000);

    let t1 = std::time::Instant::now();
    let second = sync(&store, "acme", users(0..1000), finish()).await;
    let second_time = t1.elapsed();
    let after_second = db_bytes(&path);
    assert_eq!(second.outcome, Outcome::Ok);
    assert_eq!((second.seen, second.added, second.changed, second.removed), (1000, 0, 0, 0));
    let first_growth = after_first - before;
    let second_growth = after_second - after_first;
    assert!(first_growth > 0);
    assert!(
        second_growth * 20 <= first_growth,
        "re-sync grew the file by {second_growth} bytes, the first sync by {first_growth}"
    );
    for id in ["u00000", "u00999"] {
        assert_eq!(store.user_events("acme", id).await.unwrap().len(), 1);
    }
    eprintln!("first sync {first_time:?}, unchanged re-sync {second_time:?}");
}

store_test!(absent_user_is_removed_and_comes_back, fx, {
    let store = fx.open().await;
    let first = sync(&store, "acme", users(0..4), SyncFinish::default()).await;
    let seen_at = find(&store, "acme", "u00003").await.first_seen_at;

    let second = sync(&store, "acme", users(0..3), SyncFinish::default()).await;
    assert_eq!(second.outcome, Outcome::Ok);
    assert_eq!(second.removed, 1);
    let gone = find(&store, "acme", "u00003").await;
    assert_eq!(gone.status, "removed");
    assert!(gone.removed_at.is_some());
    assert_eq!(gone.first_seen_at, seen_at);
    assert_eq!(gone.email.as_deref(), Some("u00003@example.com"));

    // Removed users stay removed without another event.
    let third = sync(&store, "acme", users(0..3), SyncFinish::default()).await;
    assert_eq!((third.removed, third.changed), (0, 0));

    let mut back = user("u00003");
    back.status = UserStatus::Suspended;
    let mut all = users(0..3);
    all.push(back);
    let fourth = sync(&store, "acme", all, SyncFinish::default()).await;
    assert_eq!((fourth.restored, fourth.added, fourth.removed), (1, 0, 0));
    let back = find(&store, "acme", "u00003").await;
    assert_eq!(back.status, "suspended");
    assert_eq!(back.removed_at, None);
    assert_eq!(back.first_seen_at, seen_at);

    let kinds: Vec<_> =
        store.user_events("acme", "u00003").await.unwrap().into_iter().map(|e| (e.run_id, e.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (first.run_id, UserEventKind::Added),
            (second.run_id, UserEventKind::Removed),
            (fourth.run_id, UserEventKind::Restored),
        ]
    );
});

store_test!(changes_are_counted_and_first_seen_is_kept, fx, {
    let store = fx.open().await;
    sync(&store, "acme", users(0..3), SyncFinish::default()).await;
    let seen_at = find(&store, "acme", "u00001").await.first_seen_at;

    let mut all = users(0..3);
    all[0].last_visit_at = Some(t(20)); // a visit alone is no change
    all[1].roles.push(RoleAssignment::new("dev", "admin"));
    all[2].roles.reverse(); // neither is order
    all.push(user("u00003"));
    let s = sync(&store, "acme", all, SyncFinish::default()).await;
    assert_eq!((s.seen, s.added, s.changed, s.removed), (4, 1, 1, 0));

    let u0 = find(&store, "acme", "u00000").await;
    assert_eq!(u0.last_visit_at, Some(t(20)));
    let u1 = find(&store, "acme", "u00001").await;
    assert_eq!(u1.first_seen_at, seen_at);
    assert_eq!(u1.roles.len(), 2);
    let kinds: Vec<_> =
        store.user_events("acme", "u00001").await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![UserEventKind::Added, UserEventKind::Changed]);
});

store_test!(a_repeated_id_keeps_the_last_record, fx, {
    let store = fx.open().await;
    let mut w = store.begin("acme", "test").await.unwrap();
    let mut late = user("u1");
    late.name = Some("Late".into());
    w.users(vec![user("u1"), user("u2")]).await.unwrap();
    w.users(vec![late]).await.unwrap();
    let s = w.finish(SyncFinish::default()).await.unwrap();
    assert_eq!((s.seen, s.added), (2, 2));
    assert_eq!(find(&store, "acme", "u1").await.name.as_deref(), Some("Late"));
});

store_test!(previous_state_comes_from_the_last_successful_sync, fx, {
    let store = fx.open().await;
    assert_eq!(store.previous_state("acme").await.unwrap(), None);

    let state = |n: u32| SyncFinish {
        state: Some(json!({"cursor": n, "nested": {"b": [1, 2], "a": null}})),
        ..Default::default()
    };
    sync(&store, "acme", users(0..10), state(1)).await;
    assert_eq!(
        store.previous_state("acme").await.unwrap(),
        Some(json!({"cursor": 1, "nested": {"b": [1, 2], "a": null}}))
    );

    // A failed sync keeps the state of the last good one.
    let w = store.begin("acme", "test").await.unwrap();
    w.abort(roster_store::Failure {
        outcome: Outcome::Failed,
        error_kind: "transient".into(),
        message: "the vendor answered 503".into(),
        remediation: "sync again later".into(),
    })
    .await
    .unwrap();
    assert_eq!(store.previous_state("acme").await.unwrap().unwrap()["cursor"], json!(1));

    // A degraded sync is successful: its state is kept.
    let mut degraded = state(2);
    degraded.skipped = 1;
    let s = sync(&store, "acme", users(0..10), degraded).await;
    assert_eq!(s.outcome, Outcome::Degraded);
    assert_eq!(store.previous_state("acme").await.unwrap().unwrap()["cursor"], json!(2));
    assert_eq!(store.previous_state("nobody").await.unwrap(), None);
});

store_test!(new_users_stay_invisible_until_the_commit, fx, {
    let store = fx.open().await;
    sync(&store, "acme", users(0..10), SyncFinish::default()).await;
    let before = stored_json(&store, "acme").await;

    let mut w = store.begin("acme", "test").await.unwrap();
    w.users(users(0..300)).await.unwrap();
    assert_eq!(stored_json(&store, "acme").await, before);
    assert_eq!(store.accounts().await.unwrap()[0].users.active, 10);
    assert_eq!(store.report("acme", t(2), 30).await.unwrap().users.active, 10);

    let s = w.finish(SyncFinish::default()).await.unwrap();
    assert_eq!((s.seen, s.added, s.changed, s.removed), (300, 290, 0, 0));
    assert_eq!(stored(&store, "acme").await.len(), 300);
    assert_eq!(store.accounts().await.unwrap()[0].users.active, 300);
    let kinds: Vec<_> =
        store.user_events("acme", "u00299").await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![UserEventKind::Added]);
});

store_test!(a_repeated_id_in_a_later_sync_keeps_the_last_record, fx, {
    let store = fx.open().await;
    sync(&store, "acme", vec![user("u1"), user("u2")], SyncFinish::default()).await;
    let mut renamed = user("u1");
    renamed.name = Some("Renamed".into());

    // Changed, then unchanged: the unchanged record wins.
    let mut w = store.begin("acme", "test").await.unwrap();
    w.users(vec![renamed.clone(), user("u2")]).await.unwrap();
    w.users(vec![user("u1")]).await.unwrap();
    let s = w.finish(SyncFinish::default()).await.unwrap();
    assert_eq!((s.seen, s.added, s.changed, s.removed), (2, 0, 0, 0));
    assert_eq!(find(&store, "acme", "u1").await.name, user("u1").name);

    // Unchanged, then changed: the change wins.
    let mut w = store.begin("acme", "test").await.unwrap();
    w.users(vec![user("u1"), user("u2")]).await.unwrap();
    w.users(vec![renamed]).await.unwrap();
    let s = w.finish(SyncFinish::default()).await.unwrap();
    assert_eq!((s.seen, s.added, s.changed, s.removed), (2, 0, 1, 0));
    assert_eq!(find(&store, "acme", "u1").await.name.as_deref(), Some("Renamed"));
});

store_test!(two_open_runs_of_one_account_each_commit_whole, fx, {
    let store = fx.open().await;
    // Both find u1 new; the second commits first, then the first.
    let mut first = store.begin("acme", "test").await.unwrap();
    let mut second = store.begin("acme", "test").await.unwrap();
    first.users(vec![user("u1"), user("u2")]).await.unwrap();
    second.users(vec![user("u1"), user("u3")]).await.unwrap();
    let s = second.finish(SyncFinish::default()).await.unwrap();
    assert_eq!((s.seen, s.added), (2, 2));
    let ids: Vec<_> = stored(&store, "acme").await.into_iter().map(|u| u.id).collect();
    assert_eq!(ids, vec!["u1", "u3"]);
    let s = first.finish(SyncFinish::default()).await.unwrap();
    assert_eq!((s.outcome, s.removed), (Outcome::Ok, 1));
    let users = stored(&store, "acme").await;
    let live: Vec<_> = users.iter().filter(|u| u.removed_at.is_none()).map(|u| u.id.as_str()).collect();
    assert_eq!(live, vec!["u1", "u2"]);

    // A run that fails takes only its own new users with it.
    let mut failing = store.begin("beta", "test").await.unwrap();
    let mut other = store.begin("beta", "test").await.unwrap();
    failing.users(vec![user("u1")]).await.unwrap();
    other.users(vec![user("u1")]).await.unwrap();
    failing
        .abort(roster_store::Failure {
            outcome: Outcome::Failed,
            error_kind: "network".into(),
            message: "the connection was reset".into(),
            remediation: "sync again".into(),
        })
        .await
        .unwrap();
    let s = other.finish(SyncFinish::default()).await.unwrap();
    assert_eq!((s.seen, s.added), (1, 1));
    assert_eq!(stored(&store, "beta").await.len(), 1);
});

store_test!(a_batch_of_new_users_that_meets_another_runs_rows_is_merged_user_by_user, fx, {
    let store = fx.open().await;
    let mut first = store.begin("acme", "test").await.unwrap();
    let mut second = store.begin("acme", "test").await.unwrap();
    first.users(users(0..64)).await.unwrap();
    second.users(users(32..128)).await.unwrap();
    let s = first.finish(SyncFinish::default()).await.unwrap();
    assert_eq!((s.seen, s.added), (64, 64));
    let s = second.finish(SyncFinish::default()).await.unwrap();
    assert_eq!((s.outcome, s.seen, s.added, s.removed), (Outcome::Ok, 96, 64, 32));
    let users = stored(&store, "acme").await;
    assert_eq!(users.len(), 128);
    assert_eq!(users.iter().filter(|u| u.removed_at.is_none()).count(), 96);
});

store_test!(borrowed_users_in_batches_cut_by_size_are_all_stored, fx, {
    let store = fx.open().await;
    let mut w = store.begin("acme", "test").await.unwrap();
    // 4 KiB of text each: a batch closes on its size long before 256 users.
    let notes: Vec<String> = (0..40).map(|i| format!("{i}:{}", "n".repeat(4096))).collect();
    let mut batches = 0;
    for (i, note) in notes.iter().enumerate() {
        let id = format!("u{i:02}");
        let roles = [RoleRef { scope: "dev", name: "admin" }];
        let attributes = [("note", AttributeRef::Str(note))];
        let user = UserRef {
            id: &id,
            email: None,
            name: Some("N"),
            status: UserStatus::Active,
            last_visit_at: None,
            roles: &roles,
            license_types: &["pro"],
            attributes: &attributes,
        };
        if w.push_ref(&user).unwrap() {
            w.flush().await.unwrap();
            batches += 1;
        }
    }
    let summary = w.finish(SyncFinish::default()).await.unwrap();
    assert!(batches >= 2, "{batches} batches");
    assert_eq!((summary.outcome, summary.added), (Outcome::Ok, 40));
    let users = stored(&store, "acme").await;
    assert_eq!(users.len(), 40);
    for (i, u) in users.iter().enumerate() {
        assert_eq!(u.id, format!("u{i:02}"));
        assert_eq!(u.attributes["note"], json!(notes[i]));
        assert_eq!(u.roles, vec![RoleAssignment::new("dev", "admin")]);
    }
});
