//! Rate limits (Google's 403s and 429s, and the simulator's budget), tokens (one per
//! sync, replaced once when refused), and faults that end a sync in the right kind.

mod common;

use std::time::Duration;

use common::{Env, assert_complete, settings};
use roster_core::ErrorKind;
use roster_google_workspace_sim::{Fault, RateLimit, RateLimitAnswer, RetryAfter, faults};
use roster_testkit::{sync_err, sync_ok};

const USERS: Option<&str> = Some("/admin/directory/v1/users");
const LICENSING: Option<&str> = Some("/apps/licensing/v1/product/Google-Apps/users");

#[tokio::test]
async fn rate_limits_in_each_of_googles_styles_are_waited_out() {
    let env = Env::generated(30, 2).await;
    for answer in [
        RateLimitAnswer::RateLimitExceeded,
        RateLimitAnswer::UserRateLimitExceeded,
        RateLimitAnswer::ResourceExhausted429,
    ] {
        env.customer.with(|d| d.settings.rate_limit_answer = answer);
        env.customer.push_fault(Fault::RateLimited(RetryAfter::Omit), 1, USERS);
        env.customer.push_fault(Fault::RateLimited(RetryAfter::Omit), 2, LICENSING);
        let z = env.fast_connector();
        assert_complete(&sync_ok(&z).await, &env.customer);
        assert_eq!(roster_core::Connector::request_stats(&z).rate_limited, 3, "{answer:?}");
    }
}

#[tokio::test]
async fn the_servers_budget_is_waited_out() {
    let limit = RateLimit { queries: 4, window: Duration::from_secs(1) };
    let env =
        Env::start(30, 2, |s| (s.settings.rate_limit, s.settings.retry_after) = (Some(limit), true)).await;
    assert_complete(&sync_ok(&env.connector(settings(10))).await, &env.customer);
    assert!(env.customer.stats().rate_limited > 0);
}

#[tokio::test]
async fn a_rate_limit_that_outlasts_the_retries_is_rate_limited() {
    let env = Env::generated(5, 2).await;
    env.customer.push_fault(Fault::RateLimited(RetryAfter::Omit), 10, USERS);
    let (_, e) = sync_err(&env.connector(settings(3))).await;
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
}

#[tokio::test]
async fn one_token_serves_a_sync_and_the_next_and_a_refused_one_is_replaced_once() {
    let env = Env::generated(20, 2).await;
    let z = env.fast_connector();
    sync_ok(&z).await;
    sync_ok(&z).await;
    assert_eq!(env.customer.stats().counter("tokens_issued"), 1);
    let posts = env.sim.requests().into_iter().filter(|r| r.path == "/token").collect::<Vec<_>>();
    assert!(posts.len() == 1 && posts[0].method == "POST" && posts[0].authorization.is_none());
    env.customer.push_fault(Fault::Unauthorized, 1, USERS);
    assert_complete(&sync_ok(&z).await, &env.customer);
    assert_eq!(env.customer.stats().counter("tokens_issued"), 2);
    env.customer.expire_tokens();
    env.customer.push_fault(Fault::Unauthorized, 1, USERS);
    assert_complete(&sync_ok(&z).await, &env.customer);
    env.customer.push_fault(Fault::Unauthorized, 2, USERS);
    let (_, e) = sync_err(&z).await;
    assert!(e.kind() == ErrorKind::InvalidCredentials && e.message().contains("freshly minted"), "{e}");
}

#[tokio::test]
async fn token_endpoint_errors_are_retried_and_a_disabled_api_is_config() {
    let env = Env::generated(10, 2).await;
    env.customer.push_fault(Fault::Status(503), 1, Some("/token"));
    assert_complete(&sync_ok(&env.fast_connector()).await, &env.customer);
    env.customer.push_fault(faults::API_DISABLED, 1, USERS);
    let (_, e) = sync_err(&env.fast_connector()).await;
    assert!(e.kind() == ErrorKind::Config && e.remediation().contains("Admin SDK API"), "{e}");
    env.customer.push_fault(Fault::Status(503), 10, USERS);
    let (sink, e) = sync_err(&env.connector(settings(2))).await;
    assert!(e.kind() == ErrorKind::Transient && sink.users.is_empty(), "{e}");
}
