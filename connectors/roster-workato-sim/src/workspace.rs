//! A workspace: its handle for tests and the state the server reads.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::activity::{ActivityIndex, ExtraEvent};
use crate::faults::{Fault, QueuedFault, RandomFaults};
use crate::members::{self, GenCtx};
use crate::rate_limit::{self, RateLimiter};
use crate::spec::{Members, RetryAfterStyle, RoleModel, WorkspaceSettings, WorkspaceSpec};
use crate::store::MemberStore;

/// Counters of one workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkspaceStats {
    /// Requests carrying this workspace's token (revoked or not).
    pub requests: u64,
    /// Requests answered 429 (by the limiter or a `RateLimited` fault).
    pub rate_limited: u64,
    /// Requests that suffered an injected fault.
    pub faults: u64,
    /// Requests whose client went away before the response was ready.
    pub cancelled: u64,
    /// Requests per path, numeric segments shown as `:id` (e.g. `/api/members/:id`).
    pub by_path: BTreeMap<String, u64>,
}

pub(crate) struct WsState {
    pub settings: WorkspaceSettings,
    pub members: MemberStore,
    pub revoked: bool,
    pub faults: VecDeque<QueuedFault>,
    pub random: Option<RandomFaults>,
    pub limiter: RateLimiter,
    pub extras: Arc<BTreeMap<u64, ExtraEvent>>,
    pub stats: WorkspaceStats,
}

pub(crate) struct WorkspaceInner {
    pub id: u64,
    pub name: String,
    pub plan_id: String,
    pub email: String,
    pub token: String,
    pub role_model: RoleModel,
    pub anchor_secs: i64,
    state: Mutex<WsState>,
    pub(crate) activity_index: Mutex<Option<Arc<ActivityIndex>>>,
}

/// What the gate decided for one request.
pub(crate) enum Admission {
    Revoked,
    Limited(RetryAfterStyle, Duration),
    Fault(Fault),
    Proceed,
}

/// A handle to a workspace of a running simulator.
#[derive(Clone)]
pub struct Workspace {
    pub(crate) inner: Arc<WorkspaceInner>,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("id", &self.inner.id)
            .field("name", &self.inner.name)
            .finish_non_exhaustive()
    }
}

