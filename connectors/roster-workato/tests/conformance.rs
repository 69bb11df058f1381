//! The shared conformance suite (roster-testkit), run against the Workato simulator.

use roster_sim_kit::{Core, RequestRecord};
use roster_testkit::Conformance;
use roster_workato::Workato;
use roster_workato_sim::{Simulator, Workspace, WorkspaceSpec};
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
    const USER_LISTING: &'static str = "/api/members";

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
        json!({"requests_per_minute": 10000})
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.ws.token()]
    }

    fn requests(&self) -> Vec<RequestRecord> {
        self.sim.requests()
    }

    fn faults(&self) -> &Core {
        &self.ws
    }

    fn user_count(&self) -> usize {
        self.ws.member_count()
    }
}

roster_testkit::conformance_tests!(WorkatoHarness);
