//! The schedule and its leases: each due account goes to one runner at a
//! time, a dead runner's lease expires and another takes the account, and
//! only the current holder's results land.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::Utc;
use roster_store::{Ended, Failure, Outcome, Reschedule, StoreError, SyncFinish};

use crate::common::*;

const LEASE: Duration = Duration::from_secs(60);
const PLAN: Reschedule =
    Reschedule { interval: Duration::from_secs(3600), backoff: Duration::from_secs(600) };

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("acct-{i:03}")).collect()
}

store_test!(each_due_account_goes_to_one_runner, fx, {
    let store = fx.open().await;
    let all = names(10);
    let now = Utc::now();
    store.schedule(&all.iter().map(|a| (a.clone(), now)).collect::<Vec<_>>()).await.unwrap();
    let a = store.claim_due("runner-a", &all, 4, LEASE).await.unwrap();
    let b = store.claim_due("runner-b", &all, 100, LEASE).await.unwrap();
    assert_eq!((a.len(), b.len()), (4, 6));
    let claimed: BTreeSet<&str> = a.iter().chain(&b).map(|l| l.account.as_str()).collect();
    assert_eq!(claimed.len(), 10);
    assert!(store.claim_due("runner-c", &all, 100, LEASE).await.unwrap().is_empty());
    // Only accounts the runner knows are claimed.
    store.schedule(&[("other".to_owned(), now)]).await.unwrap();
    assert!(store.claim_due("runner-c", &all, 100, LEASE).await.unwrap().is_empty());
});

store_test!(a_committed_sync_is_due_again_after_its_interval_and_a_failure_backs_off, fx, {
    let store = fx.open().await;
    let all = names(2);
    store.schedule(&all.iter().map(|a| (a.clone(), Utc::now())).collect::<Vec<_>>()).await.unwrap();
    let leases = store.claim_due("r", &all, 10, LEASE).await.unwrap();
    assert_eq!(leases[0].failures, 0);
    let mut w = store.begin_leased("test", leases[0].clone(), PLAN).await.unwrap();
    w.users(users(0..5)).await.unwrap();
    assert_eq!(w.finish(SyncFinish::default()).await.unwrap().seen, 5);
    let w = store.begin_leased("test", leases[1].clone(), PLAN).await.unwrap();
    w.abort(Failure {
        outcome: Outcome::Failed,
        error_kind: "transient".into(),
        message: "the vendor answered 503".into(),
        remediation: "sync again later".into(),
    })
    .await
    .unwrap();
    // Neither is due now: one waits for its interval, the other for its backoff.
    assert!(store.claim_due("r", &all, 10, LEASE).await.unwrap().is_empty());
    // A changed account is due at once, its failures forgotten.
    store.make_due(&all[1]).await.unwrap();
    let again = store.claim_due("r", &all, 10, LEASE).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].account.as_str(), again[0].failures), (all[1].as_str(), 0));
    assert!(again[0].epoch > leases[1].epoch);
});

store_test!(failures_in_a_row_are_counted, fx, {
    let store = fx.open().await;
    let all = names(1);
    store.schedule(&[(all[0].clone(), Utc::now())]).await.unwrap();
    let quick = Reschedule { interval: Duration::from_secs(3600), backoff: Duration::ZERO };
    for expected in 0..3 {
        let lease = store.claim_due("r", &all, 1, LEASE).await.unwrap().remove(0);
        assert_eq!(lease.failures, expected);
        store.release(&lease, &quick, Ended::Failed).await.unwrap();
    }
});

store_test!(an_expired_lease_moves_and_its_old_holder_cannot_commit, fx, {
    let store = fx.open().await;
    let all = names(1);
    store.schedule(&[(all[0].clone(), Utc::now())]).await.unwrap();
    let short = Duration::from_millis(300);
    let old = store.claim_due("dead", &all, 1, short).await.unwrap().remove(0);
    let mut stale = store.begin_leased("test", old.clone(), PLAN).await.unwrap();
    stale.users(users(0..3)).await.unwrap();
    assert!(store.claim_due("alive", &all, 1, LEASE).await.unwrap().is_empty(), "still leased");
    tokio::time::sleep(Duration::from_millis(600)).await;
    let new = store.claim_due("alive", &all, 1, LEASE).await.unwrap().remove(0);
    assert!(new.epoch > old.epoch);
    assert_eq!(store.renew(std::slice::from_ref(&old), LEASE).await.unwrap(), vec![all[0].clone()]);
    assert!(store.renew(std::slice::from_ref(&new), LEASE).await.unwrap().is_empty());

    let err = stale.finish(SyncFinish::default()).await.unwrap_err();
    assert!(matches!(err, StoreError::LeaseLost(_)), "{err:?}");
    assert!(stored(&store, &all[0]).await.is_empty(), "the stale sync landed nothing");

    let mut w = store.begin_leased("test", new, PLAN).await.unwrap();
    w.users(users(0..4)).await.unwrap();
    assert_eq!(w.finish(SyncFinish::default()).await.unwrap().added, 4);
    let runs = history(&store, &all[0]).await;
    assert_eq!(runs.iter().filter(|r| r.outcome.is_success()).count(), 1, "{runs:?}");
    assert_eq!(stored(&store, &all[0]).await.len(), 4);
});

store_test!(concurrent_claims_never_hand_an_account_out_twice, fx, {
    // Runners on Postgres are separate stores; on SQLite one store is shared.
    let shared = fx.location().starts_with("postgres");
    let first = fx.open().await;
    let all = names(60);
    first.schedule(&all.iter().map(|a| (a.clone(), Utc::now())).collect::<Vec<_>>()).await.unwrap();
    let mut tasks = Vec::new();
    for r in 0..6 {
        let store = if shared { fx.open().await } else { first.clone() };
        let all = all.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            for _ in 0..20 {
                mine.extend(store.claim_due(&format!("runner-{r}"), &all, 3, LEASE).await.unwrap());
                tokio::task::yield_now().await;
            }
            mine
        }));
    }
    let mut claimed = Vec::new();
    for t in tasks {
        claimed.extend(t.await.unwrap().into_iter().map(|l| l.account));
    }
    let distinct: BTreeSet<&String> = claimed.iter().collect();
    assert_eq!(distinct.len(), claimed.len(), "an account was claimed twice");
    assert_eq!(distinct.len(), 60);
});
