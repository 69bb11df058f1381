//! Helpers shared by the HTTP tests.

use reqwest::StatusCode;
use roster_zoom_sim::{Account, AccountSpec, Simulator};
use serde_json::Value;

/// A simulator with one generated account, customised by `f`.
pub async fn sim_with(users: usize, f: impl FnOnce(&mut AccountSpec)) -> (Simulator, Account) {
    let sim = Simulator::start().await.expect("simulator starts");
    let mut spec = AccountSpec::generated(1, users, 11);
    f(&mut spec);
    let account = sim.add_account(spec);
    (sim, account)
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client builds")
}

/// Mints a token the documented way; panics unless it works.
pub async fn token(sim: &Simulator, account: &Account) -> String {
    let (status, body) =
        token_request(sim, &account.client_id(), &account.client_secret(), &account.account_id()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().expect("access_token").to_owned()
}

/// `POST /oauth/token` with the parameters in the query and Basic credentials.
pub async fn token_request(
    sim: &Simulator,
    client_id: &str,
    secret: &str,
    account_id: &str,
) -> (StatusCode, Value) {
    let resp = client()
        .post(format!("{}/oauth/token", sim.base_url()))
        .query(&[("grant_type", "account_credentials"), ("account_id", account_id)])
        .basic_auth(client_id, Some(secret))
        .send()
        .await
        .expect("request succeeds");
    let status = resp.status();
    (status, resp.json().await.expect("json body"))
}

/// GET with a bearer token; returns the response.
pub async fn get(sim: &Simulator, token: &str, path_and_query: &str) -> reqwest::Response {
    client()
        .get(format!("{}{path_and_query}", sim.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("request succeeds")
}

/// GET and parse JSON.
pub async fn get_json(sim: &Simulator, token: &str, path_and_query: &str) -> (StatusCode, Value) {
    let resp = get(sim, token, path_and_query).await;
    let status = resp.status();
    let bytes = resp.bytes().await.expect("body");
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("json for {path_and_query}: {e}: {}", String::from_utf8_lossy(&bytes)));
    (status, value)
}

pub fn header(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}
