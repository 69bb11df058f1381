//! The token: cached for a sync, minted again once when Graph refuses it, and faults of
//! the token endpoint and of Graph (429 with a fractional `Retry-After`) waited out.

mod common;

use common::{Env, sync_err, sync_ok};
use roster_core::ErrorKind;
use roster_microsoft365_sim::{Fault, RetryAfter, faults};

#[tokio::test]
async fn one_token_serves_a_sync_and_a_refused_one_is_minted_again_once() {
    let env = Env::start(30, |_| {}).await;
    let c = env.connector();
    let issued = || env.tenant.stats().counter("tokens_issued");
    sync_ok(&c).await;
    assert_eq!(issued(), 1);
    sync_ok(&c).await;
    assert_eq!(issued(), 1, "the cached token is used again");

    env.tenant.push_fault(faults::EXPIRED_TOKEN, 1, Some("/v1.0/users"));
    assert_eq!(sync_ok(&c).await.users.len(), 30);
    assert_eq!(issued(), 2);
    env.tenant.expire_tokens();
    sync_ok(&c).await;
    assert_eq!(issued(), 3);

    env.tenant.push_fault(faults::EXPIRED_TOKEN, 2, Some("/v1.0/subscribedSkus"));
    let e = sync_err(&c).await;
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials, "{e}");
    assert!(e.message().contains("freshly minted"), "{e}");
}

#[tokio::test]
async fn faults_on_the_token_endpoint_and_fractional_retry_after_are_waited_out() {
    let env = Env::start(20, |s| s.settings.fractional_retry_after = true).await;
    let token_path = format!("/{}/oauth2/v2.0/token", env.tenant.tenant_id());
    env.tenant.push_fault(Fault::Status(503), 1, Some(&token_path));
    env.tenant.push_fault(Fault::RateLimited(RetryAfter::Seconds), 1, Some(&token_path));
    env.tenant.push_fault(Fault::RateLimited(RetryAfter::Seconds), 1, Some("/v1.0/directoryRoles"));
    let sink = sync_ok(&env.connector()).await;
    assert_eq!(sink.users.len(), 20);
    assert_eq!(env.tenant.stats().faults, 3);
}
