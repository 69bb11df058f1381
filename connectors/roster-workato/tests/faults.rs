//! Transient faults are retried to a complete result; persistent ones end in
//! the right error kind. Every fault is injected by the simulator on
//! `/api/members` (the streamed list) unless said otherwise.

mod common;

use std::time::Duration;

use common::{Env, assert_complete, fast_settings, sync_err, sync_ok};
use roster_core::ErrorKind;
use roster_testkit::MemorySink;
use roster_workato::WorkatoSettings;
use roster_workato_sim::{Fault, RetryAfter};

const MEMBERS: Option<&str> = Some("/api/members");
const N: usize = 300;

async fn env() -> Env {
    Env::generated(61, N, 5).await
}

/// `fault` once on the members list, then a complete sync.
async fn recovers_from(fault: Fault) {
    let env = env().await;
    env.ws.push_fault(fault.clone(), 1, MEMBERS);
    let sink = sync_ok(&env.fast_connector(), None).await;
    assert_complete(&sink, &env.ws);
    assert_eq!(env.ws.stats().faults, 1, "{fault:?}");
    assert_eq!(
        env.ws.stats().by_path.get("/api/members"),
        Some(&2),
        "{fault:?}: the list was not fetched exactly twice"
    );
}

/// `fault` on every attempt at the members list: the sync fails with `kind`.
async fn persistent(fault: Fault, settings: WorkatoSettings, kind: ErrorKind) {
    let env = env().await;
    env.ws.push_fault(fault.clone(), 100, MEMBERS);
    let attempts = u64::from(settings.http.max_attempts);
    let (sink, e) = sync_err(&env.connector(settings)).await;
    assert_eq!(e.kind(), kind, "{fault:?}: {e}");
    assert!(sink.users.is_empty(), "{fault:?}");
    assert!(sink.licenses.is_empty() && sink.state.is_none(), "{fault:?}");
    assert_eq!(env.ws.stats().by_path.get("/api/members"), Some(&attempts), "{fault:?}");
}

#[tokio::test]
async fn rate_limited_with_retry_after_seconds_then_complete() {
    recovers_from(Fault::RateLimited(RetryAfter::Seconds)).await;
}

#[tokio::test]
async fn rate_limited_with_retry_after_http_date_then_complete() {
    recovers_from(Fault::RateLimited(RetryAfter::HttpDate)).await;
}

#[tokio::test]
async fn rate_limited_without_retry_after_then_complete() {
    recovers_from(Fault::RateLimited(RetryAfter::Omit)).await;
}

#[tokio::test]
async fn server_errors_500_502_503_504_then_complete() {
    for code in [500, 502, 503, 504] {
        recovers_from(Fault::Status(code)).await;
    }
    recovers_from(Fault::HtmlError(502)).await;
}

#[tokio::test]
async fn server_errors_in_a_row_then_complete() {
    let env = env().await;
    for code in [500, 502, 503] {
        env.ws.push_fault(Fault::Status(code), 1, MEMBERS);
    }
    let sink = sync_ok(&env.fast_connector(), None).await;
    assert_complete(&sink, &env.ws);
}

#[tokio::test]
async fn a_server_error_on_users_me_then_complete() {
    let env = env().await;
    env.ws.push_fault(Fault::Status(503), 2, Some("/api/users/me"));
    let sink = sync_ok(&env.fast_connector(), None).await;
    assert_complete(&sink, &env.ws);
    assert_eq!(sink.tenant.unwrap().tenant_id, "61");
}

#[tokio::test]
async fn a_reset_connection_then_complete() {
    recovers_from(Fault::ResetConnection).await;
}

fn one_second_timeout(max_attempts: u32) -> WorkatoSettings {
    let mut s = fast_settings();
    s.http.request_timeout_secs = 1;
    s.http.max_attempts = max_attempts;
    s
}

#[tokio::test]
async fn a_response_slower_than_the_timeout_then_complete() {
    let env = env().await;
    env.ws.push_fault(Fault::Delay(Duration::from_millis(1600)), 1, MEMBERS);
    let sink = sync_ok(&env.connector(one_second_timeout(3)), None).await;
    assert_complete(&sink, &env.ws);
}

#[tokio::test]
async fn responses_always_slower_than_the_timeout_are_transient() {
    persistent(Fault::Delay(Duration::from_millis(1600)), one_second_timeout(2), ErrorKind::Transient).await;
}

#[tokio::test]
async fn persistent_server_errors_are_transient() {
    let mut settings = fast_settings();
    settings.http.max_attempts = 3;
    persistent(Fault::Status(503), settings.clone(), ErrorKind::Transient).await;
    persistent(Fault::ResetConnection, settings, ErrorKind::Transient).await;
}

