//! The audit trail of actions: written on both backends, filtered by account, never
//! touched by a sync.

use roster_store::{AuditEntry, AuditOutcome};
use serde_json::json;

use crate::common::*;

fn entry(account: &str, user: &str, outcome: AuditOutcome) -> AuditEntry {
    AuditEntry {
        at: t(5),
        account: account.into(),
        connector: "workato".into(),
        action: "remove_user".into(),
        user_id: user.into(),
        email: Some(format!("{user}@example.com")),
        args: json!({}),
        before: json!({"status": "active", "roles": [], "license_types": ["Workato"]}),
        after: json!(null),
        outcome,
        detail: "DELETE /api/members/1005".into(),
        actor: "ops@example.com".into(),
        plan_id: "plan-1".into(),
    }
}

store_test!(audit_entries_are_kept_in_order_and_filtered_by_account, fx, {
    let store = fx.open().await;
    store.audit(entry("acme", "1005", AuditOutcome::Applied)).await.expect("write");
    store.audit(entry("globex", "7", AuditOutcome::Refused)).await.expect("write");
    let mut unverified = entry("acme", "1006", AuditOutcome::Unverified);
    unverified.email = None;
    store.audit(unverified.clone()).await.expect("write");
    let all = store.audit_entries(&[]).await.expect("read");
    assert_eq!(all.len(), 3);
    assert_eq!(all[0], entry("acme", "1005", AuditOutcome::Applied));
    assert_eq!(all[2], unverified);
    let acme = store.audit_entries(&["acme".to_owned()]).await.expect("read");
    assert_eq!(acme.iter().map(|e| e.user_id.as_str()).collect::<Vec<_>>(), ["1005", "1006"]);
    // A sync of the account does not touch its audit trail.
    sync(&store, "acme", vec![user("1005")], roster_store::SyncFinish::default()).await;
    assert_eq!(store.audit_entries(&["acme".to_owned()]).await.expect("read").len(), 2);
    // Nor does reopening the store.
    drop(store);
    let store = fx.open().await;
    assert_eq!(store.audit_entries(&[]).await.expect("read").len(), 3);
});
