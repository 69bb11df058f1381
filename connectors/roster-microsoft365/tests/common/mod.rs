//! Shared setup for the connector's tests: a Graph simulator with one tenant, a connector
//! pointed at it through `cloud = "custom"`, and syncs into a [`MemorySink`].
#![allow(dead_code)]

use roster_core::{Connector, ConnectorError, Secret, SyncContext};
use roster_http::HttpSettings;
use roster_microsoft365::{Cloud, Microsoft365, Microsoft365Credentials, Microsoft365Settings};
use roster_microsoft365_sim::{EntraTenant, Simulator, TenantSpec};
use roster_testkit::MemorySink;
use serde_json::Value;

/// Settings that keep tests fast: short backoff, no client-side pacing to speak of.
pub fn fast() -> Microsoft365Settings {
    Microsoft365Settings {
        requests_per_second: 200,
        http: HttpSettings { max_attempts: 4, retry_base_delay_ms: 10, request_timeout_secs: 10 },
        ..Microsoft365Settings::default()
    }
}

/// A running simulator with one tenant.
pub struct Env {
    pub sim: Simulator,
    pub tenant: EntraTenant,
}

impl Env {
    /// A tenant of `users` generated users, without the request bucket unless `f` sets it.
    pub async fn start(users: usize, f: impl FnOnce(&mut TenantSpec)) -> Self {
        let sim = Simulator::start().await.expect("start the simulator");
        let mut spec = TenantSpec::generated(1, users, 5);
        spec.settings.requests_per_10s = None;
        f(&mut spec);
        let tenant = sim.add_tenant(spec);
        Self { sim, tenant }
    }

    pub fn credentials(&self) -> Microsoft365Credentials {
        Microsoft365Credentials {
            tenant_id: self.tenant.tenant_id(),
            client_id: self.tenant.client_id(),
            client_secret: Secret::new(self.tenant.client_secret()),
            cloud: Cloud::Custom,
            base_url: Some(self.sim.base_url()),
        }
    }

    pub fn connector(&self) -> Microsoft365 {
        connector(self.credentials(), fast())
    }

    /// `path?query` of every Graph request received, in order.
    pub fn graph_requests(&self) -> Vec<String> {
        let requests = self.sim.requests().into_iter().filter(|r| r.path.starts_with("/v1.0/"));
        requests.map(|r| format!("{}?{}", r.path, r.query.unwrap_or_default())).collect()
    }
}

pub fn connector(credentials: Microsoft365Credentials, settings: Microsoft365Settings) -> Microsoft365 {
    <Microsoft365 as Connector>::new(credentials, settings).unwrap_or_else(|e| panic!("refused: {e:?}"))
}

/// A sync from `state` that must succeed.
pub async fn sync_from(c: &Microsoft365, state: Option<Value>) -> MemorySink {
    let mut sink = MemorySink::new();
    let ctx = SyncContext { account_id: "t".into(), previous_state: state };
    if let Err(e) = Connector::sync(c, ctx, &mut sink).await {
        panic!("sync failed: {} ({}): {}", e.kind(), e.message(), e.remediation());
    }
    sink
}

pub async fn sync_ok(c: &Microsoft365) -> MemorySink {
    sync_from(c, None).await
}

pub async fn sync_err(c: &Microsoft365) -> ConnectorError {
    let mut sink = MemorySink::new();
    let ctx = SyncContext { account_id: "t".into(), previous_state: None };
    Connector::sync(c, ctx, &mut sink).await.expect_err("the sync should fail")
}

/// The ids of the tenant's users, sorted.
pub fn ids(users: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> =
        users.iter().map(|u| u["id"].as_str().unwrap_or_default().to_owned()).collect();
    ids.sort();
    ids
}

pub fn sink_ids(sink: &MemorySink) -> Vec<String> {
    let mut ids: Vec<String> = sink.users.iter().map(|u| u.id.clone()).collect();
    ids.sort();
    ids
}
