//! Rate limits and server errors: Zoom's headers drive the waits, transient faults are
//! retried to a complete result, persistent ones end in the right kind.

mod common;

use std::time::Duration;

use common::{Env, assert_complete, attempts, fast_settings, sync_err, sync_ok};
use roster_core::ErrorKind;
use roster_zoom::ZoomSettings;
use roster_zoom_sim::{Fault, RateLimits, RetryAfter, faults};

const USERS: Option<&str> = Some("/v2/users");

async fn recovers_from(fault: Fault, path: Option<&str>) {
    let env = Env::generated(120, 6).await;
    env.account.push_fault(fault.clone(), 1, path);
    let sink = sync_ok(&env.fast_connector()).await;
    assert_complete(&sink, &env.account);
    assert_eq!(env.account.stats().faults, 1, "{fault:?}");
}

#[tokio::test]
async fn a_per_second_429_without_retry_after_then_complete() {
    recovers_from(Fault::RateLimited(RetryAfter::Omit), USERS).await;
}

#[tokio::test]
async fn a_429_with_retry_after_seconds_then_complete() {
    recovers_from(Fault::RateLimited(RetryAfter::Seconds), USERS).await;
}

#[tokio::test]
async fn a_429_with_an_iso_retry_after_then_complete() {
    recovers_from(Fault::RateLimited(RetryAfter::IsoDate), USERS).await;
}

#[tokio::test]
async fn the_daily_limit_is_rate_limited_with_the_wait_until_midnight() {
    let env = Env::generated(30, 6).await;
    env.account.push_fault(faults::DAILY_LIMIT, 1, USERS);
    let (_, e) = sync_err(&env.fast_connector()).await;
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
    let wait = e.retry_after().expect("the wait until 00:00 UTC");
    assert!(wait > Duration::ZERO && wait <= Duration::from_secs(86_400), "{wait:?}");
    assert_eq!(env.account.stats().by_path.get("/v2/users"), Some(&1), "a daily limit is not retried");
}

#[tokio::test]
async fn the_servers_own_per_second_limit_is_waited_out() {
    let limits = RateLimits { medium_per_second: 3, ..RateLimits::pro() };
    let env = Env::start(100, 6, |s| s.settings.rate_limit = Some(limits)).await;
    let sink = sync_ok(&env.connector(ZoomSettings { page_size: 20, ..attempts(10) })).await;
    assert_complete(&sink, &env.account);
}

#[tokio::test]
async fn server_errors_then_complete() {
    for code in [500, 502, 503, 504] {
        recovers_from(Fault::Status(code), USERS).await;
    }
    recovers_from(Fault::HtmlError(502), Some("/v2/roles")).await;
    recovers_from(Fault::TruncatedJson, USERS).await;
}

#[tokio::test]
async fn errors_at_the_token_endpoint_are_retried_too() {
    recovers_from(Fault::Status(503), Some("/oauth/token")).await;
    recovers_from(Fault::RateLimited(RetryAfter::Seconds), Some("/oauth/token")).await;
}

#[tokio::test]
async fn persistent_server_errors_are_transient() {
    let env = Env::generated(10, 6).await;
    env.account.push_fault(Fault::Status(503), 100, USERS);
    let (sink, e) = sync_err(&env.connector(attempts(3))).await;
    assert_eq!(e.kind(), ErrorKind::Transient, "{e}");
    assert!(sink.users.is_empty() && sink.licenses.is_empty());
    assert_eq!(env.account.stats().by_path.get("/v2/users"), Some(&3));
}

#[tokio::test]
async fn persistent_bad_bodies_are_invalid_response() {
    let env = Env::generated(10, 6).await;
    env.account.push_fault(Fault::TruncatedJson, 100, USERS);
    let (_, e) = sync_err(&env.connector(attempts(2))).await;
    assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{e}");
}

#[tokio::test]
async fn plan_usage_refused_leaves_totals_empty_with_a_note() {
    let env = Env::start(40, 6, |s| s.settings.plan.paid = false).await;
    let sink = sync_ok(&env.fast_connector()).await;
    assert_complete(&sink, &env.account);
    assert!(sink.licenses.iter().all(|l| l.total.is_none()), "{:?}", sink.licenses);
    assert!(sink.notes.iter().any(|n| n.contains("paid accounts")), "{:?}", sink.notes);

    env.account.update_settings(|s| {
        s.plan.paid = true;
        s.scopes = vec!["user:read:list_users:admin".into(), "role:read:list_roles:admin".into()];
    });
    let sink = sync_ok(&env.connector(fast_settings())).await;
    assert!(sink.notes.iter().any(|n| n.contains("\"billing:read:plan_usage:admin\"")), "{:?}", sink.notes);
}

#[tokio::test]
async fn role_names_refused_fall_back_to_system_names_and_ids_with_a_note() {
    let env = Env::start(60, 6, |s| s.settings.scopes = vec!["user:read:list_users:admin".into()]).await;
    let sink = sync_ok(&env.fast_connector()).await;
    assert_complete(&sink, &env.account);
    let names: std::collections::BTreeSet<String> =
        sink.users.iter().flat_map(|u| u.roles.iter().map(|r| r.name.clone())).collect();
    assert!(names.contains("Owner") && names.contains("Member"), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("role ")), "{names:?}");
    assert!(sink.notes.iter().any(|n| n.contains("\"role:read:list_roles:admin\"")), "{:?}", sink.notes);
}

#[tokio::test]
async fn without_the_users_scope_the_sync_fails_naming_it() {
    let env = Env::start(10, 6, |s| s.settings.scopes = vec!["role:read:list_roles:admin".into()]).await;
    let (_, e) = sync_err(&env.fast_connector()).await;
    assert_eq!(e.kind(), ErrorKind::MissingPermission, "{e}");
    assert_eq!(e.permissions(), ["user:read:list_users:admin"]);
}
