//! Many syncs at once funnel through the one writer.

use roster_store::{Outcome, SyncFinish};
use serde_json::json;

use crate::common::*;

store_test!(fifty_accounts_sync_concurrently, fx, {
    let store = fx.open().await;
    let mut tasks = Vec::new();
    for a in 0..50u32 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let account = format!("acct-{a:02}");
            for round in 0..2u32 {
                let n = 300 + a * 10;
                let mut w = store.begin(&account, "test").await.unwrap();
                let mut i = 0;
                while i < n {
                    let end = (i + 120).min(n);
                    w.users(users(i..end)).await.unwrap();
                    i = end;
                    tokio::task::yield_now().await;
                }
                let s = w
                    .finish(SyncFinish { state: Some(json!({ "round": round })), ..Default::default() })
                    .await
                    .unwrap();
                assert_eq!(s.outcome, Outcome::Ok);
                assert_eq!(s.seen, u64::from(n));
                let expected_added = if round == 0 { u64::from(n) } else { 0 };
                assert_eq!(s.added, expected_added);
            }
            // One failure per account, in the middle of the others' syncs.
            let mut w = store.begin(&account, "test").await.unwrap();
            w.users(users(0..50)).await.unwrap();
            drop(w);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let accounts = store.accounts().await.unwrap();
    assert_eq!(accounts.len(), 50);
    for (a, summary) in accounts.iter().enumerate() {
        assert_eq!(summary.account, format!("acct-{a:02}"));
        assert_eq!(summary.users.active, 300 + a as u64 * 10);
        assert_eq!(store.previous_state(&summary.account).await.unwrap(), Some(json!({"round": 1})));
    }
    let (tx, rx) = std::sync::mpsc::channel();
    store
        .for_each_user(&[], move |u| {
            let _ = tx.send((u.account, u.id));
        })
        .await
        .unwrap();
    let all: Vec<_> = rx.try_iter().collect();
    assert_eq!(all.len(), (0..50).map(|a| 300 + a * 10).sum::<usize>());
    assert!(all.windows(2).all(|w| w[0] < w[1]), "ordered by account then id");
});
