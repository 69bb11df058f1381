//! Each injected fault, as a client sees it.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, LOCATION, RETRY_AFTER};
use roster_workato_sim::{Fault, RetryAfterStyle, Workspace};
use serde_json::Value;

use crate::common::{client, content_type, get, get_json, sim_with};

async fn one(fault: Fault) -> (roster_workato_sim::Simulator, Workspace, reqwest::Result<reqwest::Response>) {
    let (sim, ws) = sim_with(1, 5, |_| {}).await;
    ws.push_fault(fault, 1, None);
    let resp = get(&sim, Some(&ws.token()), "/api/members").await;
    (sim, ws, resp)
}

async fn assert_recovers(sim: &roster_workato_sim::Simulator, ws: &Workspace) {
    let (status, body) = get_json(sim, Some(&ws.token()), "/api/members").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 5);
}

#[tokio::test]
async fn server_errors_with_json_bodies() {
    for code in [500_u16, 502, 503, 504] {
        let (sim, ws, resp) = one(Fault::Status(code)).await;
        let resp = resp.unwrap();
        assert_eq!(resp.status().as_u16(), code);
        let body: Value = resp.json().await.unwrap();
        assert!(body["message"].is_string());
        assert_recovers(&sim, &ws).await;
        assert_eq!(ws.stats().faults, 1);
    }
}

#[tokio::test]
async fn html_error_pages() {
    let (_sim, _ws, resp) = one(Fault::HtmlError(502)).await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
    assert!(content_type(&resp).starts_with("text/html"));
    assert!(resp.text().await.unwrap().contains("<html>"));

    let (_sim, _ws, resp) = one(Fault::HtmlOk).await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(content_type(&resp).starts_with("text/html"));
    assert!(serde_json::from_str::<Value>(&resp.text().await.unwrap()).is_err());
}

#[tokio::test]
async fn wrong_content_type() {
    let (_sim, _ws, resp) = one(Fault::WrongContentType).await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(content_type(&resp).starts_with("text/plain"));
    assert!(serde_json::from_str::<Value>(&resp.text().await.unwrap()).is_err());
}

#[tokio::test]
async fn injected_rate_limits() {
    for style in [RetryAfterStyle::Seconds, RetryAfterStyle::HttpDate, RetryAfterStyle::Omit] {
        let (sim, ws, resp) = one(Fault::RateLimited(style)).await;
        let resp = resp.unwrap();
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
        let header = resp.headers().get(RETRY_AFTER).map(|v| v.to_str().unwrap().to_owned());
        match style {
            RetryAfterStyle::Seconds => assert_eq!(header.as_deref(), Some("1")),
            RetryAfterStyle::HttpDate => {
                assert!(httpdate::parse_http_date(&header.unwrap()).is_ok())
            }
            RetryAfterStyle::Omit => assert!(header.is_none()),
        }
        assert_eq!(ws.stats().rate_limited, 1);
        assert_recovers(&sim, &ws).await;
    }
}

#[tokio::test]
async fn reset_connection_gives_no_response() {
    let (sim, ws, resp) = one(Fault::ResetConnection).await;
    let err = resp.expect_err("the connection is reset");
    assert!(err.status().is_none());
    assert!(err.is_request() || err.is_connect() || err.is_body(), "{err:?}");
    assert_eq!(ws.stats().faults, 1);
    assert_recovers(&sim, &ws).await;
}

#[tokio::test]
async fn truncated_json_has_valid_framing() {
    let (sim, ws, resp) = one(Fault::TruncatedJson).await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let length: usize = resp.headers()[CONTENT_LENGTH].to_str().unwrap().parse().unwrap();
    let body = resp.bytes().await.expect("framing is valid");
    assert_eq!(body.len(), length);
    assert!(serde_json::from_slice::<Value>(&body).is_err());
    assert_recovers(&sim, &ws).await;
}

#[tokio::test]
async fn aborted_body_fails_the_read() {
    let (sim, ws, resp) = one(Fault::AbortedBody).await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.bytes().await.is_err());
    assert_recovers(&sim, &ws).await;
}

#[tokio::test]
async fn auth_faults_and_redirects() {
    let (_sim, _ws, resp) = one(Fault::Unauthorized).await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(resp.json::<Value>().await.unwrap()["message"], "Unauthorized");

    let (_sim, _ws, resp) = one(Fault::Forbidden).await;
    assert_eq!(resp.unwrap().status(), StatusCode::FORBIDDEN);

    let (_sim, _ws, resp) = one(Fault::Redirect("https://app.eu.workato.com/api/members".into())).await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(resp.headers()[LOCATION], "https://app.eu.workato.com/api/members");
}

