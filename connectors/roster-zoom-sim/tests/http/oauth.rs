//! The token endpoint and token lifecycle.

use std::time::Duration;

use reqwest::StatusCode;
use roster_zoom_sim::Fault;
use roster_zoom_sim::scopes::{ACTION_SCOPES, GRANULAR_SCOPES};
use serde_json::json;

use crate::common::{client, get_json, sim_with, token, token_request};

#[tokio::test]
async fn a_token_is_issued_with_lifetime_scopes_and_api_url() {
    let (sim, account) = sim_with(3, |s| s.settings.token_lifetime = Duration::from_secs(120)).await;
    let (status, body) =
        token_request(&sim, &account.client_id(), &account.client_secret(), &account.account_id()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 120);
    let scopes: Vec<&str> = GRANULAR_SCOPES.iter().chain(&ACTION_SCOPES).copied().collect();
    assert_eq!(body["scope"], scopes.join(" "));
    assert!(body["scope"].as_str().is_some_and(|s| s.starts_with(
        "user:read:list_users:admin role:read:list_roles:admin billing:read:plan_usage:admin user:read:user:admin"
    )));
    assert_eq!(body["api_url"], json!(sim.base_url()));
    assert!(body["access_token"].as_str().is_some_and(|t| t.starts_with("eyJ")));
    assert_eq!(account.stats().counter("tokens_issued"), 1);
}

#[tokio::test]
async fn parameters_in_a_form_body_work_too() {
    let (sim, account) = sim_with(1, |_| {}).await;
    let resp = client()
        .post(format!("{}/oauth/token", sim.base_url()))
        .basic_auth(account.client_id(), Some(account.client_secret()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("grant_type=account_credentials&account_id={}", account.account_id()))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_credentials_get_oauth_errors() {
    let (sim, account) = sim_with(1, |_| {}).await;
    let (id, secret, acct) = (account.client_id(), account.client_secret(), account.account_id());
    let (status, body) = token_request(&sim, &id, "wrong", &acct).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
        )
    );
    let (status, body) = token_request(&sim, "nobody", &secret, &acct).await;
    assert_eq!((status, body["error"].clone()), (StatusCode::BAD_REQUEST, json!("invalid_client")));
    let (status, body) = token_request(&sim, &id, &secret, "other-account").await;
    assert_eq!((status, body["error"].clone()), (StatusCode::BAD_REQUEST, json!("invalid_request")));
    account.set_app_activated(false);
    let (status, body) = token_request(&sim, &id, &secret, &acct).await;
    assert_eq!(
        (status, body["reason"].clone()),
        (StatusCode::BAD_REQUEST, json!("The app is not activated"))
    );

    let resp = client()
        .post(format!("{}/oauth/token?grant_type=client_credentials", sim.base_url()))
        .basic_auth(id, Some(secret))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(resp.json::<serde_json::Value>().await.expect("json")["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn expired_revoked_and_unknown_tokens_get_code_124() {
    let (sim, account) = sim_with(3, |_| {}).await;
    let t = token(&sim, &account).await;
    assert_eq!(get_json(&sim, &t, "/v2/users").await.0, StatusCode::OK);

    account.expire_tokens();
    let (status, body) = get_json(&sim, &t, "/v2/users").await;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, json!({"code": 124, "message": "Access token is expired."}))
    );
    let fresh = token(&sim, &account).await;
    assert_eq!(get_json(&sim, &fresh, "/v2/users").await.0, StatusCode::OK);

    account.revoke_tokens();
    let (status, body) = get_json(&sim, &fresh, "/v2/users").await;
    assert_eq!((status, body["message"].clone()), (StatusCode::UNAUTHORIZED, json!("Invalid access token.")));
    let (status, body) = get_json(&sim, "not-a-token", "/v2/users").await;
    assert_eq!((status, body["code"].clone()), (StatusCode::UNAUTHORIZED, json!(124)));
    assert_eq!(account.stats().counter("token_refusals"), 2);
}

#[tokio::test]
async fn a_zero_lifetime_token_is_expired_at_once() {
    let (sim, account) = sim_with(1, |s| s.settings.token_lifetime = Duration::ZERO).await;
    let t = token(&sim, &account).await;
    let (status, body) = get_json(&sim, &t, "/v2/users").await;
    assert_eq!(
        (status, body["message"].clone()),
        (StatusCode::UNAUTHORIZED, json!("Access token is expired."))
    );
}

#[tokio::test]
async fn faults_reach_the_token_endpoint() {
    let (sim, account) = sim_with(1, |_| {}).await;
    account.push_fault(Fault::Status(503), 1, Some("/oauth/token"));
    let (status, _) =
        token_request(&sim, &account.client_id(), &account.client_secret(), &account.account_id()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    token(&sim, &account).await;
}
