//! The shared conformance suite (roster-testkit), run against the Google Workspace
//! simulator. The secrets include the key file, its PEM and the PEM's base64 body.

use roster_google_workspace::GoogleWorkspace;
use roster_google_workspace_sim::{Customer, CustomerSpec, Simulator};
use roster_sim_kit::{Core, RequestRecord};
use roster_testkit::Conformance;
use serde_json::{Value, json};

struct GoogleHarness {
    sim: Simulator,
    customer: Customer,
}

impl GoogleHarness {
    fn credentials(&self, key: String) -> Value {
        json!({
            "service_account_key": key,
            "admin_email": self.customer.admin_email(),
            "domain": self.customer.domain(),
            "base_url": self.sim.base_url(),
        })
    }
}

#[async_trait::async_trait]
impl Conformance for GoogleHarness {
    type Connector = GoogleWorkspace;
    const USER_LISTING: &'static str = "/admin/directory/v1/users";

    async fn start() -> Self {
        let sim = Simulator::start().await.expect("start the google workspace simulator");
        let customer = sim.add_customer(CustomerSpec::generated(1, 60, 21));
        Self { sim, customer }
    }

    fn good_credentials(&self) -> Value {
        self.credentials(self.customer.key_file(&self.sim.base_url()))
    }

    /// A key file whose private key is not the service account's: "Invalid JWT Signature.".
    fn bad_credentials(&self) -> Value {
        self.credentials(self.customer.foreign_key_file(&self.sim.base_url()))
    }

    fn settings(&self) -> Value {
        json!({"requests_per_second": 100})
    }

    fn secrets(&self) -> Vec<String> {
        let mut secrets = Vec::new();
        for file in [
            self.customer.key_file(&self.sim.base_url()),
            self.customer.foreign_key_file(&self.sim.base_url()),
        ] {
            let pem = serde_json::from_str::<Value>(&file)
                .ok()
                .and_then(|v| v["private_key"].as_str().map(str::to_owned));
            let pem = pem.unwrap_or_default();
            let lines: Vec<String> =
                pem.lines().filter(|l| !l.starts_with("-----")).map(str::to_owned).collect();
            secrets.extend([file, pem, lines.concat()]);
            secrets.extend(lines.into_iter().filter(|l| l.len() > 16));
        }
        secrets
    }

    fn requests(&self) -> Vec<RequestRecord> {
        self.sim.requests()
    }

    fn faults(&self) -> &Core {
        &self.customer
    }

    fn user_count(&self) -> usize {
        self.customer.users_json().len()
    }
}

roster_testkit::conformance_tests!(GoogleHarness);
