//! An Entra ID tenant: its handle for tests and the state the server reads. Every change
//! made through the handle moves the tenant's change generation, which delta reads.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use roster_sim_kit::Core;
use serde_json::Value;

use crate::generate;
use crate::spec::{App, TenantSettings, TenantSpec, Users};

/// An activated directory role and its members (users by reference).
#[derive(Clone, Debug)]
pub(crate) struct Role {
    pub json: Value,
    pub members: Vec<Value>,
}

/// Where a delta round's `$skiptoken` continues: the round's entries, fixed when it began.
#[derive(Clone, Debug)]
pub(crate) struct Cursor {
    pub entries: Arc<Vec<Value>>,
    pub offset: usize,
    pub generation: u64,
    pub select: Option<Vec<String>>,
}

/// What a `$deltatoken` stands for: the generation it was handed out at and the query.
#[derive(Clone, Debug)]
pub(crate) struct DeltaToken {
    pub generation: u64,
    pub select: Option<Vec<String>>,
    pub expired: bool,
}

pub(crate) struct TenantState {
    pub settings: TenantSettings,
    pub apps: Vec<App>,
    pub users: Vec<Value>,
    pub skus: Vec<Value>,
    pub roles: Vec<Role>,
    pub generation: u64,
    /// The generation at which each user last changed.
    pub changed: HashMap<String, u64>,
    /// Deleted users: id, generation, `@removed.reason`.
    pub removed: Vec<(String, u64, &'static str)>,
    /// Delta rounds in progress; a round's cursors go when its last page is served.
    pub cursors: HashMap<String, Cursor>,
    pub delta_tokens: HashMap<String, DeltaToken>,
    /// While set, `GET /users` serves this old copy (replication delay); delta stays live.
    pub lagged: Option<Vec<Value>>,
    pub tokens_expired_before: Option<Instant>,
}

pub(crate) struct TenantInner {
    /// The simulator's origin, for `@odata.nextLink`s and `Location`s.
    pub origin: String,
    pub tenant_id: String,
    pub domain: String,
    pub display_name: String,
    pub core: Core,
    state: Mutex<TenantState>,
}

/// A handle to a tenant of a running simulator. It dereferences to the kit's [`Core`]
/// (`push_fault`, the token endpoint included; `stats`, with the counter `tokens_issued`).
#[derive(Clone)]
pub struct EntraTenant {
    pub(crate) inner: Arc<TenantInner>,
}

impl std::fmt::Debug for EntraTenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntraTenant").field("tenant_id", &self.inner.tenant_id).finish_non_exhaustive()
    }
}

roster_sim_kit::core_deref!(EntraTenant, inner.core);

fn id_of(v: &Value) -> &str {
    v.get("id").and_then(Value::as_str).unwrap_or_default()
}

