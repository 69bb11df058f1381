//! Shared setup: a GitHub simulator with one organization, a connector pointed at it
//! through `api_url = <sim>/api/v3`, and syncs into a [`MemorySink`].
#![allow(dead_code)]

use roster_core::{CheckReport, Connector, ConnectorError, Secret, SyncContext};
use roster_github::{Github, GithubCredentials, GithubSettings};
use roster_github_sim::{Org, OrgSpec, Simulator};
use roster_http::HttpSettings;
use roster_testkit::MemorySink;

/// Short backoff and timeouts.
pub fn fast() -> GithubSettings {
    GithubSettings {
        page_size: 100,
        http: HttpSettings { max_attempts: 4, retry_base_delay_ms: 10, request_timeout_secs: 10 },
    }
}

pub struct Env {
    pub sim: Simulator,
    pub org: Org,
}

impl Env {
    /// An organization of `members` generated members, customised by `f`.
    pub async fn start(members: usize, f: impl FnOnce(&mut OrgSpec)) -> Self {
        let sim = Simulator::start().await.expect("start the simulator");
        let mut spec = OrgSpec::generated(1, members, 5);
        f(&mut spec);
        let org = sim.add_org(spec);
        Env { sim, org }
    }

    pub fn credentials(&self, owner: bool) -> GithubCredentials {
        GithubCredentials {
            organization: self.org.login(),
            token: Secret::new(self.org.token(owner)),
            api_url: self.sim.api_url(),
        }
    }

    pub fn connector(&self, owner: bool, settings: GithubSettings) -> Github {
        build(self.credentials(owner), settings)
    }

    pub fn owner(&self) -> Github {
        self.connector(true, fast())
    }

    /// `METHOD path` of every request.
    pub fn paths(&self) -> Vec<String> {
        self.sim.requests().iter().map(|r| format!("{} {}", r.method, r.path)).collect()
    }
}

pub fn build(credentials: GithubCredentials, settings: GithubSettings) -> Github {
    <Github as Connector>::new(credentials, settings).unwrap_or_else(|e| panic!("refused: {e:?}"))
}

pub fn attempts(n: u32) -> GithubSettings {
    let mut s = fast();
    s.http.max_attempts = n;
    s
}

pub async fn sync(c: &Github) -> (MemorySink, Result<(), ConnectorError>) {
    let mut sink = MemorySink::new();
    let result =
        Connector::sync(c, SyncContext { account_id: "x".into(), previous_state: None }, &mut sink).await;
    (sink, result)
}

pub async fn sync_ok(c: &Github) -> MemorySink {
    match sync(c).await {
        (sink, Ok(())) => sink,
        (_, Err(e)) => panic!("sync failed: {} ({}): {}", e.kind(), e.message(), e.remediation()),
    }
}

pub async fn sync_err(c: &Github) -> ConnectorError {
    match sync(c).await {
        (sink, Ok(())) => panic!("the sync succeeded with {} users", sink.users.len()),
        (_, Err(e)) => e,
    }
}

pub async fn check(c: &Github) -> Result<CheckReport, ConnectorError> {
    Connector::check(c).await
}

/// Every user once, nothing skipped.
pub fn assert_complete(sink: &MemorySink, org: &Org) {
    assert_eq!(sink.users.len(), org.user_count(), "users differ from the simulator's");
    assert_eq!(sink.user_calls, org.user_count() as u64, "some users were sent twice");
    assert!(sink.skipped.is_empty(), "skipped: {:?}", sink.skipped);
}
