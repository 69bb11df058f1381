//! A full sync against the simulator: every user of every status, mapped field by field,
//! with license counts and totals, across pages and paging edge cases.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::{Env, assert_complete, fast_settings, key_of, sync_err, sync_ok};
use roster_core::{ErrorKind, RoleAssignment, UserStatus};
use roster_zoom::ZoomSettings;
use roster_zoom_sim::{Fault, LastPageToken, faults};
use serde_json::{Value, json};

#[tokio::test]
async fn every_user_of_every_status_is_mapped() {
    let env = Env::generated(400, 3).await;
    let sink = sync_ok(&env.fast_connector()).await;
    assert_complete(&sink, &env.account);

    let roles: HashMap<String, String> = env
        .account
        .roles_json()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or_default().to_owned(),
                r["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for raw in env.account.users_json() {
        let u = sink.user(&key_of(&raw)).expect("user synced");
        let status = match raw["status"].as_str() {
            Some("active") => UserStatus::Active,
            Some("inactive") => UserStatus::Suspended,
            _ => UserStatus::Invited,
        };
        assert_eq!(u.status, status, "{raw}");
        assert_eq!(u.email.as_deref(), raw["email"].as_str());
        assert_eq!(u.name.as_deref(), raw["display_name"].as_str());
        let role = roles.get(raw["role_id"].as_str().unwrap_or_default()).expect("a known role");
        assert_eq!(u.roles, vec![RoleAssignment::new("account", role.clone())]);
        let license = roster_zoom::license_name(raw["type"].as_i64().unwrap_or_default());
        assert_eq!(u.license_types, vec![license]);
        let login = raw.get("last_login_time").and_then(Value::as_str).filter(|s| !s.is_empty());
        assert_eq!(
            u.last_visit_at.map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()).as_deref(),
            login,
            "{raw}"
        );
    }
    let statuses: Vec<UserStatus> = sink.users.iter().map(|u| u.status).collect();
    for s in [UserStatus::Active, UserStatus::Suspended, UserStatus::Invited] {
        assert!(statuses.contains(&s), "no {s:?} user");
    }
    assert!(sink.notes.is_empty(), "{:?}", sink.notes);
}

#[tokio::test]
async fn licenses_are_counted_per_type_with_the_plan_total() {
    let env = Env::start(300, 5, |s| s.settings.plan.hosts = 250).await;
    let sink = sync_ok(&env.fast_connector()).await;
    let users = env.account.users_json();
    let count = |t: i64| users.iter().filter(|u| u["type"] == t).count() as u64;
    let by_name: HashMap<&str, (u64, Option<u64>)> =
        sink.licenses.iter().map(|l| (l.name.as_str(), (l.assigned, l.total))).collect();
    assert_eq!(by_name.get("Licensed"), Some(&(count(2), Some(250))));
    assert_eq!(by_name.get("Basic"), Some(&(count(1), None)));
    assert_eq!(by_name.get("Unassigned without Meetings Basic"), Some(&(count(4), None)));
    assert_eq!(by_name.get("None"), Some(&(count(99), None)));
}

#[tokio::test]
async fn the_account_is_named_after_its_owner() {
    let env = Env::generated(20, 8).await;
    let sink = sync_ok(&env.fast_connector()).await;
    let account = sink.tenant.expect("a tenant record");
    assert_eq!(account.tenant_id, env.account.account_id());
    let owner = &env.account.users_json()[0];
    let email = owner["email"].as_str().unwrap_or_default();
    assert_eq!(account.name.as_deref(), email.rsplit_once('@').map(|(_, d)| d.to_lowercase()).as_deref());
    assert_eq!(account.attributes.get("owner_email"), Some(&json!(email)));
    assert_eq!(account.plan.as_deref(), Some("monthly"));
}

fn small_pages() -> ZoomSettings {
    ZoomSettings { page_size: 7, ..fast_settings() }
}

#[tokio::test]
async fn many_small_pages_stream_every_user_once() {
    let env = Env::generated(150, 9).await;
    let sink = sync_ok(&env.connector(small_pages())).await;
    assert_complete(&sink, &env.account);
    let pages = env.request_lines().iter().filter(|l| l.starts_with("GET /v2/users?")).count();
    assert!(pages > 150 / 7, "{pages} pages");
}