#[tokio::test]
async fn delay_then_normal_response() {
    let (sim, ws) = sim_with(1, 5, |_| {}).await;
    ws.push_fault(Fault::Delay(Duration::from_millis(300)), 1, None);
    let started = Instant::now();
    let (status, body) = get_json(&sim, Some(&ws.token()), "/api/members").await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 5);
}

#[tokio::test]
async fn delay_is_cancelled_when_the_client_leaves() {
    let (sim, ws) = sim_with(1, 5, |_| {}).await;
    ws.push_fault(Fault::Delay(Duration::from_secs(30)), 1, None);
    let err = client()
        .get(format!("{}/api/members", sim.base_url()))
        .bearer_auth(ws.token())
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout());
    let deadline = Instant::now() + Duration::from_secs(5);
    while ws.stats().cancelled == 0 {
        assert!(Instant::now() < deadline, "the delayed request was not cancelled");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(ws.stats().cancelled, 1);
}

#[tokio::test]
async fn latency_applies_to_every_response() {
    let (sim, ws) = sim_with(1, 5, |s| s.settings.latency = Duration::from_millis(150)).await;
    let started = Instant::now();
    let (status, _) = get_json(&sim, Some(&ws.token()), "/api/users/me").await;
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn queued_faults_respect_prefix_and_count() {
    let (sim, ws) = sim_with(1, 5, |_| {}).await;
    let token = ws.token();
    ws.push_fault(Fault::Status(503), 2, Some("/api/members"));
    assert_eq!(get(&sim, Some(&token), "/api/users/me").await.unwrap().status(), StatusCode::OK);
    assert_eq!(get(&sim, Some(&token), "/api/members/1000").await.unwrap().status().as_u16(), 503);
    assert_eq!(get(&sim, Some(&token), "/api/members").await.unwrap().status().as_u16(), 503);
    assert_eq!(get(&sim, Some(&token), "/api/members").await.unwrap().status(), StatusCode::OK);
    assert_eq!(ws.stats().faults, 2);
}

#[tokio::test]
async fn random_faults() {
    let (sim, ws) = sim_with(1, 5, |_| {}).await;
    let token = ws.token();
    ws.set_random_faults_from(1.0, 3, vec![Fault::Status(503)]);
    for _ in 0..5 {
        assert_eq!(get(&sim, Some(&token), "/api/members").await.unwrap().status().as_u16(), 503);
    }
    ws.set_random_faults(0.5, 9);
    let mut failures = 0;
    for _ in 0..40 {
        match get(&sim, Some(&token), "/api/users/me").await {
            Ok(resp) if resp.status() == StatusCode::OK => {
                let ok = resp.bytes().await.is_ok_and(|b| serde_json::from_slice::<Value>(&b).is_ok());
                failures += usize::from(!ok);
            }
            _ => failures += 1,
        }
    }
    assert!((5..35).contains(&failures), "{failures}");
    ws.clear_faults();
    assert_eq!(get(&sim, Some(&token), "/api/members").await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_slow_body_sends_its_first_chunk_then_holds_the_rest_back() {
    let (sim, ws) = sim_with(1, 600, |_| {}).await;
    ws.push_fault(Fault::SlowBody(Duration::from_secs(30)), 1, None);
    let mut resp = get(&sim, Some(&ws.token()), "/api/members").await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    // Everything that arrives before a pause: the first chunk of members only.
    let mut head = Vec::new();
    while let Ok(chunk) = tokio::time::timeout(Duration::from_millis(500), resp.chunk()).await {
        match chunk.unwrap() {
            Some(bytes) => head.extend_from_slice(&bytes),
            None => panic!("the whole body arrived at once"),
        }
    }
    assert!(head.starts_with(b"{\"data\":[{"), "{}", String::from_utf8_lossy(&head[..head.len().min(80)]));
    assert!(serde_json::from_slice::<Value>(&head).is_err(), "the body is not complete yet");
    drop(resp);

    // A short hold delivers the complete body.
    ws.push_fault(Fault::SlowBody(Duration::from_millis(20)), 1, None);
    let (status, body) = get_json(&sim, Some(&ws.token()), "/api/members").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 600);
    assert_eq!(ws.stats().faults, 2);
}
