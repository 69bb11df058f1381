//! `POST /token`: the assertion is verified for real, and each refusal is Google's.

use reqwest::StatusCode;
use roster_google_workspace_sim::{Fault, ScopeRefusal, Simulator, scopes::ROLES_READONLY};
use serde_json::{Value, json};

use crate::common::{assertion, sim_with, token_request};

#[tokio::test]
async fn a_valid_assertion_gets_a_bearer_token() {
    let (sim, customer) = sim_with(3, |_| {}).await;
    let a = assertion(&customer.key_file(&sim.base_url()), &customer.admin_email(), |_| {});
    let (status, body) = token_request(&sim, &a).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((body["token_type"].clone(), body["expires_in"].clone()), (json!("Bearer"), json!(3599)));
    assert!(body["access_token"].as_str().is_some_and(|t| t.starts_with("ya29.")));
    assert_eq!(customer.stats().counter("tokens_issued"), 1);
}

/// `(status, error, error_description)` of a token request.
async fn answer(
    sim: &Simulator,
    key: &str,
    admin: &str,
    change: impl FnOnce(&mut Value),
) -> (u16, String, String) {
    let (status, body) = token_request(sim, &assertion(key, admin, change)).await;
    let text = |k: &str| body[k].as_str().unwrap_or_default().to_owned();
    (status.as_u16(), text("error"), text("error_description"))
}

#[tokio::test]
async fn every_check_of_the_assertion_refuses_as_google_does() {
    let (sim, customer) = sim_with(20, |_| {}).await;
    let (key, admin) = (customer.key_file(&sim.base_url()), customer.admin_email());
    let suspended =
        customer.with(|d| d.users.iter().find(|u| u["suspended"] == true).map(|u| u["primaryEmail"].clone()));
    let now = chrono::Utc::now().timestamp();
    let grant = |d: &str| (400, "invalid_grant".to_owned(), d.to_owned());
    let signature = grant("Invalid JWT Signature.");
    let short = grant(
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
    );
    assert_eq!(answer(&sim, &customer.foreign_key_file(&sim.base_url()), &admin, |_| {}).await, signature);
    assert_eq!(answer(&sim, &key, &admin, |j| j["header"]["alg"] = json!("none")).await, signature);
    assert_eq!(answer(&sim, &key, &admin, |j| j["header"]["kid"] = json!("0a1b")).await, signature);
    let aud = json!([format!("{}/token", sim.base_url())]);
    assert_eq!(
        answer(&sim, &key, &admin, |j| j["claims"]["aud"] = aud).await,
        grant("Invalid JWT: Failed audience check.")
    );
    assert_eq!(answer(&sim, &key, &admin, |j| j["claims"]["exp"] = json!(now + 3601)).await, short);
    let expired =
        |j: &mut Value| (j["claims"]["iat"], j["claims"]["exp"]) = (json!(now - 4000), json!(now - 400));
    assert_eq!(answer(&sim, &key, &admin, expired).await, short);
    let future =
        |j: &mut Value| (j["claims"]["iat"], j["claims"]["exp"]) = (json!(now + 600), json!(now + 1200));
    assert_eq!(answer(&sim, &key, &admin, future).await, short);
    let (status, error, _) =
        answer(&sim, &key, &admin, |j| j["claims"]["iss"] = json!("x@y.iam.gserviceaccount.com")).await;
    assert_eq!((status, error.as_str()), (401, "invalid_client"));
    let (status, error, _) =
        answer(&sim, &key, &admin, |j| j["claims"]["scope"] = json!("https://mail.google.com/")).await;
    assert_eq!((status, error.as_str()), (400, "invalid_scope"));
    assert_eq!(
        answer(&sim, &key, &admin, |j| j["claims"]["sub"] = json!("nobody@example.com")).await,
        grant("Invalid email or User ID")
    );
    let to_suspended = |j: &mut Value| j["claims"]["sub"] = suspended.unwrap_or_default();
    assert_eq!(answer(&sim, &key, &admin, to_suspended).await, grant("Invalid email or User ID"));
    // The claims of one assertion with the signature of another.
    let (one, other) =
        (assertion(&key, &admin, |_| {}), assertion(&key, &admin, |j| j["claims"]["x"] = json!(1)));
    let spliced = format!(
        "{}.{}",
        other.rsplit_once('.').map_or("", |p| p.0),
        one.rsplit_once('.').map_or("", |p| p.1)
    );
    assert_eq!(token_request(&sim, &spliced).await.1["error_description"], "Invalid JWT Signature.");
    customer.delete_keys();
    assert_eq!(answer(&sim, &key, &admin, |_| {}).await, signature);
}

#[tokio::test]
async fn undelegated_scopes_and_suspended_subjects_follow_the_settings() {
    let (sim, customer) = sim_with(20, |s| s.settings.delegated_scopes.retain(|s| s != ROLES_READONLY)).await;
    let key = customer.key_file(&sim.base_url());
    let admin = customer.admin_email();
    let all = assertion(&key, &admin, |_| {});
    for (refusal, status, error) in [
        (ScopeRefusal::UnauthorizedClient, StatusCode::UNAUTHORIZED, "unauthorized_client"),
        (ScopeRefusal::OlderWording, StatusCode::UNAUTHORIZED, "unauthorized_client"),
        (ScopeRefusal::AccessDenied, StatusCode::BAD_REQUEST, "access_denied"),
    ] {
        customer.with(|d| d.settings.scope_refusal = refusal);
        let (got, body) = token_request(&sim, &all).await;
        assert_eq!((got, body["error"].clone()), (status, json!(error)), "{refusal:?}");
    }
    let users_only = assertion(&key, &admin, |j| {
        j["claims"]["scope"] = json!(roster_google_workspace_sim::scopes::USER_READONLY)
    });
    assert_eq!(token_request(&sim, &users_only).await.0, StatusCode::OK);
    let suspended =
        customer.with(|d| d.users.iter().find(|u| u["suspended"] == true).map(|u| u["primaryEmail"].clone()));
    customer.with(|d| d.settings.token_for_suspended_subject = true);
    let a = assertion(&key, &admin, |j| {
        j["claims"]["sub"] = suspended.unwrap_or_default();
        j["claims"]["scope"] = json!(roster_google_workspace_sim::scopes::USER_READONLY);
    });
    assert_eq!(token_request(&sim, &a).await.0, StatusCode::OK);
    assert_eq!(customer.stats().counter("token_refusals"), 3);
}

#[tokio::test]
async fn faults_reach_the_token_endpoint() {
    let (sim, customer) = sim_with(1, |_| {}).await;
    customer.push_fault(Fault::Status(503), 1, Some("/token"));
    let a = assertion(&customer.key_file(&sim.base_url()), &customer.admin_email(), |_| {});
    assert_eq!(token_request(&sim, &a).await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(token_request(&sim, &a).await.0, StatusCode::OK);
}
