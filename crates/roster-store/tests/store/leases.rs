//! The schedule and its leases: each due account goes to one runner at a
//! time, a dead runner's lease expires and another takes the account, and
//! only the current holder's results land.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::Utc;
use roster_store::{Ended, Failure, LeaseKind, Outcome, Reschedule, StoreError, SyncFinish};

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

store_test!(a_manual_sync_takes_free_accounts_skips_held_ones_and_leaves_the_schedule, fx, {
    let store = fx.open().await;
    let all = names(3);
    let later = Utc::now() + chrono::TimeDelta::hours(1);
    // acct-000 is due in an hour, acct-001 due now and then held by a runner,
    // acct-002 not scheduled at all.
    store.schedule(&[(all[0].clone(), later), (all[1].clone(), Utc::now())]).await.unwrap();
    let daemon = store.claim_due("daemon", &all, 10, LEASE).await.unwrap();
    assert_eq!(daemon.iter().map(|l| l.account.as_str()).collect::<Vec<_>>(), [all[1].as_str()]);

    let (taken, held) = store.claim_now("manual", &all, LEASE).await.unwrap();
    let taken_names: Vec<&str> = taken.iter().map(|l| l.account.as_str()).collect();
    assert_eq!(taken_names, [all[0].as_str(), all[2].as_str()]);
    assert!(taken.iter().all(|l| l.kind == LeaseKind::Manual && l.owner == "manual"));
    assert_eq!(held.len(), 1);
    assert_eq!((held[0].account.as_str(), held[0].owner.as_str()), (all[1].as_str(), "daemon"));
    assert!(held[0].until > Utc::now(), "{held:?}");

    // While the manual sync holds them, neither the daemon nor another manual sync gets them.
    store.make_due(&all[0]).await.unwrap();
    assert!(store.claim_due("daemon", &all, 10, LEASE).await.unwrap().is_empty());
    let (again, held_again) = store.claim_now("manual-2", &all, LEASE).await.unwrap();
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(held_again.iter().filter(|h| h.owner == "manual").count(), 2);
    assert_eq!(store.renew(&taken, LEASE).await.unwrap(), Vec::<String>::new());

    // A manual commit lands and gives the account back as due as it was (due now, after make_due).
    let mut w = store.begin_leased("test", taken[0].clone(), Reschedule::default()).await.unwrap();
    w.users(users(0..3)).await.unwrap();
    assert_eq!(w.finish(SyncFinish::default()).await.unwrap().added, 3);
    store.release(&taken[1], &Reschedule::default(), Ended::Failed).await.unwrap();
    let next = store.claim_due("daemon", &all, 10, LEASE).await.unwrap();
    let next_names: BTreeSet<&str> = next.iter().map(|l| l.account.as_str()).collect();
    assert_eq!(next_names, BTreeSet::from([all[0].as_str(), all[2].as_str()]));
    assert!(next.iter().all(|l| l.failures == 0), "{next:?}");

    // Once the daemon lets go, a manual sync takes the account it held.
    store.release(&daemon[0], &PLAN, Ended::Committed).await.unwrap();
    let (after, held_after) = store.claim_now("manual", &all[1..2], LEASE).await.unwrap();
    assert_eq!((after.len(), held_after.len()), (1, 0));
    assert!(after[0].epoch > daemon[0].epoch);
});

store_test!(a_manual_sync_does_not_move_an_account_that_is_not_due, fx, {
    let store = fx.open().await;
    let all = names(1);
    store.schedule(&[(all[0].clone(), Utc::now() + chrono::TimeDelta::hours(1))]).await.unwrap();
    let (taken, _) = store.claim_now("manual", &all, LEASE).await.unwrap();
    let w = store.begin_leased("test", taken[0].clone(), Reschedule::default()).await.unwrap();
    w.finish(SyncFinish::default()).await.unwrap();
    assert!(store.claim_due("daemon", &all, 10, LEASE).await.unwrap().is_empty(), "still due in an hour");
});
