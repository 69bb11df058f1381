//! Shared setup for the connector's integration tests: a Google Workspace simulator with
//! one customer, a connector reaching it through `base_url` and the key file's
//! `token_uri`, and syncs into a [`MemorySink`].
#![allow(dead_code)]

use roster_core::{Connector, Secret};
use roster_google_workspace::{GoogleWorkspace, GoogleWorkspaceCredentials, GoogleWorkspaceSettings};
use roster_google_workspace_sim::{Customer, CustomerSpec, Simulator};
use roster_testkit::MemorySink;

/// Settings that keep tests fast: quick retries, no client-side pacing to speak of.
pub fn settings(max_attempts: u32) -> GoogleWorkspaceSettings {
    GoogleWorkspaceSettings {
        requests_per_second: 100,
        http: roster_testkit::fast_http(max_attempts),
        ..GoogleWorkspaceSettings::default()
    }
}

/// A running simulator with one customer.
pub struct Env {
    pub sim: Simulator,
    pub customer: Customer,
}

impl Env {
    pub async fn start(users: usize, seed: u64, f: impl FnOnce(&mut CustomerSpec)) -> Self {
        let sim = Simulator::start().await.expect("start the simulator");
        let mut spec = CustomerSpec::generated(1, users, seed);
        f(&mut spec);
        let customer = sim.add_customer(spec);
        Self { sim, customer }
    }

    pub async fn generated(users: usize, seed: u64) -> Self {
        Self::start(users, seed, |_| {}).await
    }

    pub fn key_file(&self) -> String {
        self.customer.key_file(&self.sim.base_url())
    }

    /// Credentials for the customer, with `key` as the key file.
    pub fn credentials_with(&self, key: String) -> GoogleWorkspaceCredentials {
        GoogleWorkspaceCredentials {
            service_account_key: Secret::new(key),
            admin_email: self.customer.admin_email(),
            customer_id: "my_customer".into(),
            domain: self.customer.domain(),
            base_url: Some(self.sim.base_url()),
        }
    }

    pub fn credentials(&self) -> GoogleWorkspaceCredentials {
        self.credentials_with(self.key_file())
    }

    pub fn connector(&self, settings: GoogleWorkspaceSettings) -> GoogleWorkspace {
        connector(self.credentials(), settings)
    }

    pub fn fast_connector(&self) -> GoogleWorkspace {
        self.connector(settings(4))
    }

    /// `path?query` of every request received on `prefix`.
    pub fn requests_to(&self, prefix: &str) -> Vec<String> {
        self.sim
            .requests()
            .iter()
            .filter(|r| r.path.starts_with(prefix))
            .map(|r| format!("{}?{}", r.path, r.query.as_deref().unwrap_or("")))
            .collect()
    }
}

pub fn connector(
    credentials: GoogleWorkspaceCredentials,
    settings: GoogleWorkspaceSettings,
) -> GoogleWorkspace {
    match <GoogleWorkspace as Connector>::new(credentials, settings) {
        Ok(c) => c,
        Err(errors) => panic!("the connector refused valid credentials: {errors:?}"),
    }
}

/// Asserts that the sink holds exactly the customer's users, each once, nothing skipped.
pub fn assert_complete(sink: &MemorySink, customer: &Customer) {
    let mut expected: Vec<String> =
        customer.users_json().iter().map(|u| u["id"].as_str().unwrap_or_default().to_owned()).collect();
    let mut got: Vec<String> = sink.users.iter().map(|u| u.id.clone()).collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "users differ from the simulator's");
    assert_eq!(sink.user_calls, expected.len() as u64, "some users were emitted more than once");
    assert!(sink.skipped.is_empty(), "skipped: {:?}", sink.skipped);
}
