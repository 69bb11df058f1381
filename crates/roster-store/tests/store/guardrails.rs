//! Suspicious successes are degraded and remove nobody.

use roster_core::LicenseType;
use roster_store::{Outcome, ShrinkPolicy, SyncFinish};
use serde_json::json;

use crate::common::*;

fn accepting() -> SyncFinish {
    SyncFinish { policy: ShrinkPolicy { accept_shrink: true, ..Default::default() }, ..Default::default() }
}

async fn present(store: &roster_store::Store) -> usize {
    stored(store, "acme").await.iter().filter(|u| u.status != "removed").count()
}

store_test!(zero_users_is_degraded_unless_accepted, fx, {
    let store = fx.open().await;
    sync(&store, "acme", users(0..10), SyncFinish::default()).await;

    let finish = SyncFinish {
        state: Some(json!({"cursor": 2})),
        licenses: vec![LicenseType { name: "pro".into(), assigned: 0, total: Some(5) }],
        ..Default::default()
    };
    let s = sync(&store, "acme", Vec::new(), finish).await;
    assert_eq!(s.outcome, Outcome::Degraded);
    assert_eq!(s.removed, 0);
    assert!(s.degraded_reason.as_deref().unwrap().contains("no users"));
    assert_eq!(present(&store).await, 10);
    // Still a successful commit: state and licenses are stored.
    assert_eq!(store.previous_state("acme").await.unwrap(), Some(json!({"cursor": 2})));
    let report = store.report("acme", t(2), 30).await.unwrap();
    assert_eq!(report.licenses[0].total, Some(5));
    let run = &history(&store, "acme").await[0];
    assert_eq!(run.outcome, Outcome::Degraded);
    assert_eq!(run.degraded_reason, s.degraded_reason);

    let s = sync(&store, "acme", Vec::new(), accepting()).await;
    assert_eq!((s.outcome, s.removed), (Outcome::Ok, 10));
    assert_eq!(present(&store).await, 0);

    // Zero users of an account with none present is fine.
    let s = sync(&store, "acme", Vec::new(), SyncFinish::default()).await;
    assert_eq!(s.outcome, Outcome::Ok);
});

store_test!(a_large_shrink_is_degraded_unless_accepted, fx, {
    let store = fx.open().await;
    sync(&store, "acme", users(0..10), SyncFinish::default()).await;

    // Half may go; more may not.
    let mut few = users(0..4);
    few[0].name = Some("Renamed".into());
    few.push(user("new"));
    let s = sync(&store, "acme", few, SyncFinish::default()).await;
    assert_eq!(s.outcome, Outcome::Degraded);
    assert_eq!((s.removed, s.added, s.changed), (0, 1, 1));
    assert_eq!(present(&store).await, 11);
    assert_eq!(find(&store, "acme", "u00000").await.name.as_deref(), Some("Renamed"));

    let strict = SyncFinish {
        policy: ShrinkPolicy { max_shrink_fraction: 0.1, accept_shrink: false },
        ..Default::default()
    };
    let s = sync(&store, "acme", users(0..9), strict).await;
    assert_eq!(s.outcome, Outcome::Degraded);

    let s = sync(&store, "acme", users(0..6), SyncFinish::default()).await;
    assert_eq!((s.outcome, s.removed), (Outcome::Ok, 5));

    let s = sync(&store, "acme", users(0..1), accepting()).await;
    assert_eq!((s.outcome, s.removed), (Outcome::Ok, 5));
    assert_eq!(present(&store).await, 1);
});

store_test!(skipped_records_are_degraded_even_when_accepted, fx, {
    let store = fx.open().await;
    sync(&store, "acme", users(0..10), SyncFinish::default()).await;
    let mut finish = accepting();
    finish.skipped = 2;
    let s = sync(&store, "acme", users(0..9), finish).await;
    assert_eq!((s.outcome, s.removed), (Outcome::Degraded, 0));
    assert!(s.degraded_reason.as_deref().unwrap().contains("skipped 2"));
    assert_eq!(present(&store).await, 10);
    assert_eq!(history(&store, "acme").await[0].skipped, 2);
});
