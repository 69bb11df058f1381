//! The numbers of one account.

use chrono::TimeDelta;
use roster_core::{LicenseType, RoleAssignment, TenantRecord, UserStatus};
use roster_store::{Outcome, StoreError, SyncFinish};

use crate::common::*;

store_test!(report_counts_users_activity_roles_and_licenses, fx, {
    let store = fx.open().await;
    let now = t(31);
    let ago = |days: i64| Some(now - TimeDelta::days(days));

    let mut all = Vec::new();
    let mut a = user("a"); // active, visited 10 days ago, admin in dev
    a.last_visit_at = ago(10);
    a.roles = vec![RoleAssignment::new("account", "admin"), RoleAssignment::new("dev", "admin")];
    all.push(a);
    let mut b = user("b"); // visited 60 days ago
    b.last_visit_at = ago(60);
    all.push(b);
    let mut c = user("c"); // suspended, visited 200 days ago
    c.status = UserStatus::Suspended;
    c.last_visit_at = ago(200);
    all.push(c);
    let mut d = user("d"); // invited, never visited
    d.status = UserStatus::Invited;
    d.last_visit_at = None;
    all.push(d);
    let mut e = user("e"); // visited yesterday, will be removed
    e.last_visit_at = ago(1);
    all.push(e);
    let finish = || SyncFinish {
        account: Some(TenantRecord {
            tenant_id: "t-9".into(),
            name: Some("Acme".into()),
            plan: None,
            attributes: Default::default(),
        }),
        licenses: vec![
            LicenseType { name: "pro".into(), assigned: 4, total: Some(10) },
            LicenseType { name: "basic".into(), assigned: 1, total: None },
        ],
        ..Default::default()
    };
    sync(&store, "acme", all.clone(), finish()).await;
    all.pop();
    let s = sync(&store, "acme", all, finish()).await;
    assert_eq!(s.removed, 1);

    let r = store.report("acme", now, 100).await.unwrap();
    assert_eq!(r.account, "acme");
    assert_eq!(r.connector, "test");
    assert_eq!((r.users.active, r.users.invited, r.users.suspended, r.users.removed), (2, 1, 1, 1));
    assert_eq!(r.active_last_30_days, 1);
    assert_eq!(r.active_last_90_days, 2);
    assert_eq!(r.inactive.days, 100);
    assert_eq!(r.inactive.count, 2);
    assert_eq!(r.inactive.never_visited, 1);
    assert_eq!(r.removed_since_previous_sync, 1);
    assert_eq!(r.roles["account"]["admin"], 1);
    assert_eq!(r.roles["account"]["member"], 3);
    assert_eq!(r.roles["dev"]["admin"], 1);
    assert_eq!(r.licenses.len(), 2);
    assert_eq!(r.licenses[0].name, "basic");
    assert_eq!(r.licenses[1].total, Some(10));
    let last = r.last_sync.as_ref().unwrap();
    assert_eq!(last.run_id, s.run_id);
    assert_eq!(last.outcome, Outcome::Ok);
    let age = last.age_seconds.unwrap();
    assert_eq!(age, (now - last.finished_at.unwrap()).num_seconds());
    assert_eq!(r.last_good_at, last.finished_at);
    assert_eq!(r.record.as_ref().unwrap().name.as_deref(), Some("Acme"));

    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["now"], serde_json::json!("2024-05-31T17:22:33Z"));
    assert_eq!(v["roles"]["dev"]["admin"], serde_json::json!(1));

    // A failed run is the latest, but the removals reported stay those of the
    // last successful one.
    let w = store.begin("acme", "test").await.unwrap();
    w.abort(roster_store::Failure {
        outcome: Outcome::Interrupted,
        error_kind: "interrupted".into(),
        message: "stopped".into(),
        remediation: "sync again".into(),
    })
    .await
    .unwrap();
    let r = store.report("acme", now, 30).await.unwrap();
    assert_eq!(r.last_sync.unwrap().outcome, Outcome::Interrupted);
    assert_eq!(r.removed_since_previous_sync, 1);
    assert_eq!(r.inactive.count, 3);

    let err = store.report("nobody", now, 30).await.unwrap_err();
    assert!(matches!(err, StoreError::UnknownAccount(_)));
});
