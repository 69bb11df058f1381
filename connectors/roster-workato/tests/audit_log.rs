//! Exact last login from the activity audit log: the latest `user_login` per
//! member, read incrementally with a cursor kept in the connector state.

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use common::{Env, fast_settings, sync_ok};
use roster_testkit::MemorySink;
use roster_workato::WorkatoSettings;
use serde_json::json;

const N: usize = 150;

fn exact() -> WorkatoSettings {
    WorkatoSettings {
        exact_last_login: true,
        // The generated log spans 120 days: read all of it.
        audit_log_window_days: 366,
        ..fast_settings()
    }
}

async fn env_with_addon() -> Env {
    let env = Env::generated(71, N, 13).await;
    env.ws.update_settings(|s| s.audit_log_addon = true);
    env
}

fn last_visits(sink: &MemorySink) -> BTreeMap<String, Option<DateTime<Utc>>> {
    sink.users.iter().map(|u| (u.id.clone(), u.last_visit_at)).collect()
}

fn assert_last_visits_are_latest_logins(sink: &MemorySink, logins: &BTreeMap<u64, DateTime<FixedOffset>>) {
    assert_eq!(sink.users.len(), N);
    let mut with_login = 0;
    for u in &sink.users {
        let expected = logins.get(&u.id.parse::<u64>().unwrap()).map(|at| at.with_timezone(&Utc));
        with_login += usize::from(expected.is_some());
        assert_eq!(u.last_visit_at, expected, "user {}", u.id);
    }
    assert!(with_login > N / 2, "only {with_login} users have a login");
}

fn cursor(sink: &MemorySink) -> u64 {
    let state = sink.state.as_ref().expect("a state");
    state["audit_log"]["cursor"].as_u64().unwrap_or_else(|| panic!("no cursor in {state}"))
}

/// The query pairs of every `/api/activity_logs` request so far.
fn activity_queries(env: &Env) -> Vec<Vec<(String, String)>> {
    env.requests()
        .iter()
        .filter(|r| r.path == "/api/activity_logs")
        .map(|r| {
            url::form_urlencoded::parse(r.query.as_deref().unwrap_or("").as_bytes()).into_owned().collect()
        })
        .collect()
}

fn param<'a>(query: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn last_visit_is_the_latest_login_and_the_state_has_a_cursor() {
    let env = env_with_addon().await;
    let sink = sync_ok(&env.connector(exact()), None).await;
    assert_last_visits_are_latest_logins(&sink, &env.ws.last_logins());
    assert!(sink.notes.is_empty(), "{:?}", sink.notes);
    assert!(cursor(&sink) > 0);

    // The first read starts at the window and pages by cursor.
    let queries = activity_queries(&env);
    assert!(queries.len() > 1, "expected several pages, got {}", queries.len());
    assert!(param(&queries[0], "from").is_some(), "{:?}", queries[0]);
    assert_eq!(param(&queries[0], "page[after]"), None);
    assert_eq!(param(&queries[0], "include_resource_types[]"), Some("User"));
    for q in &queries[1..] {
        assert!(param(q, "page[after]").is_some(), "{q:?}");
    }
    // The last activity is kept as an attribute when it is not the last visit.
    assert!(sink.users.iter().any(|u| u.attributes.contains_key("last_activity_at")));
}

#[tokio::test]
async fn a_second_sync_reads_only_after_the_cursor_and_picks_up_a_new_login() {
    let env = env_with_addon().await;
    let w = env.connector(exact());
    let first = sync_ok(&w, None).await;
    let first_cursor = cursor(&first);

    // A member logs in between the syncs.
    let member = 1000 + 17;
    let tokyo = FixedOffset::east_opt(9 * 3600).unwrap();
    let at = (Utc::now() - Duration::minutes(5)).with_timezone(&tokyo);
    let new_id = env.ws.add_login(member, at).expect("member exists");
    assert!(new_id > first_cursor);

    env.sim.clear_requests();
    let second = sync_ok(&w, first.state.clone()).await;

    let queries = activity_queries(&env);
    assert!(!queries.is_empty());
    assert_eq!(param(&queries[0], "page[after]"), Some(first_cursor.to_string().as_str()), "{queries:?}");
    for q in &queries {
        assert!(param(q, "page[after]").is_some(), "{q:?}");
        assert_eq!(param(q, "from"), None, "an incremental read used a window: {q:?}");
    }
    assert_eq!(cursor(&second), new_id);

    let new = second.user(&member.to_string()).unwrap();
    assert_eq!(new.last_visit_at.map(|t| t.timestamp_millis()), Some(at.timestamp_millis()));
    assert_last_visits_are_latest_logins(&second, &env.ws.last_logins());
}

#[tokio::test]
async fn an_incremental_sync_without_new_logins_changes_no_last_visit() {
    let env = env_with_addon().await;
    let w = env.connector(exact());
    let first = sync_ok(&w, None).await;
    let second = sync_ok(&w, first.state.clone()).await;
    assert_eq!(last_visits(&second), last_visits(&first));
    assert_eq!(second.state, first.state);
    let third = sync_ok(&w, second.state.clone()).await;
    assert_eq!(last_visits(&third), last_visits(&first));
}

#[tokio::test]
async fn without_the_addon_last_visit_falls_back_with_a_note_and_the_state_is_kept() {
    let env = Env::generated(73, N, 13).await;
    let previous = json!({"audit_log": {"cursor": 12345, "last_login": {"1000": "2024-01-01T00:00:00Z"}}});
    let sink = sync_ok(&env.connector(exact()), Some(previous.clone())).await;

    assert!(sink.notes.iter().any(|n| n.contains("audit log")), "{:?}", sink.notes);
    assert_eq!(sink.state, Some(previous));
    for m in env.ws.members_json() {
        let u = sink.user(&m["id"].to_string()).unwrap();
        let expected = m["last_activity_log"]["created_at"]
            .as_str()
            .map(|s| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc));
        assert_eq!(u.last_visit_at, expected);
    }
    assert_eq!(sink.users.len(), N);

    // No previous state: still a fallback, and no state is invented.
    let sink = sync_ok(&env.connector(exact()), None).await;
    assert_eq!(sink.state, None);
    assert_eq!(sink.users.len(), N);
}

#[tokio::test]
async fn without_exact_last_login_the_audit_log_is_never_read() {
    let env = env_with_addon().await;
    let previous = json!({"audit_log": {"cursor": 1, "last_login": {}}});
    let sink = sync_ok(&env.fast_connector(), Some(previous.clone())).await;
    assert!(activity_queries(&env).is_empty(), "{:?}", env.request_lines());
    assert_eq!(env.requests().len(), 2);
    assert!(sink.users.iter().all(|u| !u.attributes.contains_key("last_activity_at")));
    let first = &env.ws.members_json()[0];
    let expected: Option<DateTime<Utc>> =
        first["last_activity_log"]["created_at"].as_str().map(|s| s.parse().unwrap());
    assert_eq!(sink.users[0].last_visit_at, expected);
    // A state from an earlier exact sync is carried over untouched.
    assert_eq!(sink.state, Some(previous));
}
