//! Shared setup for the connector's integration tests: a Zoom simulator with one account,
//! a connector pointed at it through `cloud = "custom"`, and syncs into a [`MemorySink`].
#![allow(dead_code)]

use std::collections::BTreeMap;

use roster_core::{
    ActionArgs, ActionKind, ActionPlan, Connector, ConnectorError, DynPlanner, Secret, Sink, SyncContext,
    User,
};
use roster_http::HttpSettings;
use roster_testkit::MemorySink;
use roster_zoom::{Cloud, Zoom, ZoomCredentials, ZoomSettings};
use roster_zoom_sim::{Simulator, Users, ZoomAccount, ZoomAccountSpec};
use serde_json::{Value, json};

/// Settings that keep tests fast: short backoff, no client-side pacing to speak of.
pub fn fast_settings() -> ZoomSettings {
    ZoomSettings {
        requests_per_second: 100,
        http: HttpSettings { max_attempts: 4, retry_base_delay_ms: 10, request_timeout_secs: 10 },
        ..ZoomSettings::default()
    }
}

/// [`fast_settings`] with `max_attempts` attempts per request.
pub fn attempts(max_attempts: u32) -> ZoomSettings {
    let mut s = fast_settings();
    s.http.max_attempts = max_attempts;
    s
}

/// A running simulator with one account.
pub struct Env {
    pub sim: Simulator,
    pub account: ZoomAccount,
}

impl Env {
    /// An account of `users` generated users, without server-side rate limits unless `f`
    /// sets them.
    pub async fn start(users: usize, seed: u64, f: impl FnOnce(&mut ZoomAccountSpec)) -> Self {
        let sim = Simulator::start().await.expect("start the simulator");
        let mut spec = ZoomAccountSpec::generated(1, users, seed);
        spec.settings.rate_limit = None;
        f(&mut spec);
        let account = sim.add_zoom_account(spec);
        Self { sim, account }
    }

    pub async fn generated(users: usize, seed: u64) -> Self {
        Self::start(users, seed, |_| {}).await
    }

    pub fn credentials(&self) -> ZoomCredentials {
        ZoomCredentials {
            account_id: self.account.account_id(),
            client_id: self.account.client_id(),
            client_secret: Secret::new(self.account.client_secret()),
            cloud: Cloud::Custom,
            base_url: Some(self.sim.base_url()),
        }
    }

    pub fn connector(&self, settings: ZoomSettings) -> Zoom {
        connector(self.credentials(), settings)
    }

    pub fn fast_connector(&self) -> Zoom {
        self.connector(fast_settings())
    }

    /// `(method path?query)` of every request received.
    pub fn request_lines(&self) -> Vec<String> {
        self.sim
            .requests()
            .iter()
            .map(|r| match &r.query {
                Some(q) => format!("{} {}?{q}", r.method, r.path),
                None => format!("{} {}", r.method, r.path),
            })
            .collect()
    }
}

pub fn connector(credentials: ZoomCredentials, settings: ZoomSettings) -> Zoom {
    match <Zoom as Connector>::new(credentials, settings) {
        Ok(z) => z,
        Err(errors) => panic!("the connector refused valid credentials: {errors:?}"),
    }
}

pub async fn sync_into(z: &Zoom, sink: &mut dyn Sink) -> Result<(), ConnectorError> {
    Connector::sync(z, SyncContext { account_id: "x".into(), previous_state: None }, sink).await
}

pub async fn sync_ok(z: &Zoom) -> MemorySink {
    let mut sink = MemorySink::new();
    if let Err(e) = sync_into(z, &mut sink).await {
        panic!("sync failed: {} ({}): {}", e.kind(), e.message(), e.remediation());
    }
    sink
}

pub async fn sync_err(z: &Zoom) -> (MemorySink, ConnectorError) {
    let mut sink = MemorySink::new();
    match sync_into(z, &mut sink).await {
        Ok(()) => panic!("the sync succeeded with {} users", sink.users.len()),
        Err(e) => (sink, e),
    }
}

/// The key the connector gives a simulator user: its id, or `pending:<email>`.
pub fn key_of(u: &Value) -> String {
    match u.get("id").and_then(Value::as_str) {
        Some(id) => id.to_owned(),
        None => format!("pending:{}", u["email"].as_str().unwrap_or_default().to_lowercase()),
    }
}

/// Asserts that the sink holds exactly the account's users, each once, with nothing skipped.
pub fn assert_complete(sink: &MemorySink, account: &ZoomAccount) {
    let expected: BTreeMap<String, Value> =
        account.users_json().into_iter().map(|u| (key_of(&u), u)).collect();
    let got: BTreeMap<String, &User> = sink.users.iter().map(|u| (u.id.clone(), u)).collect();
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "users differ from the simulator's"
    );
    assert_eq!(sink.user_calls, expected.len() as u64, "some users were emitted more than once");
    assert!(sink.skipped.is_empty(), "skipped: {:?}", sink.skipped);
    let assigned: u64 = sink.licenses.iter().map(|l| l.assigned).sum();
    let typed = expected.values().filter(|u| u.get("type").is_some()).count() as u64;
    assert_eq!(assigned, typed, "license counts: {:?}", sink.licenses);
}

/// The people of the action tests ([`Users::cast`]).
pub fn people(spec: &mut ZoomAccountSpec) {
    spec.users = Users::cast();
}

/// `--set KEY=VALUE` pairs.
pub fn set(pairs: &[(&str, &str)]) -> ActionArgs {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect()
}

impl Env {
    /// The requests to `/v2` that were not reads (the token endpoint's POST is not one).
    pub fn writes(&self) -> Vec<String> {
        self.request_lines().into_iter().filter(|l| l.contains(" /v2/") && !l.starts_with("GET ")).collect()
    }

    /// `read_user` of someone who must be there.
    pub async fn user(&self, z: &Zoom, id: &str) -> User {
        match DynPlanner::read_user(z, id).await {
            Ok(Some(u)) => u,
            other => panic!("read_user {id}: {other:?}"),
        }
    }

    /// The engine's `--apply`: read, plan, and unless there is nothing to do, apply and
    /// read again. The plan and the user afterwards.
    pub async fn apply(
        &self,
        z: &Zoom,
        action: ActionKind,
        id: &str,
        args: &ActionArgs,
    ) -> Result<(ActionPlan, Option<User>), ConnectorError> {
        let user = self.user(z, id).await;
        let plan = DynPlanner::plan_action(z, action, &user, args).await?;
        if !plan.is_noop() {
            DynPlanner::apply_action(z, action, &user, args, &plan).await?;
        }
        Ok((plan, DynPlanner::read_user(z, id).await?))
    }
}
