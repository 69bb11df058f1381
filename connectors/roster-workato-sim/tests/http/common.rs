//! Helpers shared by the HTTP tests.

use reqwest::StatusCode;
use roster_workato_sim::{Simulator, Workspace, WorkspaceSpec};
use serde_json::Value;

/// A simulator with one generated workspace, customised by `f`.
pub async fn sim_with(id: u64, members: usize, f: impl FnOnce(&mut WorkspaceSpec)) -> (Simulator, Workspace) {
    let sim = Simulator::start().await.expect("simulator starts");
    let mut spec = WorkspaceSpec::generated(id, members, 11);
    spec.settings.rate_limit = None;
    f(&mut spec);
    let ws = sim.add_workspace(spec);
    (sim, ws)
}

/// A client that never reuses connections, so faults on one request cannot leak into the next.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client builds")
}

/// GET with an optional bearer token.
pub async fn get(sim: &Simulator, token: Option<&str>, path: &str) -> reqwest::Result<reqwest::Response> {
    let mut req = client().get(format!("{}{path}", sim.base_url()));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await
}

/// GET and parse JSON.
pub async fn get_json(sim: &Simulator, token: Option<&str>, path: &str) -> (StatusCode, Value) {
    let resp = get(sim, token, path).await.expect("request succeeds");
    let status = resp.status();
    let body = resp.bytes().await.expect("body reads");
    let value = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("json body for {path}: {e}: {}", String::from_utf8_lossy(&body)));
    (status, value)
}

/// The content type of a response.
pub fn content_type(resp: &reqwest::Response) -> String {
    resp.headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}
