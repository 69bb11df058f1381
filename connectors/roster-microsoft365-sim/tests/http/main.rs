//! The simulator over real HTTP, with the kit's probe client: the token endpoint and its
//! AADSTS refusals, `/users` paging and page-size rules, the sign-in activity refusals,
//! delta rounds and expiry, the directory collections, 401s and 429s.

mod directory;
mod graph;
mod token;

use roster_microsoft365_sim::{EntraTenant, Simulator, TenantSpec};
use roster_sim_kit::probe;
use serde_json::Value;

/// A simulator with one tenant of `users` users, `f` applied to its spec.
pub async fn start(users: usize, f: impl FnOnce(&mut TenantSpec)) -> (Simulator, EntraTenant) {
    let sim = Simulator::start().await.expect("start");
    let mut spec = TenantSpec::generated(1, users, 3);
    spec.settings.requests_per_10s = None;
    f(&mut spec);
    let tenant = sim.add_tenant(spec);
    (sim, tenant)
}

/// `POST /{tenant}/oauth2/v2.0/token` with a form body.
pub async fn token_request(sim: &Simulator, tenant: &str, form: &[(&str, String)]) -> (u16, Value) {
    let pairs = form.iter().map(|(k, v)| format!("{k}={}", v.replace('/', "%2F").replace(':', "%3A")));
    let body = pairs.collect::<Vec<_>>().join("&");
    let resp = probe::client()
        .post(format!("{}/{tenant}/oauth2/v2.0/token", sim.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("the token endpoint answers");
    let (status, body) = probe::json_of(resp).await;
    (status.as_u16(), body)
}

/// A client-credentials form.
pub fn form(id: &str, secret: &str, scope: &str) -> Vec<(&'static str, String)> {
    let grant = "client_credentials".to_owned();
    vec![
        ("client_id", id.into()),
        ("client_secret", secret.into()),
        ("scope", scope.into()),
        ("grant_type", grant),
    ]
}

/// A token for the tenant's first app.
pub async fn token(sim: &Simulator, t: &EntraTenant) -> String {
    let scope = format!("{}/.default", sim.base_url());
    let form = form(&t.client_id(), &t.client_secret(), &scope);
    let (status, body) = token_request(sim, &t.tenant_id(), &form).await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().expect("a token").to_owned()
}

/// GET a Graph path with the tenant's token.
pub async fn get(sim: &Simulator, t: &EntraTenant, path: &str) -> (u16, Value) {
    let (status, body) = probe::get_json(&sim.base_url(), Some(&token(sim, t).await), path).await;
    (status.as_u16(), body)
}
