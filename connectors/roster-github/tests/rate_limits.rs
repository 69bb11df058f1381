//! Both tiers of rate limits, REST and GraphQL: budget headers pace the sync before the
//! budget runs out, primary limits (403 or 429, `x-ratelimit-*`) wait until the reset,
//! secondary limits wait `retry-after` or GitHub's minute, GraphQL `RATE_LIMITED` and
//! `RATE_LIMIT` errors are retried. Waits are driven by the simulator, never by clocks.

mod common;

use std::time::Duration;

use common::{Env, assert_complete, attempts, fast, sync_err, sync_ok};
use roster_core::ErrorKind;
use roster_github::{GithubSettings, SECONDARY_WAIT};
use roster_github_sim::{Fault, PrimaryLimits, RetryAfter, SecondaryLimit, faults};

const REST: Option<&str> = Some("/api/v3/orgs/octo-org-1/outside_collaborators");
const GRAPHQL: Option<&str> = Some("/api/graphql");

async fn completes_after(fault: Fault, route: Option<&str>, f: impl FnOnce(&mut roster_github_sim::OrgSpec)) {
    let env = Env::start(20, f).await;
    env.org.push_fault(fault.clone(), 1, route);
    let sink = sync_ok(&env.owner()).await;
    assert_complete(&sink, &env.org);
    assert_eq!(env.org.stats().faults, 1, "{fault:?}");
}

#[tokio::test]
async fn budget_headers_pause_the_sync_before_the_budget_runs_out() {
    let limits = PrimaryLimits { rest: 3, graphql: 3, window: Duration::from_secs(1) };
    let env = Env::start(12, |s| s.settings.primary = Some(limits)).await;
    let sink = sync_ok(&env.connector(true, GithubSettings { page_size: 4, ..fast() })).await;
    assert_complete(&sink, &env.org);
    let stats = env.org.stats();
    assert!(stats.requests > 6, "more requests than one window allows: {}", stats.requests);
    assert_eq!(stats.rate_limited, 0, "the connector paused instead of running into the limit");
}

#[tokio::test]
async fn a_spent_budget_whose_reset_is_far_fails_as_rate_limited_without_sending() {
    let limits = PrimaryLimits { rest: 2, graphql: 5000, window: Duration::from_secs(3600) };
    let env = Env::start(5, |s| s.settings.primary = Some(limits)).await;
    let e = sync_err(&env.owner()).await;
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
    assert!(e.retry_after().is_some_and(|w| w > Duration::from_secs(3000)), "{:?}", e.retry_after());
    assert_eq!(env.org.stats().rate_limited, 0, "the request past the budget was held back, not sent");
}

#[tokio::test]
async fn primary_rest_limits_as_403_and_429_wait_for_the_reset() {
    for status in [403, 429] {
        completes_after(Fault::RateLimited(RetryAfter::Omit), REST, |s| {
            s.settings.rate_limit_status = status
        })
        .await;
    }
}

#[tokio::test]
async fn graphql_rate_limit_errors_of_both_types_are_retried() {
    for kind in ["RATE_LIMITED", "RATE_LIMIT"] {
        completes_after(Fault::RateLimited(RetryAfter::Omit), GRAPHQL, |s| {
            s.settings.graphql_rate_limit_type = kind
        })
        .await;
    }
}

#[tokio::test]
async fn secondary_limits_with_retry_after_as_403_and_429_are_waited_out() {
    for status in [403, 429] {
        for route in [REST, GRAPHQL] {
            completes_after(faults::SECONDARY_LIMIT, route, |s| s.settings.rate_limit_status = status).await;
        }
    }
}

#[tokio::test]
async fn a_secondary_limit_without_retry_after_asks_for_githubs_minute() {
    for status in [403, 429] {
        let env = Env::start(5, |s| s.settings.rate_limit_status = status).await;
        env.org.push_fault(faults::SECONDARY_LIMIT_BARE, 1, REST);
        let e = sync_err(&env.connector(true, attempts(1))).await;
        assert_eq!(
            (e.kind(), e.retry_after()),
            (ErrorKind::RateLimited, Some(SECONDARY_WAIT)),
            "{status}: {e}"
        );
    }
}

#[tokio::test]
async fn the_servers_secondary_limit_is_backed_off_and_retried() {
    let secondary = SecondaryLimit { requests: 4, window: Duration::from_secs(1), retry_after: true };
    let env = Env::start(20, |s| s.settings.secondary = Some(secondary)).await;
    let sink = sync_ok(&env.connector(true, GithubSettings { page_size: 5, ..attempts(10) })).await;
    assert_complete(&sink, &env.org);
    assert!(env.org.stats().rate_limited > 0, "the secondary limit was met");
}

#[tokio::test]
async fn without_rate_limit_headers_as_ghes_ships_the_sync_runs() {
    let env = Env::start(20, |s| s.settings.primary = None).await;
    assert_complete(&sync_ok(&env.owner()).await, &env.org);
}
