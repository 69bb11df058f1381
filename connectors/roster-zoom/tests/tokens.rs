//! The access token: minted once and cached, refreshed once when Zoom refuses it mid-sync,
//! and a classified error when refreshing does not help.

mod common;

use common::{Env, assert_complete, sync_err, sync_into, sync_ok};
use roster_core::{ErrorKind, LicenseType, Sink, SinkError, TenantRecord, User};
use roster_testkit::MemorySink;
use roster_zoom_sim::{ZoomAccount, faults};
use serde_json::Value;

#[tokio::test]
async fn one_token_serves_a_whole_sync_and_the_next() {
    let env = Env::generated(200, 1).await;
    let z = env.fast_connector();
    sync_ok(&z).await;
    sync_ok(&z).await;
    assert_eq!(env.account.stats().counter("tokens_issued"), 1);
    let token_requests: Vec<_> =
        env.sim.requests().into_iter().filter(|r| r.path == "/oauth/token").collect();
    assert_eq!(token_requests.len(), 1);
    let r = &token_requests[0];
    assert_eq!(r.method, "POST");
    let query = r.query.clone().unwrap_or_default();
    assert!(query.contains("grant_type=account_credentials"), "{query}");
    assert!(query.contains(&format!("account_id={}", env.account.account_id())), "{query}");
    assert!(r.authorization.as_deref().is_some_and(|a| a.starts_with("Basic ")));
    for api in env.sim.requests().iter().filter(|r| r.path.starts_with("/v2/")) {
        assert!(api.authorization.as_deref().is_some_and(|a| a.starts_with("Bearer eyJ")), "{api:?}");
    }
}

/// A sink that does something to the account when the first user arrives, mid-listing.
struct Midway {
    inner: MemorySink,
    account: ZoomAccount,
    action: fn(&ZoomAccount),
    done: bool,
}

#[async_trait::async_trait]
impl Sink for Midway {
    async fn tenant(&mut self, record: TenantRecord) -> Result<(), SinkError> {
        self.inner.tenant(record).await
    }
    async fn user(&mut self, user: User) -> Result<(), SinkError> {
        if !self.done {
            self.done = true;
            (self.action)(&self.account);
        }
        Sink::user(&mut self.inner, user).await
    }
    async fn license(&mut self, license: LicenseType) -> Result<(), SinkError> {
        self.inner.license(license).await
    }
    async fn state(&mut self, state: Value) -> Result<(), SinkError> {
        self.inner.state(state).await
    }
    fn skipped(&mut self, record: &str, reason: &str) {
        self.inner.skipped(record, reason);
    }
    fn note(&mut self, note: &str) {
        self.inner.note(note);
    }
}

async fn sync_with(
    env: &Env,
    action: fn(&ZoomAccount),
) -> (MemorySink, Result<(), roster_core::ConnectorError>) {
    let mut sink = Midway { inner: MemorySink::new(), account: env.account.clone(), action, done: false };
    let z = env.connector(roster_zoom::ZoomSettings { page_size: 10, ..common::fast_settings() });
    let result = sync_into(&z, &mut sink).await;
    (sink.inner, result)
}

#[tokio::test]
async fn a_token_that_expires_mid_sync_is_replaced_once_and_the_sync_completes() {
    let env = Env::generated(80, 2).await;
    let (sink, result) = sync_with(&env, ZoomAccount::expire_tokens).await;
    result.unwrap_or_else(|e| panic!("{e}: {}", e.remediation()));
    assert_complete(&sink, &env.account);
    let stats = env.account.stats();
    assert_eq!((stats.counter("tokens_issued"), stats.counter("token_refusals")), (2, 1));
}

#[tokio::test]
async fn a_token_revoked_mid_sync_is_replaced_too() {
    let env = Env::generated(80, 2).await;
    let (sink, result) = sync_with(&env, ZoomAccount::revoke_tokens).await;
    assert!(result.is_ok(), "{result:?}");
    assert_complete(&sink, &env.account);
}

#[tokio::test]
async fn an_app_deactivated_mid_sync_is_invalid_credentials() {
    let env = Env::generated(80, 2).await;
    let (_, result) = sync_with(&env, |a| a.set_app_activated(false)).await;
    let e = result.expect_err("the app can no longer mint tokens");
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials, "{e}");
    assert!(e.remediation().contains("activated"), "{}", e.remediation());
    assert!(!format!("{e:?}").contains(&env.account.client_secret()));
}

#[tokio::test]
async fn a_fresh_token_refused_again_is_invalid_credentials_after_one_refresh() {
    let env = Env::generated(20, 2).await;
    env.account.push_fault(faults::EXPIRED_TOKEN, 2, Some("/v2/roles"));
    let (sink, e) = sync_err(&env.fast_connector()).await;
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials, "{e}");
    assert!(e.message().contains("freshly minted"), "{e}");
    assert!(sink.users.is_empty());
    assert_eq!(env.account.stats().counter("tokens_issued"), 2, "exactly one refresh");
}

#[tokio::test]
async fn code_124_with_status_400_is_handled_like_401() {
    let env = Env::start(30, 2, |s| s.settings.invalid_token_status = 400).await;
    env.account.push_fault(faults::INVALID_TOKEN, 1, Some("/v2/users"));
    let sink = sync_ok(&env.fast_connector()).await;
    assert_complete(&sink, &env.account);
    assert_eq!(env.account.stats().counter("tokens_issued"), 2);
}
