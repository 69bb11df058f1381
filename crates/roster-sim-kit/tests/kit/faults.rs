//! Each fault of the vocabulary, as a client sees it.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, LOCATION, RETRY_AFTER};
use roster_sim_kit::probe::{client, content_type, get_json};
use roster_sim_kit::{Fault, RetryAfter};
use serde_json::Value;

use crate::toy::{Shop, ToySim, start};

async fn send(sim: &ToySim, path: &str) -> reqwest::Result<reqwest::Response> {
    client().get(format!("{}{path}", sim.base_url())).bearer_auth("tok").send().await
}

async fn one(fault: Fault) -> (ToySim, Shop, reqwest::Result<reqwest::Response>) {
    let (sim, shop) = start(5).await;
    shop.push_fault(fault, 1, None);
    let resp = send(&sim, "/items").await;
    (sim, shop, resp)
}

async fn assert_recovers(sim: &ToySim) {
    let (status, body) = get_json(&sim.base_url(), Some("tok"), "/items").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 5);
}

#[tokio::test]
async fn statuses_use_the_vendor_envelope() {
    for code in [500_u16, 502, 503, 504, 418] {
        let (sim, shop, resp) = one(Fault::Status(code)).await;
        let resp = resp.unwrap();
        assert_eq!(resp.status().as_u16(), code);
        let body: Value = resp.json().await.unwrap();
        assert!(body["error"].is_string());
        assert_recovers(&sim).await;
        assert_eq!(shop.stats().faults, 1);
    }
}

#[tokio::test]
async fn html_pages_and_wrong_content_types() {
    let (_sim, _shop, resp) = one(Fault::HtmlError(502)).await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
    assert!(content_type(&resp).starts_with("text/html"));
    assert!(resp.text().await.unwrap().contains("<html>"));
    for fault in [Fault::HtmlOk, Fault::WrongContentType] {
        let (_sim, _shop, resp) = one(fault).await;
        let resp = resp.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(!content_type(&resp).contains("json"));
        assert!(serde_json::from_str::<Value>(&resp.text().await.unwrap()).is_err());
    }
}

#[tokio::test]
async fn injected_rate_limits_in_each_style() {
    for style in [RetryAfter::Seconds, RetryAfter::HttpDate, RetryAfter::IsoDate, RetryAfter::Omit] {
        let (sim, shop, resp) = one(Fault::RateLimited(style)).await;
        let resp = resp.unwrap();
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
        let header = resp.headers().get(RETRY_AFTER).map(|v| v.to_str().unwrap().to_owned());
        match style {
            RetryAfter::Seconds => assert_eq!(header.as_deref(), Some("1")),
            RetryAfter::HttpDate => assert!(httpdate::parse_http_date(&header.unwrap()).is_ok()),
            RetryAfter::IsoDate => assert!(chrono::DateTime::parse_from_rfc3339(&header.unwrap()).is_ok()),
            RetryAfter::Omit => assert!(header.is_none()),
        }
        assert_eq!(shop.stats().rate_limited, 1);
        assert_recovers(&sim).await;
    }
}

#[tokio::test]
async fn a_reset_gives_no_response() {
    let (sim, shop, resp) = one(Fault::ResetConnection).await;
    let err = resp.expect_err("the connection is reset");
    assert!(err.status().is_none());
    assert!(err.is_request() || err.is_connect() || err.is_body(), "{err:?}");
    assert_eq!(shop.stats().faults, 1);
    assert_recovers(&sim).await;
}

#[tokio::test]
async fn truncated_json_has_valid_framing_and_aborted_bodies_fail() {
    let (sim, _shop, resp) = one(Fault::TruncatedJson).await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let length: usize = resp.headers()[CONTENT_LENGTH].to_str().unwrap().parse().unwrap();
    let body = resp.bytes().await.expect("framing is valid");
    assert_eq!(body.len(), length);
    assert!(serde_json::from_slice::<Value>(&body).is_err());
    assert_recovers(&sim).await;

    let (sim, _shop, resp) = one(Fault::AbortedBody).await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.bytes().await.is_err());
    assert_recovers(&sim).await;
}