#[tokio::test]
async fn paging_edge_cases_reach_every_user() {
    let env = Env::generated(0, 1).await;
    // 14 active users: exactly two pages of 7; no inactive or pending users at all.
    let users: Vec<Value> = (0..14)
        .map(|i| json!({"id": format!("u{i}"), "email": format!("u{i}@example.com"), "type": 1, "status": "active", "role_id": "2"}))
        .collect();
    env.account.set_users(users);
    for (name, change) in [
        (
            "plain",
            Box::new(|_: &mut roster_zoom_sim::Paging| {}) as Box<dyn Fn(&mut roster_zoom_sim::Paging)>,
        ),
        ("trailing empty page", Box::new(|p| p.trailing_empty_page = true)),
        ("empty pages", Box::new(|p| p.empty_pages = true)),
        ("absent last token", Box::new(|p| p.last_page_token = LastPageToken::Absent)),
    ] {
        env.account.update_settings(|s| {
            s.paging = roster_zoom_sim::Paging::default();
            change(&mut s.paging);
        });
        let sink = sync_ok(&env.connector(small_pages())).await;
        assert_complete(&sink, &env.account);
        assert_eq!(sink.users.len(), 14, "{name}");
    }
}

#[tokio::test]
async fn an_expired_page_token_lists_the_status_again_once() {
    let env = Env::generated(60, 4).await;
    let active = env.account.users_with_status("active").len();
    assert!(active > 14, "needs at least three pages of 7");
    // The first page goes through; the second page's token is refused as expired.
    env.account.push_fault(Fault::Delay(Duration::ZERO), 1, Some("/v2/users"));
    env.account.push_fault(faults::INVALID_PAGE_TOKEN, 1, Some("/v2/users"));
    let sink = sync_ok(&env.connector(small_pages())).await;
    let mut got: Vec<String> = sink.users.iter().map(|u| u.id.clone()).collect();
    let mut expected: Vec<String> = env.account.users_json().iter().map(key_of).collect();
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
    assert_eq!(sink.user_calls, expected.len() as u64 + 7, "the first page was read twice");
    let assigned: u64 = sink.licenses.iter().map(|l| l.assigned).sum();
    assert_eq!(assigned, expected.len() as u64, "users read twice are counted once");
    assert!(sink.notes.iter().any(|n| n.contains("next page token expired")), "{:?}", sink.notes);

    // A second refusal in the same status is not retried again.
    for _ in 0..2 {
        env.account.push_fault(Fault::Delay(Duration::ZERO), 1, Some("/v2/users"));
        env.account.push_fault(faults::INVALID_PAGE_TOKEN, 1, Some("/v2/users"));
    }
    let (_, e) = sync_err(&env.connector(small_pages())).await;
    assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{e}");
    assert!(e.message().contains("code 300"), "{e}");
}

#[tokio::test]
async fn a_user_listed_twice_is_counted_once_and_bad_records_are_skipped() {
    let env = Env::generated(0, 1).await;
    let dup = json!({"id": "dup", "email": "dup@example.com", "type": 2, "status": "active", "role_id": "2"});
    let mut users: Vec<Value> = (0..6)
        .map(|i| json!({"id": format!("u{i}"), "email": format!("u{i}@example.com"), "type": 2, "status": "active", "role_id": "2"}))
        .collect();
    users.insert(0, dup.clone());
    users.push(dup);
    users.push(json!({"id": "bad", "email": "bad@example.com", "type": "licensed", "status": "active"}));
    users.push(json!({"email": "no-id@example.com", "type": 1, "status": "active"}));
    env.account.set_users(users);
    let sink = sync_ok(&env.connector(ZoomSettings { page_size: 3, ..fast_settings() })).await;
    assert_eq!(sink.users.len(), 7);
    assert_eq!(sink.user_calls, 8);
    let licensed = sink.licenses.iter().find(|l| l.name == "Licensed").map(|l| l.assigned);
    assert_eq!(licensed, Some(7));
    let skipped: Vec<&str> = sink.skipped.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(skipped, ["user bad", "user no-id@example.com"]);
}