fn normalize_path(path: &str) -> String {
    path.split('/')
        .map(|seg| if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) { ":id" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

impl Workspace {
    pub(crate) fn new(spec: WorkspaceSpec) -> Self {
        let members = match spec.members {
            Members::Generated { count, seed } => MemberStore::generated(count, seed),
            Members::Explicit(list) => MemberStore::Explicit(Arc::new(list)),
        };
        let state = WsState {
            settings: spec.settings,
            members,
            revoked: false,
            faults: VecDeque::new(),
            random: None,
            limiter: RateLimiter::default(),
            extras: Arc::default(),
            stats: WorkspaceStats::default(),
        };
        Workspace {
            inner: Arc::new(WorkspaceInner {
                id: spec.id,
                name: spec.name,
                plan_id: spec.plan_id,
                email: spec.email,
                token: spec.token,
                role_model: spec.role_model,
                anchor_secs: spec.anchor.timestamp(),
                state: Mutex::new(state),
                activity_index: Mutex::new(None),
            }),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, WsState> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The workspace id.
    pub fn id(&self) -> u64 {
        self.inner.id
    }

    /// The workspace name.
    pub fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// The bearer token.
    pub fn token(&self) -> String {
        self.inner.token.clone()
    }

    /// The id of the workspace's root folder (`/api/users/me` `root_folder_id`).
    pub fn root_folder_id(&self) -> u64 {
        10_000 + self.inner.id
    }

    pub(crate) fn gen_ctx(&self, settings: &WorkspaceSettings, members: &MemberStore) -> GenCtx {
        let seed = match members {
            MemberStore::Generated { seed, .. } => *seed,
            MemberStore::Explicit(_) => 0,
        };
        GenCtx {
            seed,
            model: self.inner.role_model,
            anchor_secs: self.inner.anchor_secs,
            login_event_type: settings.login_event_type.clone(),
        }
    }

    /// A consistent snapshot of the members and how to generate them.
    pub(crate) fn member_snapshot(&self) -> (MemberStore, GenCtx) {
        let st = self.lock();
        (st.members.clone(), self.gen_ctx(&st.settings, &st.members))
    }

    /// Exactly what `/api/members` would list now.
    pub fn members_json(&self) -> Vec<Value> {
        let (store, ctx) = self.member_snapshot();
        store.all(&ctx)
    }

    /// One member as `/api/members/:id` would return it (unwrapped).
    pub fn member_json(&self, id: u64) -> Option<Value> {
        let (store, ctx) = self.member_snapshot();
        store.get(&ctx, id)
    }

    /// Number of members `/api/members` would list now.
    pub fn member_count(&self) -> usize {
        let (store, _) = self.member_snapshot();
        match &store {
            MemberStore::Generated { count, removed, .. } => {
                let gone = removed
                    .iter()
                    .filter(|id| members::member_index(**id).is_some_and(|i| i < *count))
                    .count();
                count - gone
            }
            MemberStore::Explicit(list) => list.len(),
        }
    }

    /// Removes a member (a hard delete); false when there is no such member.
    pub fn remove_member(&self, id: u64) -> bool {
        let mut st = self.lock();
        let ctx = self.gen_ctx(&st.settings, &st.members);
        st.members.remove(&ctx, id)
    }

    /// Changes one member's JSON (e.g. its roles); false when there is no such member.
    pub fn update_member(&self, id: u64, f: impl FnOnce(&mut Value)) -> bool {
        let mut st = self.lock();
        let ctx = self.gen_ctx(&st.settings, &st.members);
        st.members.update(&ctx, id, f)
    }

    /// Grows or shrinks the member list (generated members keep their identities).
    pub fn set_member_count(&self, n: usize) {
        let mut st = self.lock();
        let ctx = self.gen_ctx(&st.settings, &st.members);
        st.members.set_count(&ctx, n);
    }

    /// Replaces the members with exactly these objects (the generated activity log goes away;
    /// added events stay).
    pub fn set_members(&self, members: Vec<Value>) {
        self.lock().members = MemberStore::Explicit(Arc::new(members));
    }

    /// Revokes the token: every later request gets 401.
    pub fn revoke_token(&self) {
        self.lock().revoked = true;
    }

    /// Undoes [`Workspace::revoke_token`].
    pub fn restore_token(&self) {
        self.lock().revoked = false;
    }

    /// The next `times` requests whose path starts with `path_prefix` (any path when `None`)
    /// suffer `fault`. Queued faults are used in order.
    pub fn push_fault(&self, fault: Fault, times: usize, path_prefix: Option<&str>) {
        if times == 0 {
            return;
        }
        self.lock().faults.push_back(QueuedFault {
            fault,
            remaining: times,
            prefix: path_prefix.map(str::to_owned),
        });
    }

    /// Each request suffers a random transient fault ([`Fault::transient`]) with `probability`
    /// (0 turns random faults off).
    pub fn set_random_faults(&self, probability: f64, seed: u64) {
        self.set_random_faults_from(probability, seed, Fault::transient());
    }

    /// Like [`Workspace::set_random_faults`], picking from `faults`.
    pub fn set_random_faults_from(&self, probability: f64, seed: u64, faults: Vec<Fault>) {
        self.lock().random = (probability > 0.0).then(|| RandomFaults::new(probability, seed, faults));
    }

    /// Drops queued and random faults.
    pub fn clear_faults(&self) {
        let mut st = self.lock();
        st.faults.clear();
        st.random = None;
    }

    /// The current settings.
    pub fn settings(&self) -> WorkspaceSettings {
        self.lock().settings.clone()
    }

    /// Changes settings; takes effect on the next request.
    pub fn update_settings(&self, f: impl FnOnce(&mut WorkspaceSettings)) {
        f(&mut self.lock().settings);
    }

    /// Forgets every request the rate limiter counted.
    pub fn reset_rate_limit(&self) {
        self.lock().limiter.clear();
    }

    /// Counters so far.
    pub fn stats(&self) -> WorkspaceStats {
        self.lock().stats.clone()
    }

    /// Counts a request and decides what happens to it. Also returns the latency to add.
    pub(crate) fn admit(&self, path: &str, now: Instant) -> (Admission, Duration) {
        let mut guard = self.lock();
        let st = &mut *guard;
        st.stats.requests += 1;
        *st.stats.by_path.entry(normalize_path(path)).or_default() += 1;
        let latency = st.settings.latency;
        if st.revoked {
            return (Admission::Revoked, latency);
        }
        if let Some(limit) = st.settings.rate_limit.clone() {
            let key = rate_limit::key(st.settings.rate_limit_scope, path);
            if let Err(wait) = st.limiter.check(key, limit.per_minute, now) {
                st.stats.rate_limited += 1;
                return (Admission::Limited(limit.retry_after, wait), latency);
            }
        }
        let fault = crate::faults::take_queued(&mut st.faults, path)
            .or_else(|| st.random.as_mut().and_then(RandomFaults::roll));
        match fault {
            Some(fault) => {
                st.stats.faults += 1;
                if matches!(fault, Fault::RateLimited(_)) {
                    st.stats.rate_limited += 1;
                }
                (Admission::Fault(fault), latency)
            }
            None => (Admission::Proceed, latency),
        }
    }

    pub(crate) fn count_cancelled(&self) {
        self.lock().stats.cancelled += 1;
    }
}

/// Tokens → workspaces, in creation order.
#[derive(Default)]
pub(crate) struct Registry {
    pub by_token: HashMap<String, Workspace>,
    pub order: Vec<Workspace>,
}
