//! The shared conformance suite (roster-testkit), run against the Graph simulator.

use roster_microsoft365::Microsoft365;
use roster_microsoft365_sim::{EntraTenant, Simulator, TenantSpec};
use roster_sim_kit::{Core, RequestRecord};
use roster_testkit::Conformance;
use serde_json::{Value, json};

struct Harness {
    sim: Simulator,
    tenant: EntraTenant,
}

impl Harness {
    fn credentials(&self, secret: &str) -> Value {
        json!({
            "tenant_id": self.tenant.tenant_id(),
            "client_id": self.tenant.client_id(),
            "client_secret": secret,
            "cloud": "custom",
            "base_url": self.sim.base_url(),
        })
    }
}

#[async_trait::async_trait]
impl Conformance for Harness {
    type Connector = Microsoft365;
    const USER_LISTING: &'static str = "/v1.0/users";

    async fn start() -> Self {
        let sim = Simulator::start().await.expect("start the graph simulator");
        let mut spec = TenantSpec::generated(1, 60, 21);
        spec.settings.requests_per_10s = None;
        let tenant = sim.add_tenant(spec);
        Self { sim, tenant }
    }

    fn good_credentials(&self) -> Value {
        self.credentials(&self.tenant.client_secret())
    }

    fn bad_credentials(&self) -> Value {
        self.credentials("m365~not-the-client-secret")
    }

    fn settings(&self) -> Value {
        json!({"requests_per_second": 200, "page_size": 25})
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.tenant.client_secret()]
    }

    fn requests(&self) -> Vec<RequestRecord> {
        self.sim.requests()
    }

    fn faults(&self) -> &Core {
        &self.tenant
    }

    fn user_count(&self) -> usize {
        self.tenant.users_json().len()
    }
}

roster_testkit::conformance_tests!(Harness);
