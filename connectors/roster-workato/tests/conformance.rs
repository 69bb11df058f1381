//! The shared conformance suite (roster-testkit), run against the Workato simulator.

use roster_testkit::Conformance;
use roster_workato::Workato;
use roster_workato_sim::{Fault, RetryAfterStyle, Simulator, Workspace, WorkspaceSpec};
use serde_json::{Value, json};

struct WorkatoHarness {
    sim: Simulator,
    ws: Workspace,
}

impl WorkatoHarness {
    fn credentials(&self, token: &str) -> Value {
        json!({"data_center": "custom", "api_token": token, "base_url": self.sim.base_url()})
    }
}

#[async_trait::async_trait]
impl Conformance for WorkatoHarness {
    type Connector = Workato;

    async fn start() -> Self {
        let sim = Simulator::start().await.expect("start the workato simulator");
        let mut spec = WorkspaceSpec::generated(1, 60, 21);
        spec.settings.rate_limit = None;
        let ws = sim.add_workspace(spec);
        Self { sim, ws }
    }

    fn good_credentials(&self) -> Value {
        self.credentials(&self.ws.token())
    }

    fn bad_credentials(&self) -> Value {
        self.credentials("wrkaus-not-a-real-token")
    }

    fn settings(&self) -> Value {
        json!({"requests_per_minute": 10000, "max_attempts": 3, "retry_base_delay_ms": 10, "request_timeout_secs": 10})
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.ws.token()]
    }

    fn inject_rate_limit(&self) {
        self.ws.push_fault(Fault::RateLimited(RetryAfterStyle::Seconds), 1, Some("/api/members"));
    }

    fn inject_server_error(&self) {
        self.ws.push_fault(Fault::Status(503), 1, Some("/api/members"));
    }

    fn user_count(&self) -> usize {
        self.ws.member_count()
    }
}

roster_testkit::conformance_tests!(WorkatoHarness);
