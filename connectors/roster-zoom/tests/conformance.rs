//! The shared conformance suite (roster-testkit), run against the Zoom simulator.

use roster_sim_kit::{Core, RequestRecord};
use roster_testkit::Conformance;
use roster_zoom::Zoom;
use roster_zoom_sim::{Simulator, ZoomAccount, ZoomAccountSpec};
use serde_json::{Value, json};

struct ZoomHarness {
    sim: Simulator,
    account: ZoomAccount,
}

impl ZoomHarness {
    fn credentials(&self, secret: &str) -> Value {
        json!({
            "account_id": self.account.account_id(),
            "client_id": self.account.client_id(),
            "client_secret": secret,
            "cloud": "custom",
            "base_url": self.sim.base_url(),
        })
    }
}

#[async_trait::async_trait]
impl Conformance for ZoomHarness {
    type Connector = Zoom;
    const USER_LISTING: &'static str = "/v2/users";

    async fn start() -> Self {
        let sim = Simulator::start().await.expect("start the zoom simulator");
        let mut spec = ZoomAccountSpec::generated(1, 60, 21);
        spec.settings.rate_limit = None;
        let account = sim.add_zoom_account(spec);
        Self { sim, account }
    }

    fn good_credentials(&self) -> Value {
        self.credentials(&self.account.client_secret())
    }

    fn bad_credentials(&self) -> Value {
        self.credentials("zsim-not-the-client-secret")
    }

    fn settings(&self) -> Value {
        json!({"requests_per_second": 100})
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.account.client_secret()]
    }

    fn requests(&self) -> Vec<RequestRecord> {
        self.sim.requests()
    }

    fn faults(&self) -> &Core {
        &self.account
    }

    fn user_count(&self) -> usize {
        self.account.users_json().len()
    }
}

roster_testkit::conformance_tests!(ZoomHarness);
