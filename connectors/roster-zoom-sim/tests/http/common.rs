//! Helpers shared by the HTTP tests: a simulator with one Zoom account, tokens minted the
//! documented way, and the kit's probe client.

use reqwest::StatusCode;
use roster_zoom_sim::{Simulator, Users, ZoomAccount, ZoomAccountSpec};
use serde_json::Value;

/// A simulator with one generated account, customised by `f`.
pub async fn sim_with(users: usize, f: impl FnOnce(&mut ZoomAccountSpec)) -> (Simulator, ZoomAccount) {
    let sim = Simulator::start().await.expect("simulator starts");
    let mut spec = ZoomAccountSpec::generated(1, users, 11);
    f(&mut spec);
    let account = sim.add_zoom_account(spec);
    (sim, account)
}

pub use roster_sim_kit::probe::{client, header};

/// Mints a token the documented way; panics unless it works.
pub async fn token(sim: &Simulator, account: &ZoomAccount) -> String {
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
    roster_sim_kit::probe::get(&sim.base_url(), Some(token), path_and_query).await
}

/// GET and parse JSON.
pub async fn get_json(sim: &Simulator, token: &str, path_and_query: &str) -> (StatusCode, Value) {
    roster_sim_kit::probe::get_json(&sim.base_url(), Some(token), path_and_query).await
}

/// Sends any request with a bearer token and an optional JSON body; the status and JSON
/// body (`null` when empty, as a 204 is).
pub async fn send(
    sim: &Simulator,
    token: &str,
    method: reqwest::Method,
    path: impl AsRef<str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    roster_sim_kit::probe::send_json(&sim.base_url(), Some(token), method, path.as_ref(), body.as_ref()).await
}

/// An account of known people ([`Users::cast`]) without rate limits, and a token.
pub async fn people(f: impl FnOnce(&mut ZoomAccountSpec)) -> (Simulator, ZoomAccount, String) {
    let (sim, account) = sim_with(0, |s| {
        s.settings.rate_limit = None;
        s.users = Users::cast();
        f(s);
    })
    .await;
    let t = token(&sim, &account).await;
    (sim, account, t)
}
