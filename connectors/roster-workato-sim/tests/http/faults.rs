//! The kit's faults in Workato's words (the kit's own tests cover how each fault behaves).

use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use roster_workato_sim::{Fault, JSON_CONTENT_TYPE, RetryAfter, Workspace};
use serde_json::Value;

use crate::common::{content_type, get, get_json, sim_with};

async fn one(fault: Fault, f: impl FnOnce(&Workspace)) -> reqwest::Response {
    let (sim, ws) = sim_with(1, 5, |_| {}).await;
    f(&ws);
    ws.push_fault(fault, 1, Some("/api/members"));
    let resp = get(&sim, Some(&ws.token()), "/api/members").await;
    let (status, body) = get_json(&sim, Some(&ws.token()), "/api/members").await;
    assert_eq!((status, body["total"].as_u64()), (StatusCode::OK, Some(5)), "the next request is served");
    assert_eq!(ws.stats().faults, 1);
    resp
}

#[tokio::test]
async fn server_errors_carry_a_message() {
    for code in [500_u16, 502, 503, 504] {
        let resp = one(Fault::Status(code), |_| {}).await;
        assert_eq!(resp.status().as_u16(), code);
        assert_eq!(content_type(&resp), JSON_CONTENT_TYPE);
        assert!(resp.json::<Value>().await.unwrap()["message"].is_string());
    }
}

#[tokio::test]
async fn a_401_says_the_workspace_message() {
    let resp = one(Fault::Unauthorized, |ws| {
        ws.update_settings(|s| s.unauthorized_message = "Invalid token".into())
    })
    .await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(resp.json::<Value>().await.unwrap()["message"], "Invalid token");
}

#[tokio::test]
async fn html_pages_are_workato_branded_and_truncated_bodies_are_member_lists() {
    let resp = one(Fault::HtmlError(502), |_| {}).await;
    assert!(resp.text().await.unwrap().contains("| Workato"));
    let resp = one(Fault::TruncatedJson, |_| {}).await;
    assert!(resp.text().await.unwrap().starts_with(r#"{"data":[{"id":1000"#));
}

#[tokio::test]
async fn injected_429s_say_too_many_requests() {
    let resp = one(Fault::RateLimited(RetryAfter::Seconds), |_| {}).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(resp.headers()[RETRY_AFTER], "1");
    assert_eq!(resp.json::<Value>().await.unwrap()["message"], "Too many requests");
}