#[tokio::test]
async fn auth_faults_redirects_and_vendor_faults() {
    let (_sim, _shop, resp) = one(Fault::Unauthorized).await;
    assert_eq!(resp.unwrap().status(), StatusCode::UNAUTHORIZED);
    let (_sim, _shop, resp) = one(Fault::Forbidden).await;
    assert_eq!(resp.unwrap().status(), StatusCode::FORBIDDEN);
    let (_sim, _shop, resp) = one(Fault::Redirect("https://elsewhere.example.com/items".into())).await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(resp.headers()[LOCATION], "https://elsewhere.example.com/items");
    let (_sim, _shop, resp) = one(Fault::Vendor("kettle")).await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::IM_A_TEAPOT);
    assert_eq!(resp.json::<Value>().await.unwrap()["error"], "kettle");
}

#[tokio::test]
async fn a_delay_then_the_normal_response_or_a_cancellation() {
    let (sim, shop) = start(5).await;
    shop.push_fault(Fault::Delay(Duration::from_millis(300)), 1, None);
    let started = Instant::now();
    assert_recovers(&sim).await;
    assert!(started.elapsed() >= Duration::from_millis(300));

    shop.push_fault(Fault::Delay(Duration::from_secs(30)), 1, None);
    let err = client()
        .get(format!("{}/items", sim.base_url()))
        .bearer_auth("tok")
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout());
    let deadline = Instant::now() + Duration::from_secs(5);
    while shop.stats().cancelled == 0 {
        assert!(Instant::now() < deadline, "the delayed request was not cancelled");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn queues_follow_route_method_and_count() {
    let (sim, shop) = start(5).await;
    shop.push_fault(Fault::Status(503), 2, Some("/items"));
    shop.push_fault(Fault::Status(500), 1, Some("POST /me"));
    assert_eq!(send(&sim, "/me").await.unwrap().status(), StatusCode::OK);
    assert_eq!(send(&sim, "/items").await.unwrap().status().as_u16(), 503);
    assert_eq!(send(&sim, "/items?x=1").await.unwrap().status().as_u16(), 503);
    assert_eq!(send(&sim, "/items").await.unwrap().status(), StatusCode::OK);
    assert_eq!(shop.stats().faults, 2);
}

#[tokio::test]
async fn random_faults_then_cleared() {
    let (sim, shop) = start(5).await;
    shop.set_random_faults_from(1.0, 3, vec![Fault::Status(503)]);
    for _ in 0..5 {
        assert_eq!(send(&sim, "/items").await.unwrap().status().as_u16(), 503);
    }
    shop.set_random_faults(0.5, 9);
    let mut failures = 0;
    for _ in 0..40 {
        match send(&sim, "/me").await {
            Ok(resp) if resp.status() == StatusCode::OK => {
                let ok = resp.bytes().await.is_ok_and(|b| serde_json::from_slice::<Value>(&b).is_ok());
                failures += usize::from(!ok);
            }
            _ => failures += 1,
        }
    }
    assert!((5..35).contains(&failures), "{failures}");
    shop.clear_faults();
    assert_recovers(&sim).await;
}

#[tokio::test]
async fn a_slow_body_sends_its_first_chunk_then_holds_the_rest_back() {
    let (sim, shop) = start(600).await;
    shop.push_fault(Fault::SlowBody(Duration::from_secs(30)), 1, None);
    let mut resp = send(&sim, "/items").await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let mut head = Vec::new();
    while let Ok(chunk) = tokio::time::timeout(Duration::from_millis(500), resp.chunk()).await {
        match chunk.unwrap() {
            Some(bytes) => head.extend_from_slice(&bytes),
            None => panic!("the whole body arrived at once"),
        }
    }
    assert!(head.starts_with(b"{\"items\":["), "{}", String::from_utf8_lossy(&head));
    assert!(serde_json::from_slice::<Value>(&head).is_err(), "the body is not complete yet");
    drop(resp);
    shop.push_fault(Fault::SlowBody(Duration::from_millis(5)), 1, None);
    let (status, body) = get_json(&sim.base_url(), Some("tok"), "/items").await;
    assert_eq!((status, body["total"].as_u64()), (StatusCode::OK, Some(600)));
}