#[tokio::test]
async fn a_truncated_body_then_complete() {
    recovers_from(Fault::TruncatedJson).await;
}

#[tokio::test]
async fn an_aborted_body_then_complete() {
    recovers_from(Fault::AbortedBody).await;
}

#[tokio::test]
async fn an_html_page_with_200_then_complete() {
    recovers_from(Fault::HtmlOk).await;
}

#[tokio::test]
async fn a_wrong_content_type_then_complete() {
    recovers_from(Fault::WrongContentType).await;
}

#[tokio::test]
async fn persistent_bad_bodies_are_invalid_response() {
    let mut settings = fast_settings();
    settings.http.max_attempts = 3;
    for fault in [Fault::TruncatedJson, Fault::AbortedBody, Fault::HtmlOk, Fault::WrongContentType] {
        persistent(fault, settings.clone(), ErrorKind::InvalidResponse).await;
    }
}

#[tokio::test]
async fn a_bad_body_on_users_me_then_complete() {
    let env = env().await;
    env.ws.push_fault(Fault::HtmlOk, 1, Some("/api/users/me"));
    env.ws.push_fault(Fault::TruncatedJson, 1, Some("/api/users/me"));
    let sink = sync_ok(&env.fast_connector(), None).await;
    assert_complete(&sink, &env.ws);
}

#[tokio::test]
async fn a_token_revoked_mid_run_is_invalid_credentials() {
    let env = env().await;
    // /api/users/me succeeds; the first try of /api/members fails with a 503,
    // and the token is revoked before the retry.
    env.ws.push_fault(Fault::Status(503), 1, MEMBERS);
    let ws = env.ws.clone();
    let revoker = tokio::spawn(async move {
        loop {
            let by_path = ws.stats().by_path;
            if by_path.contains_key("/api/users/me") && by_path.contains_key("/api/members") {
                ws.revoke_token();
                return;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    });
    let mut settings = fast_settings();
    settings.http.retry_base_delay_ms = 400;
    let mut sink = MemorySink::new();
    let e = common::sync_into(&env.connector(settings), None, &mut sink).await.unwrap_err();
    revoker.await.expect("the revoker ran");
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials, "{e}");
    assert!(e.message().contains("during the sync"), "{e}");
    assert!(e.remediation().contains("Workspace collaborators"), "{}", e.remediation());
    assert!(sink.users.is_empty());
}

#[tokio::test]
async fn unauthorized_on_members_and_users_me_mid_run_is_invalid_credentials() {
    let env = env().await;
    // The first /api/users/me passes; the list and the re-check are refused.
    env.ws.push_fault(Fault::Delay(Duration::ZERO), 1, Some("/api/users/me"));
    env.ws.push_fault(Fault::Unauthorized, 1, Some("/api/users/me"));
    env.ws.push_fault(Fault::Unauthorized, 1, MEMBERS);
    let (_, e) = sync_err(&env.fast_connector()).await;
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials, "{e}");
}

#[tokio::test]
async fn unauthorized_on_members_alone_is_a_missing_get_collaborators() {
    // Workato answers 401 for a missing privilege too: when workspace details
    // still work, the connector names the collaborators permission.
    let env = env().await;
    env.ws.push_fault(Fault::Unauthorized, 1, MEMBERS);
    let (_, e) = sync_err(&env.fast_connector()).await;
    assert_eq!(e.kind(), ErrorKind::MissingPermission, "{e}");
    assert_eq!(e.permissions(), ["Workspace collaborators → Get collaborators"]);
}

#[tokio::test]
async fn forbidden_on_members_is_missing_permission() {
    let env = env().await;
    env.ws.push_fault(Fault::Forbidden, 1, MEMBERS);
    let (_, e) = sync_err(&env.fast_connector()).await;
    assert_eq!(e.kind(), ErrorKind::MissingPermission, "{e}");
    assert_eq!(e.permissions(), ["Workspace collaborators → Get collaborators"]);
}

#[tokio::test]
async fn persistent_rate_limiting_is_rate_limited_with_retry_after() {
    let mut settings = fast_settings();
    settings.http.max_attempts = 3;
    let env = env().await;
    env.ws.push_fault(Fault::RateLimited(RetryAfter::Seconds), 100, MEMBERS);
    let (sink, e) = sync_err(&env.connector(settings)).await;
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
    assert!(sink.users.is_empty());
    assert_eq!(env.ws.stats().by_path.get("/api/members"), Some(&3));
    assert_eq!(env.ws.stats().rate_limited, 3);
}

#[tokio::test]
async fn persistent_rate_limiting_without_retry_after_is_rate_limited() {
    let mut settings = fast_settings();
    settings.http.max_attempts = 3;
    persistent(Fault::RateLimited(RetryAfter::Omit), settings, ErrorKind::RateLimited).await;
}
