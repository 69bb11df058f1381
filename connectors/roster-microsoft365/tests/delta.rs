//! Incremental syncs: the delta link kept as state, `@removed` users, the list's replication
//! delay corrected by delta, and expired delta tokens falling back to a full read.

mod common;

use common::{Env, ids, sink_ids, sync_from, sync_ok};
use roster_core::UserStatus;
use roster_microsoft365_sim::DeltaExpiry;
use serde_json::{Value, json};

fn link(state: &Option<Value>) -> String {
    state.as_ref().and_then(|s| s["delta_link"].as_str()).expect("a delta link in the state").to_owned()
}

/// A user the tenant did not have, as Graph stores it.
fn newcomer() -> Value {
    json!({"id": "0b1c2d3e-0000-4000-a000-000000000001", "displayName": "New Person", "mail": "new@tenant1.onmicrosoft.com",
           "userPrincipalName": "new@tenant1.onmicrosoft.com", "accountEnabled": true, "userType": "Member",
           "externalUserState": null, "assignedLicenses": []})
}

#[tokio::test]
async fn the_first_sync_keeps_a_link_from_now_and_the_next_reads_changes_since() {
    let env = Env::start(30, |s| s.settings.delta_page_size = 2).await;
    let c = env.connector();
    let first = sync_ok(&c).await;
    assert!(
        env.graph_requests()
            .iter()
            .any(|r| r.starts_with("/v1.0/users/delta?") && r.contains("deltatoken=latest"))
    );
    let users = env.tenant.users_json();
    let (gone, changed) =
        (users[3]["id"].as_str().unwrap_or_default(), users[4]["id"].as_str().unwrap_or_default());
    assert!(env.tenant.remove_user(gone, false));
    assert!(env.tenant.update_user(changed, |u| u["accountEnabled"] = json!(false)));
    env.tenant.add_user(newcomer());
    env.tenant.add_user(json!({"id": "0b1c2d3e-0000-4000-a000-000000000002", "displayName": "Short Lived"}));
    assert!(env.tenant.remove_user("0b1c2d3e-0000-4000-a000-000000000002", true));
    env.sim.clear_requests();

    let second = sync_from(&c, first.state.clone()).await;
    let saved = link(&first.state);
    let token = saved.split("deltatoken=").nth(1).unwrap_or_default();
    let delta: Vec<String> =
        env.graph_requests().into_iter().filter(|r| r.starts_with("/v1.0/users/delta")).collect();
    // Four entries (the short-lived user only as removed), in pages of two.
    assert!(delta[0].ends_with(token) && delta.len() == 2, "{delta:?}");
    assert_eq!(sink_ids(&second), ids(&env.tenant.users_json()));
    assert!(second.user(gone).is_none());
    assert_eq!(second.user(changed).map(|u| u.status), Some(UserStatus::Suspended));
    assert!(second.user("0b1c2d3e-0000-4000-a000-000000000001").is_some());
    assert_ne!(link(&second.state), saved);
    assert!(second.notes.is_empty(), "{:?}", second.notes);
}

#[tokio::test]
async fn removals_are_exact_while_the_user_list_lags() {
    let env = Env::start(25, |_| {}).await;
    let c = env.connector();
    let first = sync_ok(&c).await;
    env.tenant.set_listing_lag(true);
    let gone = env.tenant.users_json()[7]["id"].as_str().unwrap_or_default().to_owned();
    assert!(env.tenant.remove_user(&gone, true));
    env.tenant.add_user(newcomer());

    let second = sync_from(&c, first.state).await;
    assert_eq!(sink_ids(&second), ids(&env.tenant.users_json()));
    assert!(second.user(&gone).is_none(), "the list still shows it; delta says it is gone");
    let added = second.user("0b1c2d3e-0000-4000-a000-000000000001").expect("read from delta");
    assert_eq!((added.email.as_deref(), added.last_visit_at), (Some("new@tenant1.onmicrosoft.com"), None));
    assert!(
        second.notes.iter().any(|n| n.starts_with("1 users the user list still showed were already deleted")),
        "{:?}",
        second.notes
    );
    assert!(
        second.notes.iter().any(|n| n.starts_with("1 users the user list did not show yet")),
        "{:?}",
        second.notes
    );
}

#[tokio::test]
async fn an_expired_delta_token_falls_back_to_a_full_read() {
    for expiry in [DeltaExpiry::SyncStateNotFound, DeltaExpiry::ResyncRequired, DeltaExpiry::BadRequest] {
        let env = Env::start(20, |s| s.settings.delta_expiry = expiry).await;
        let c = env.connector();
        let first = sync_ok(&c).await;
        env.tenant.expire_delta_tokens();
        let gone = env.tenant.users_json()[2]["id"].as_str().unwrap_or_default().to_owned();
        assert!(env.tenant.remove_user(&gone, false));
        env.sim.clear_requests();

        let second = sync_from(&c, first.state.clone()).await;
        assert_eq!(sink_ids(&second), ids(&env.tenant.users_json()), "{expiry:?}");
        assert!(
            second.notes.iter().any(|n| n.contains("delta token expired")),
            "{expiry:?}: {:?}",
            second.notes
        );
        let latest = env.graph_requests().iter().filter(|r| r.contains("deltatoken=latest")).count();
        assert_eq!(latest, 1, "{expiry:?}: a new link from now");
        assert_ne!(link(&second.state), link(&first.state));
    }
}

#[tokio::test]
async fn a_state_that_is_not_ours_is_replaced() {
    let env = Env::start(5, |_| {}).await;
    let foreign =
        json!({"version": 1, "delta_link": "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x"});
    let sink = sync_from(&env.connector(), Some(foreign)).await;
    assert_eq!(sink.users.len(), 5);
    assert!(sink.notes.iter().any(|n| n.contains("not a delta link for this tenant")), "{:?}", sink.notes);
    assert!(link(&sink.state).starts_with(&env.sim.base_url()));
}
