//! The shared conformance suite (roster-testkit), run against the Zoom simulator.

use roster_testkit::Conformance;
use roster_zoom::Zoom;
use roster_zoom_sim::{Account, AccountSpec, Fault, RateLimitStyle, Simulator};
use serde_json::{Value, json};

const USERS: usize = 60;

struct ZoomHarness {
    sim: Simulator,
    account: Account,
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

    async fn start() -> Self {
        let sim = Simulator::start().await.expect("start the zoom simulator");
        let mut spec = AccountSpec::generated(1, USERS, 21);
        spec.settings.rate_limit = None;
        let account = sim.add_account(spec);
        Self { sim, account }
    }

    fn good_credentials(&self) -> Value {
        self.credentials(&self.account.client_secret())
    }

    fn bad_credentials(&self) -> Value {
        self.credentials("zsim-not-the-client-secret")
    }

    fn settings(&self) -> Value {
        json!({"requests_per_second": 100, "max_attempts": 3, "retry_base_delay_ms": 10, "request_timeout_secs": 10})
    }

    /// The client secret, and every access token the simulator has seen.
    fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![self.account.client_secret()];
        for r in self.sim.requests() {
            if let Some(token) = r.authorization.as_deref().and_then(|a| a.strip_prefix("Bearer ")) {
                secrets.push(token.to_owned());
            }
        }
        secrets
    }

    fn inject_rate_limit(&self) {
        self.account.push_fault(Fault::RateLimited(RateLimitStyle::Qps), 1, Some("/v2/users"));
    }

    fn inject_server_error(&self) {
        self.account.push_fault(Fault::Status(503), 1, Some("/v2/users"));
    }

    fn user_count(&self) -> usize {
        self.account.users_json().len()
    }
}

roster_testkit::conformance_tests!(ZoomHarness);
