//! The shared conformance suite (roster-testkit), run against the GitHub simulator.

use roster_github::Github;
use roster_github_sim::{Org, OrgSpec, Simulator};
use roster_sim_kit::{Core, RequestRecord};
use roster_testkit::Conformance;
use serde_json::{Value, json};

struct GithubHarness {
    sim: Simulator,
    org: Org,
}

impl GithubHarness {
    fn credentials(&self, token: &str) -> Value {
        json!({"organization": self.org.login(), "token": token, "api_url": self.sim.api_url()})
    }
}

#[async_trait::async_trait]
impl Conformance for GithubHarness {
    type Connector = Github;
    const USER_LISTING: &'static str = "/api/graphql";

    async fn start() -> Self {
        let sim = Simulator::start().await.expect("start the github simulator");
        let org = sim.add_org(OrgSpec::generated(1, 60, 21));
        Self { sim, org }
    }

    fn good_credentials(&self) -> Value {
        self.credentials(&self.org.token(true))
    }

    fn bad_credentials(&self) -> Value {
        self.credentials("ghp_not_a_token_of_this_simulator")
    }

    fn secrets(&self) -> Vec<String> {
        self.org.tokens().into_iter().map(|t| t.token).collect()
    }

    fn requests(&self) -> Vec<RequestRecord> {
        self.sim.requests()
    }

    fn faults(&self) -> &Core {
        &self.org
    }

    fn user_count(&self) -> usize {
        self.org.user_count()
    }
}

roster_testkit::conformance_tests!(GithubHarness);
