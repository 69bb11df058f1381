//! Per-label limits and the headers that describe them.

use reqwest::StatusCode;
use roster_zoom_sim::RateLimits;
use serde_json::Value;

use crate::common::{get, header, sim_with, token};

#[tokio::test]
async fn every_response_names_its_label_and_budget() {
    let (sim, account) = sim_with(5, |_| {}).await;
    let t = token(&sim, &account).await;
    let resp = get(&sim, &t, "/v2/users").await;
    assert_eq!(header(&resp, "x-ratelimit-category").as_deref(), Some("Medium"));
    assert_eq!(header(&resp, "x-ratelimit-limit").as_deref(), Some("20"));
    assert_eq!(header(&resp, "x-ratelimit-remaining").as_deref(), Some("19"));
    let resp = get(&sim, &t, "/v2/accounts/me/plans/usage").await;
    assert_eq!(header(&resp, "x-ratelimit-category").as_deref(), Some("Heavy"));
}

#[tokio::test]
async fn a_full_second_is_a_qps_429_without_retry_after() {
    // A budget of zero: the window is always full, whatever the timing.
    let limits = RateLimits { medium_per_second: 0, ..RateLimits::pro() };
    let (sim, account) = sim_with(5, |s| s.settings.rate_limit = Some(limits)).await;
    let t = token(&sim, &account).await;
    let resp = get(&sim, &t, "/v2/users").await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&resp, "x-ratelimit-type").as_deref(), Some("QPS"));
    assert_eq!(header(&resp, "x-ratelimit-remaining").as_deref(), Some("0"));
    assert_eq!(header(&resp, "retry-after"), None);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["code"], 429);
    assert!(account.stats().rate_limited >= 1);
}

#[tokio::test]
async fn the_daily_limit_names_the_next_utc_midnight() {
    let limits = RateLimits { daily: Some(1), ..RateLimits::pro() };
    let (sim, account) = sim_with(5, |s| s.settings.rate_limit = Some(limits)).await;
    let t = token(&sim, &account).await;
    assert_eq!(get(&sim, &t, "/v2/users").await.status(), StatusCode::OK);
    let resp = get(&sim, &t, "/v2/roles").await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&resp, "x-ratelimit-type").as_deref(), Some("Daily-limit"));
    let retry = header(&resp, "retry-after").expect("retry-after");
    assert!(retry.ends_with("T00:00:00Z"), "{retry}");
}
