//! 429s with each `Retry-After` style.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use roster_workato_sim::{RateLimit, RateLimitScope, RetryAfter};
use serde_json::{Value, json};

use crate::common::{get, sim_with};

async fn limited(style: RetryAfter) -> reqwest::Response {
    let (sim, ws) = sim_with(1, 3, |s| {
        s.settings.rate_limit = Some(RateLimit { per_minute: 3, retry_after: style });
    })
    .await;
    for _ in 0..3 {
        let resp = get(&sim, Some(&ws.token()), "/api/members").await;
        assert_eq!(resp.status(), StatusCode::OK);
    }
    let resp = get(&sim, Some(&ws.token()), "/api/users/me").await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let stats = ws.stats();
    assert_eq!((stats.requests, stats.rate_limited), (4, 1));
    resp
}

#[tokio::test]
async fn retry_after_in_seconds() {
    let resp = limited(RetryAfter::Seconds).await;
    let secs: u64 = resp.headers()[RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&secs), "{secs}");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body, json!({"message": "Too many requests"}));
}

#[tokio::test]
async fn retry_after_as_http_date() {
    let resp = limited(RetryAfter::HttpDate).await;
    let text = resp.headers()[RETRY_AFTER].to_str().unwrap().to_owned();
    let at = httpdate::parse_http_date(&text).unwrap();
    let now = SystemTime::now();
    assert!(at + Duration::from_secs(1) >= now, "{text}");
    assert!(at <= now + Duration::from_secs(62), "{text}");
}

#[tokio::test]
async fn retry_after_omitted() {
    let resp = limited(RetryAfter::Omit).await;
    assert!(resp.headers().get(RETRY_AFTER).is_none());
}

#[tokio::test]
async fn default_limit_is_sixty_per_minute() {
    let (sim, ws) = sim_with(1, 1, |s| s.settings.rate_limit = Some(RateLimit::default())).await;
    for i in 0..60 {
        let resp = get(&sim, Some(&ws.token()), "/api/users/me").await;
        assert_eq!(resp.status(), StatusCode::OK, "request {i}");
    }
    let resp = get(&sim, Some(&ws.token()), "/api/users/me").await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    ws.reset_rate_limit();
    let resp = get(&sim, Some(&ws.token()), "/api/users/me").await;
    assert_eq!(resp.status(), StatusCode::OK);
    ws.update_settings(|s| s.rate_limit = None);
    for _ in 0..70 {
        let resp = get(&sim, Some(&ws.token()), "/api/users/me").await;
        assert_eq!(resp.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn per_family_scope() {
    let (sim, ws) = sim_with(1, 1, |s| {
        s.settings.rate_limit = Some(RateLimit { per_minute: 2, retry_after: RetryAfter::Seconds });
        s.settings.rate_limit_scope = RateLimitScope::ResourceFamily;
    })
    .await;
    let token = ws.token();
    for path in ["/api/members", "/api/members/1000", "/api/users/me", "/api/users/me"] {
        assert_eq!(get(&sim, Some(&token), path).await.status(), StatusCode::OK, "{path}");
    }
    let resp = get(&sim, Some(&token), "/api/members").await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
}