impl EntraTenant {
    pub(crate) fn new(origin: &str, spec: TenantSpec) -> Self {
        let anchor = spec.anchor.timestamp();
        let (users, skus, roles) = match spec.users {
            Users::Generated { count, seed } => {
                let users: Vec<Value> =
                    (0..count).map(|i| generate::user(seed, i, &spec.domain, anchor)).collect();
                let ids: Vec<String> = users.iter().map(|u| id_of(u).to_owned()).collect();
                let skus = generate::skus(&spec.tenant_id, count as u64, spec.settings.premium);
                let roles =
                    generate::roles(seed, &ids).into_iter().map(|(json, members)| Role { json, members });
                (users, skus, roles.collect())
            }
            Users::Explicit(users) => (users, Vec::new(), Vec::new()),
        };
        let state = TenantState {
            settings: spec.settings,
            apps: spec.apps,
            users,
            skus,
            roles,
            generation: 1,
            changed: HashMap::new(),
            removed: Vec::new(),
            cursors: HashMap::new(),
            delta_tokens: HashMap::new(),
            lagged: None,
            tokens_expired_before: None,
        };
        EntraTenant {
            inner: Arc::new(TenantInner {
                origin: origin.to_owned(),
                tenant_id: spec.tenant_id,
                domain: spec.domain,
                display_name: spec.display_name,
                core: Core::default(),
                state: Mutex::new(state),
            }),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, TenantState> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The tenant GUID.
    pub fn tenant_id(&self) -> String {
        self.inner.tenant_id.clone()
    }

    /// The default verified domain.
    pub fn domain(&self) -> String {
        self.inner.domain.clone()
    }

    pub fn display_name(&self) -> String {
        self.inner.display_name.clone()
    }

    /// The first app's client id.
    pub fn client_id(&self) -> String {
        self.lock().apps.first().map(|a| a.client_id.clone()).unwrap_or_default()
    }

    /// The first app's client secret.
    pub fn client_secret(&self) -> String {
        self.lock().apps.first().map(|a| a.client_secret.clone()).unwrap_or_default()
    }

    /// Grants the first app exactly these permissions; tokens minted before keep theirs.
    pub fn set_permissions(&self, permissions: &[&str]) {
        if let Some(app) = self.lock().apps.first_mut() {
            app.permissions = permissions.iter().map(|p| (*p).to_owned()).collect();
        }
    }

    pub(crate) fn app(&self, client_id: &str) -> Option<App> {
        self.lock().apps.iter().find(|a| a.client_id.eq_ignore_ascii_case(client_id)).cloned()
    }

    /// Every user, as `GET /users` would list them with every property selected.
    pub fn users_json(&self) -> Vec<Value> {
        self.lock().users.clone()
    }

    /// The subscribed SKUs as stored (`consumedUnits` is counted when served).
    pub fn skus_json(&self) -> Vec<Value> {
        self.lock().skus.clone()
    }

    /// Changes the subscribed SKUs in place (their `skuPartNumber` names the licence type),
    /// as a purchase or a renamed product would. Not a delta change: SKUs are read whole.
    pub fn update_skus(&self, f: impl FnOnce(&mut Vec<Value>)) {
        f(&mut self.lock().skus);
    }

    /// Changes every activated role's JSON (`displayName` names the role), in turn.
    pub fn update_roles(&self, mut f: impl FnMut(&mut Value)) {
        for role in &mut self.lock().roles {
            f(&mut role.json);
        }
    }

    /// `(role displayName, member ids)` of every activated role.
    pub fn roles(&self) -> Vec<(String, Vec<String>)> {
        let st = self.lock();
        let name = |r: &Role| r.json["displayName"].as_str().unwrap_or_default().to_owned();
        st.roles.iter().map(|r| (name(r), r.members.iter().map(|m| id_of(m).to_owned()).collect())).collect()
    }

    /// Adds a user (a delta change).
    pub fn add_user(&self, user: Value) {
        let mut st = self.lock();
        st.generation += 1;
        let g = st.generation;
        st.changed.insert(id_of(&user).to_owned(), g);
        st.users.push(user);
    }

    /// Changes the user with this id (a delta change); false when there is none.
    pub fn update_user(&self, id: &str, f: impl FnOnce(&mut Value)) -> bool {
        let mut st = self.lock();
        st.generation += 1;
        let g = st.generation;
        let Some(u) = st.users.iter_mut().find(|u| id_of(u) == id) else {
            return false;
        };
        f(u);
        st.changed.insert(id.to_owned(), g);
        true
    }

    /// Deletes a user: soft (`@removed.reason` "changed", restorable) or permanently
    /// ("deleted"). It leaves its roles too. False when there is none.
    pub fn remove_user(&self, id: &str, permanently: bool) -> bool {
        let mut st = self.lock();
        let before = st.users.len();
        st.users.retain(|u| id_of(u) != id);
        if st.users.len() == before {
            return false;
        }
        st.generation += 1;
        let g = st.generation;
        st.removed.push((id.to_owned(), g, if permanently { "deleted" } else { "changed" }));
        for role in &mut st.roles {
            role.members.retain(|m| id_of(m) != id);
        }
        true
    }

    /// Turns replication delay on (`GET /users` keeps serving the users as they are now,
    /// while delta sees every later change) or off.
    pub fn set_listing_lag(&self, on: bool) {
        let mut st = self.lock();
        st.lagged = on.then(|| st.users.clone());
    }

    /// Every delta token handed out so far is expired.
    pub fn expire_delta_tokens(&self) {
        self.lock().delta_tokens.values_mut().for_each(|t| t.expired = true);
    }

    /// Every access token minted so far is expired (401 InvalidAuthenticationToken).
    pub fn expire_tokens(&self) {
        self.lock().tokens_expired_before = Some(Instant::now());
    }

    /// Changes settings; takes effect on the next request.
    pub fn update_settings(&self, f: impl FnOnce(&mut TenantSettings)) {
        f(&mut self.lock().settings);
    }
}
