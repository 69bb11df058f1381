//! Shared setup for the connector's integration tests: a simulator with one
//! workspace, a connector pointed at it through `data_center = custom`, and a
//! sync into a [`MemorySink`].
#![allow(dead_code)]

use roster_core::{
    ActionArgs, ActionKind, ActionPlan, Connector, ConnectorError, DynPlanner, Secret, SyncContext, User,
};
use roster_testkit::MemorySink;
use roster_workato::{DataCenter, Workato, WorkatoCredentials, WorkatoSettings};
use roster_workato_sim::{RequestRecord, Simulator, Workspace, WorkspaceSpec};
use serde_json::Value;

/// Settings that keep tests fast: short backoff, no client-side pacing to
/// speak of, a few attempts.
pub fn fast_settings() -> WorkatoSettings {
    WorkatoSettings {
        requests_per_minute: 10_000,
        http: roster_http::HttpSettings {
            max_attempts: 4,
            retry_base_delay_ms: 10,
            request_timeout_secs: 10,
        },
        ..Default::default()
    }
}

/// A running simulator with one workspace.
pub struct Env {
    pub sim: Simulator,
    pub ws: Workspace,
}

impl Env {
    pub async fn start(spec: WorkspaceSpec) -> Self {
        let sim = Simulator::start().await.expect("start the simulator");
        let ws = sim.add_workspace(spec);
        Self { sim, ws }
    }

    /// A generated workspace of `n` members.
    pub async fn generated(id: u64, n: usize, seed: u64) -> Self {
        Self::start(WorkspaceSpec::generated(id, n, seed)).await
    }

    /// A connector with the workspace's own token and `settings`.
    pub fn connector(&self, settings: WorkatoSettings) -> Workato {
        connector_for(&self.sim, &self.ws.token(), settings)
    }

    /// A connector with the workspace's token and [`fast_settings`].
    pub fn fast_connector(&self) -> Workato {
        self.connector(fast_settings())
    }

    /// Requests the simulator received, in order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.sim.requests()
    }

    /// Paths (with the query, when any) of every request received.
    pub fn request_lines(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|r| match &r.query {
                Some(q) => format!("{} {}?{q}", r.method, r.path),
                None => format!("{} {}", r.method, r.path),
            })
            .collect()
    }
}

/// A connector for `token` against `sim`, reached only through `custom` + `base_url`.
pub fn connector_for(sim: &Simulator, token: &str, settings: WorkatoSettings) -> Workato {
    let credentials = WorkatoCredentials {
        data_center: DataCenter::Custom,
        api_token: Secret::new(token),
        base_url: Some(sim.base_url()),
    };
    match <Workato as Connector>::new(credentials, settings) {
        Ok(w) => w,
        Err(errors) => panic!("the connector refused valid credentials: {errors:?}"),
    }
}

/// Runs one sync into a fresh sink.
pub async fn sync(w: &Workato, previous_state: Option<Value>) -> (MemorySink, Result<(), ConnectorError>) {
    let mut sink = MemorySink::new();
    let result = sync_into(w, previous_state, &mut sink).await;
    (sink, result)
}

/// Runs one sync into `sink`.
pub async fn sync_into(
    w: &Workato,
    previous_state: Option<Value>,
    sink: &mut dyn roster_core::Sink,
) -> Result<(), ConnectorError> {
    Connector::sync(w, SyncContext { account_id: "x".into(), previous_state }, sink).await
}

/// Runs one sync that must succeed.
pub async fn sync_ok(w: &Workato, previous_state: Option<Value>) -> MemorySink {
    let (sink, result) = sync(w, previous_state).await;
    if let Err(e) = result {
        panic!("sync failed: {} ({}): {}", e.kind(), e.message(), e.remediation());
    }
    sink
}

/// Runs one sync that must fail, and returns its error and what reached the sink.
pub async fn sync_err(w: &Workato) -> (MemorySink, ConnectorError) {
    let (sink, result) = sync(w, None).await;
    match result {
        Ok(()) => panic!("the sync succeeded with {} users", sink.users.len()),
        Err(e) => (sink, e),
    }
}

/// Asserts that the sink holds exactly the workspace's members, each once,
/// with nothing skipped.
pub fn assert_complete(sink: &MemorySink, ws: &Workspace) {
    let expected: Vec<String> = ws
        .members_json()
        .iter()
        .map(|m| m["id"].as_u64().expect("generated ids are integers").to_string())
        .collect();
    let got: Vec<String> = sink.users.iter().map(|u| u.id.clone()).collect();
    assert_eq!(got, expected, "users differ from the simulator's members");
    assert_eq!(sink.user_calls, expected.len() as u64, "some users were emitted more than once");
    assert!(sink.skipped.is_empty(), "skipped: {:?}", sink.skipped);
    let license = sink.licenses.first().expect("a license summary");
    assert_eq!(license.assigned, expected.len() as u64);
}

/// `--set KEY=VALUE` pairs as an action's arguments.
pub fn args(pairs: &[(&str, &str)]) -> ActionArgs {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), Value::from(*v))).collect()
}

/// Reads a collaborator who must be there.
pub async fn read(w: &Workato, id: &str) -> User {
    let found = DynPlanner::read_user(w, id).await.unwrap_or_else(|e| panic!("read_user {id}: {e}"));
    found.unwrap_or_else(|| panic!("collaborator {id} is not in the workspace"))
}

/// What `roster act --apply` does with a connector: read, plan, apply, read again.
/// Returns the plan and the collaborator as read after the write.
pub async fn act(
    w: &Workato,
    action: ActionKind,
    id: &str,
    args: &ActionArgs,
) -> Result<(ActionPlan, Option<User>), ConnectorError> {
    let before = read(w, id).await;
    let plan = DynPlanner::plan_action(w, action, &before, args).await?;
    DynPlanner::apply_action(w, action, &before, args, &plan).await?;
    Ok((plan, DynPlanner::read_user(w, id).await?))
}

impl Env {
    /// Methods and paths of the requests to the API that were not reads.
    pub fn writes(&self) -> Vec<String> {
        self.request_lines().into_iter().filter(|l| !l.starts_with("GET ")).collect()
    }
}
