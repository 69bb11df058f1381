//! Rate limits (a per-customer budget, answered in each of Google's styles) and faults.

use std::time::Duration;

use reqwest::StatusCode;
use roster_google_workspace_sim::{Fault, RateLimit, RateLimitAnswer, RetryAfter, faults};
use serde_json::json;

use crate::common::{get, get_json, header, sim_with, token};

const USERS: &str = "/admin/directory/v1/users?customer=my_customer";

#[tokio::test]
async fn a_spent_budget_answers_in_the_configured_style() {
    // A budget of zero: the window is always full, whatever the timing.
    let limit = RateLimit { queries: 0, window: Duration::from_secs(60) };
    let (sim, customer) = sim_with(5, |s| s.settings.rate_limit = Some(limit)).await;
    let t = token(&sim, &customer).await;
    for (answer, status, reason) in [
        (RateLimitAnswer::RateLimitExceeded, 403, "rateLimitExceeded"),
        (RateLimitAnswer::UserRateLimitExceeded, 403, "userRateLimitExceeded"),
        (RateLimitAnswer::ResourceExhausted429, 429, "rateLimitExceeded"),
    ] {
        customer.with(|d| d.settings.rate_limit_answer = answer);
        let resp = get(&sim.base_url(), Some(&t), USERS).await;
        assert_eq!((resp.status().as_u16(), header(&resp, "retry-after")), (status, None), "{answer:?}");
        let body: serde_json::Value = resp.json().await.expect("json");
        assert_eq!(body["error"]["errors"][0]["reason"], json!(reason));
    }
    customer.with(|d| d.settings.retry_after = true);
    let resp = get(&sim.base_url(), Some(&t), USERS).await;
    assert!(header(&resp, "retry-after").is_some_and(|s| s.parse::<u64>().is_ok_and(|s| s <= 60)));
    assert_eq!(customer.stats().rate_limited, 4);
    customer.with(|d| d.settings.rate_limit = Some(RateLimit { queries: 1, ..limit }));
    customer.reset_rate_limit();
    assert_eq!(get(&sim.base_url(), Some(&t), USERS).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn each_fault_answers_then_the_endpoint_recovers() {
    let (sim, customer) = sim_with(5, |_| {}).await;
    let t = token(&sim, &customer).await;
    for (fault, status, reason) in [
        (Fault::RateLimited(RetryAfter::Seconds), 403, "rateLimitExceeded"),
        (faults::API_DISABLED, 403, "accessNotConfigured"),
        (Fault::Status(503), 503, "backendError"),
        (Fault::Unauthorized, 401, "authError"),
    ] {
        customer.push_fault(fault.clone(), 1, Some("/admin/directory/v1/users"));
        let (code, body) = get_json(&sim.base_url(), Some(&t), USERS).await;
        assert_eq!(
            (code.as_u16(), body["error"]["errors"][0]["reason"].clone()),
            (status, json!(reason)),
            "{fault:?}"
        );
        assert_eq!(get(&sim.base_url(), Some(&t), USERS).await.status(), StatusCode::OK, "after {fault:?}");
    }
}
