//! An account: its handle for tests and the state the server reads.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::faults::{Fault, QueuedFault};
use crate::generate;
use crate::paging::PageTokens;
use crate::rate_limit::{Category, RateLimiter, Refusal};
use crate::responses::{RateHeaders, RateLimitStyle};
use crate::spec::{AccountSettings, AccountSpec, Users};

/// Counters of one account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountStats {
    /// API requests carrying one of this account's tokens (refused ones included).
    pub requests: u64,
    /// Requests per path, the token endpoint included.
    pub by_path: BTreeMap<String, u64>,
    /// Requests answered 429 (by the limiter or a fault).
    pub rate_limited: u64,
    /// Requests that suffered an injected fault.
    pub faults: u64,
    /// Tokens minted.
    pub tokens_issued: u64,
    /// API requests refused with code 124 (expired or invalid token).
    pub token_refusals: u64,
}

/// One minted access token.
#[derive(Clone, Debug)]
pub(crate) struct IssuedToken {
    pub issued_at: Instant,
    pub expires_at: Instant,
    pub scopes: Vec<String>,
}

pub(crate) struct AccountState {
    pub settings: AccountSettings,
    pub users: Vec<Value>,
    pub roles: Vec<Value>,
    pub faults: VecDeque<QueuedFault>,
    pub limiter: RateLimiter,
    pub pages: PageTokens,
    pub tokens: HashMap<String, IssuedToken>,
    pub revoked_before: Option<Instant>,
    pub expired_before: Option<Instant>,
    pub stats: AccountStats,
}

pub(crate) struct AccountInner {
    pub account_id: String,
    pub client_id: String,
    pub client_secret: String,
    state: Mutex<AccountState>,
}

/// What the gate decided for one API request.
pub(crate) enum Admission {
    /// Code 124: the token is expired (`true`) or invalid.
    Token {
        expired: bool,
    },
    Limited(RateLimitStyle, RateHeaders, Duration),
    Fault {
        fault: Fault,
        scopes: Vec<String>,
        rate: RateHeaders,
    },
    Proceed {
        scopes: Vec<String>,
        rate: RateHeaders,
    },
}

/// A handle to an account of a running simulator.
#[derive(Clone)]
pub struct Account {
    pub(crate) inner: Arc<AccountInner>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account").field("account_id", &self.inner.account_id).finish_non_exhaustive()
    }
}

impl Account {
    pub(crate) fn new(spec: AccountSpec) -> Self {
        let anchor = spec.anchor.timestamp();
        let (users, seed) = match spec.users {
            Users::Generated { count, seed } => {
                ((0..count).map(|i| generate::user(seed, i, anchor)).collect(), seed)
            }
            Users::Explicit(list) => (list, 0),
        };
        let state = AccountState {
            settings: spec.settings,
            users,
            roles: generate::roles(seed),
            faults: VecDeque::new(),
            limiter: RateLimiter::default(),
            pages: PageTokens::default(),
            tokens: HashMap::new(),
            revoked_before: None,
            expired_before: None,
            stats: AccountStats::default(),
        };
        Account {
            inner: Arc::new(AccountInner {
                account_id: spec.account_id,
                client_id: spec.client_id,
                client_secret: spec.client_secret,
                state: Mutex::new(state),
            }),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, AccountState> {
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

    /// The next `times` requests whose path starts with `path_prefix` (any path when
    /// `None`, the token endpoint included) suffer `fault`. Queued faults are used in order.
    pub fn push_fault(&self, fault: Fault, times: usize, path_prefix: Option<&str>) {
        if times > 0 {
            self.lock().faults.push_back(QueuedFault {
                fault,
                remaining: times,
                prefix: path_prefix.map(str::to_owned),
            });
        }
    }

    /// Drops queued faults.
    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    /// The current settings.
    pub fn settings(&self) -> AccountSettings {
        self.lock().settings.clone()
    }

    /// Changes settings; takes effect on the next request.
    pub fn update_settings(&self, f: impl FnOnce(&mut AccountSettings)) {
        f(&mut self.lock().settings);
    }

    /// Counters so far.
    pub fn stats(&self) -> AccountStats {
        self.lock().stats.clone()
    }

    /// Counts a token request and takes a fault queued for the token endpoint.
    pub(crate) fn token_request(&self, path: &str) -> Option<Fault> {
        let mut st = self.lock();
        *st.stats.by_path.entry(path.to_owned()).or_default() += 1;
        let fault = crate::faults::take_queued(&mut st.faults, path);
        if fault.is_some() {
            st.stats.faults += 1;
        }
        fault
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
        st.stats.tokens_issued += 1;
        (lifetime.as_secs(), scopes)
    }

    /// Counts an API request and decides what happens to it.
    pub(crate) fn admit(&self, path: &str, token: &str, now: Instant) -> Admission {
        let mut guard = self.lock();
        let st = &mut *guard;
        st.stats.requests += 1;
        *st.stats.by_path.entry(path.to_owned()).or_default() += 1;
        let Some(issued) = st.tokens.get(token) else {
            st.stats.token_refusals += 1;
            return Admission::Token { expired: false };
        };
        let revoked = !st.settings.app_activated || st.revoked_before.is_some_and(|t| issued.issued_at <= t);
        let expired = issued.expires_at <= now || st.expired_before.is_some_and(|t| issued.issued_at <= t);
        if revoked || expired {
            st.stats.token_refusals += 1;
            return Admission::Token { expired: !revoked };
        }
        let scopes = issued.scopes.clone();
        let category = Category::of(path);
        let mut rate = RateHeaders { category: category.header(), limit: 0, remaining: 0 };
        if let Some(limits) = st.settings.rate_limit.clone() {
            rate.limit = match category {
                Category::Light => limits.light_per_second,
                Category::Medium => limits.medium_per_second,
                Category::Heavy => limits.heavy_per_second,
            };
            match st.limiter.check(category, &limits, now) {
                Ok(remaining) => rate.remaining = remaining,
                Err(refusal) => {
                    st.stats.rate_limited += 1;
                    return match refusal {
                        Refusal::Daily => {
                            Admission::Limited(RateLimitStyle::DailyLimit, rate, Duration::ZERO)
                        }
                        Refusal::PerSecond(wait) => {
                            let style = if limits.qps_retry_after {
                                RateLimitStyle::RetryAfterSeconds
                            } else {
                                RateLimitStyle::Qps
                            };
                            Admission::Limited(style, rate, wait)
                        }
                    };
                }
            }
        }
        if let Some(fault) = crate::faults::take_queued(&mut st.faults, path) {
            st.stats.faults += 1;
            if matches!(fault, Fault::RateLimited(_)) {
                st.stats.rate_limited += 1;
            }
            return Admission::Fault { fault, scopes, rate };
        }
        Admission::Proceed { scopes, rate }
    }
}

fn matches_key(user: &Value, key: &str) -> bool {
    user.get("id").and_then(Value::as_str) == Some(key)
        || user.get("email").and_then(Value::as_str).is_some_and(|e| e.eq_ignore_ascii_case(key))
}
