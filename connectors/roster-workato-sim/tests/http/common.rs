//! Helpers shared by the HTTP tests: a simulator with one workspace, and the kit's probe
//! client pointed at it.

use reqwest::StatusCode;
use roster_workato_sim::{Simulator, Workspace, WorkspaceSpec};
use serde_json::Value;

pub use roster_sim_kit::probe::{client, content_type};

/// A simulator with one generated workspace, customised by `f`.
pub async fn sim_with(id: u64, members: usize, f: impl FnOnce(&mut WorkspaceSpec)) -> (Simulator, Workspace) {
    let sim = Simulator::start().await.expect("simulator starts");
    let mut spec = WorkspaceSpec::generated(id, members, 11);
    spec.settings.rate_limit = None;
    f(&mut spec);
    let ws = sim.add_workspace(spec);
    (sim, ws)
}

/// GET with an optional bearer token.
pub async fn get(sim: &Simulator, token: Option<&str>, path: &str) -> reqwest::Response {
    roster_sim_kit::probe::get(&sim.base_url(), token, path).await
}

/// GET and parse JSON.
pub async fn get_json(sim: &Simulator, token: Option<&str>, path: &str) -> (StatusCode, Value) {
    roster_sim_kit::probe::get_json(&sim.base_url(), token, path).await
}

/// Sends a write (or any request) with the workspace's token and an optional JSON body;
/// the status and JSON body (`null` when empty).
pub async fn send(
    sim: &Simulator,
    ws: &Workspace,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    roster_sim_kit::probe::send_json(&sim.base_url(), Some(&ws.token()), method, path, body.as_ref()).await
}
