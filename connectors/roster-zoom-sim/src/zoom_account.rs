//! A Zoom account: its handle for tests and the state the server reads.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use roster_sim_kit::Core;
use serde_json::Value;

use crate::generate;
use crate::paging::PageTokens;
use crate::spec::{Users, ZoomAccountSettings, ZoomAccountSpec};

/// One minted access token.
#[derive(Clone, Debug)]
pub(crate) struct IssuedToken {
    pub issued_at: Instant,
    pub expires_at: Instant,
    pub scopes: Vec<String>,
}

pub(crate) struct ZoomAccountState {
    pub settings: ZoomAccountSettings,
    pub users: Vec<Value>,
    pub roles: Vec<Value>,
    pub pages: PageTokens,
    pub tokens: HashMap<String, IssuedToken>,
    pub revoked_before: Option<Instant>,
    pub expired_before: Option<Instant>,
}

pub(crate) struct ZoomAccountInner {
    pub account_id: String,
    pub client_id: String,
    pub client_secret: String,
    pub core: Core,
    state: Mutex<ZoomAccountState>,
}

/// Why a token was refused (code 124).
pub(crate) enum TokenRefusal {
    Expired,
    Invalid,
}

/// A handle to a Zoom account of a running simulator. It dereferences to the kit's
/// [`Core`]: `push_fault` (the token endpoint included), `clear_faults`, `stats`
/// (vendor counters `tokens_issued` and `token_refusals`).
#[derive(Clone)]
pub struct ZoomAccount {
    pub(crate) inner: Arc<ZoomAccountInner>,
}

impl std::fmt::Debug for ZoomAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZoomAccount").field("account_id", &self.inner.account_id).finish_non_exhaustive()
    }
}

roster_sim_kit::core_deref!(ZoomAccount, inner.core);

impl ZoomAccount {
    pub(crate) fn new(spec: ZoomAccountSpec) -> Self {
        let anchor = spec.anchor.timestamp();
        let (users, seed) = match spec.users {
            Users::Generated { count, seed } => {
                ((0..count).map(|i| generate::user(seed, i, anchor)).collect(), seed)
            }
            Users::Explicit(list) => (list, 0),
        };
        let state = ZoomAccountState {
            settings: spec.settings,
            users,
            roles: generate::roles(seed),
            pages: PageTokens::default(),
            tokens: HashMap::new(),
            revoked_before: None,
            expired_before: None,
        };
        ZoomAccount {
            inner: Arc::new(ZoomAccountInner {
                account_id: spec.account_id,
                client_id: spec.client_id,
                client_secret: spec.client_secret,
                core: Core::default(),
                state: Mutex::new(state),
            }),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, ZoomAccountState> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The account id (the S2S app's "Account ID").
    pub fn account_id(&self) -> String {
        self.inner.account_id.clone()
    }

    /// The S2S app's client id.
    pub fn client_id(&self) -> String {
        self.inner.client_id.clone()
    }

    /// The S2S app's client secret.
    pub fn client_secret(&self) -> String {
        self.inner.client_secret.clone()
    }

    /// Every user, in list order, as `GET /users` returns them (all statuses).
    pub fn users_json(&self) -> Vec<Value> {
        self.lock().users.clone()
    }

    /// The users with this status (`active`, `inactive`, `pending`).
    pub fn users_with_status(&self, status: &str) -> Vec<Value> {
        self.lock().users.iter().filter(|u| u["status"] == status).cloned().collect()
    }

    /// Replaces the users with exactly these objects.
    pub fn set_users(&self, users: Vec<Value>) {
        self.lock().users = users;
    }

    /// Appends a user.
    pub fn add_user(&self, user: Value) {
        self.lock().users.push(user);
    }

    /// Changes the user whose `id` or `email` is `key`; false when there is none.
    pub fn update_user(&self, key: &str, f: impl FnOnce(&mut Value)) -> bool {
        let mut st = self.lock();
        match st.users.iter_mut().find(|u| matches_key(u, key)) {
            Some(u) => {
                f(u);
                true
            }
            None => false,
        }
    }

    /// Deletes the user whose `id` or `email` is `key`; false when there is none.
    pub fn remove_user(&self, key: &str) -> bool {
        let mut st = self.lock();
        let before = st.users.len();
        st.users.retain(|u| !matches_key(u, key));
        st.users.len() != before
    }

    /// The roles `GET /roles` lists (without `total_members`, computed per request).
    pub fn roles_json(&self) -> Vec<Value> {
        self.lock().roles.clone()
    }

    /// Replaces the roles.
    pub fn set_roles(&self, roles: Vec<Value>) {
        self.lock().roles = roles;
    }

    /// The scopes new tokens get; tokens already issued keep theirs.
    pub fn set_scopes(&self, scopes: &[&str]) {
        self.lock().settings.scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
    }

    /// The lifetime (`expires_in`) of tokens issued from now on.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.lock().settings.token_lifetime = lifetime;
    }

    /// Every token issued so far is expired: code 124 "Access token is expired.".
    pub fn expire_tokens(&self) {
        self.lock().expired_before = Some(Instant::now());
    }

    /// Every token issued so far is invalid: code 124 "Invalid access token.".
    pub fn revoke_tokens(&self) {
        self.lock().revoked_before = Some(Instant::now());
    }

    /// Deactivates (`false`) or activates the app: a deactivated app mints no token and
    /// its tokens stop working.
    pub fn set_app_activated(&self, activated: bool) {
        self.lock().settings.app_activated = activated;
    }

    /// The current settings.
    pub fn settings(&self) -> ZoomAccountSettings {
        self.lock().settings.clone()
    }

    /// Changes settings; takes effect on the next request.
    pub fn update_settings(&self, f: impl FnOnce(&mut ZoomAccountSettings)) {
        f(&mut self.lock().settings);
    }

    /// Mints a token (the caller has checked the credentials).
    pub(crate) fn mint(&self, token: String, now: Instant) -> (u64, Vec<String>) {
        let mut st = self.lock();
        let lifetime = st.settings.token_lifetime;
        let scopes = st.settings.scopes.clone();
        // Expired tokens are kept a while, so that they keep answering "expired".
        st.tokens.retain(|_, t| t.expires_at + Duration::from_secs(3600) > now);
        st.tokens.insert(
            token,
            IssuedToken { issued_at: now, expires_at: now + lifetime, scopes: scopes.clone() },
        );
        drop(st);
        self.count("tokens_issued");
        (lifetime.as_secs(), scopes)
    }

    /// The scopes of a live token of this account.
    pub(crate) fn check_token(&self, token: &str, now: Instant) -> Result<Vec<String>, TokenRefusal> {
        let st = self.lock();
        let Some(issued) = st.tokens.get(token) else {
            return Err(TokenRefusal::Invalid);
        };
        let revoked = !st.settings.app_activated || st.revoked_before.is_some_and(|t| issued.issued_at <= t);
        let expired = issued.expires_at <= now || st.expired_before.is_some_and(|t| issued.issued_at <= t);
        match (revoked, expired) {
            (true, _) => Err(TokenRefusal::Invalid),
            (false, true) => Err(TokenRefusal::Expired),
            (false, false) => Ok(issued.scopes.clone()),
        }
    }
}

/// Whether `key` is the user's id or (any case) email: Zoom's `userId` is either.
pub(crate) fn matches_key(user: &Value, key: &str) -> bool {
    user.get("id").and_then(Value::as_str) == Some(key)
        || user.get("email").and_then(Value::as_str).is_some_and(|e| e.eq_ignore_ascii_case(key))
}
