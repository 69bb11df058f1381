//! A tenant: the vendor-side organisation a credential reaches (a workspace, an account,
//! an organization). The kit keeps its faults, budgets and counters in a [`Core`]; the
//! vendor says how its answers look.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use axum::response::Response;

use crate::faults::{Fault, QueuedFault, RandomFaults, Route, take_queued};
use crate::rate::{Budget, Limited, Limiter, Spent};
use crate::respond;
use crate::stats::Stats;

/// What the kit needs from a vendor's tenant handle.
pub trait Tenant: Clone + Send + Sync + 'static {
    /// The kit's state for this tenant.
    fn core(&self) -> &Core;

    /// The vendor's JSON error for `status`.
    fn error(&self, status: StatusCode, message: &str) -> Response;

    /// The vendor's answer to a spent budget or an injected `RateLimited` fault.
    fn rate_limited(&self, limited: &Limited) -> Response;

    /// Added to every response of this tenant.
    fn latency(&self) -> Duration {
        Duration::ZERO
    }

    /// The budgets a request draws from, in order; none means it is not limited.
    fn budgets(&self, _method: &Method, _path: &str) -> Vec<Budget> {
        Vec::new()
    }

    /// Called on each admitted request's response, with what it left of its budgets
    /// (to add headers such as `X-RateLimit-Remaining`).
    fn finish(&self, _path: &str, _response: &mut Response, _spent: &[Spent]) {}

    /// The vendor's 401.
    fn unauthorized(&self) -> Response {
        self.error(StatusCode::UNAUTHORIZED, "Unauthorized")
    }

    /// A vendor fault by name ([`Fault::Vendor`]).
    fn vendor_fault(&self, name: &'static str) -> Response {
        self.error(StatusCode::INTERNAL_SERVER_ERROR, name)
    }

    /// The vendor's HTML error page.
    fn html_page(&self, status: StatusCode) -> String {
        respond::html_page(status, "")
    }

    /// The vendor's JSON `Content-Type`.
    fn json_content_type(&self) -> &'static str {
        "application/json; charset=utf-8"
    }

    /// The start of one of the vendor's JSON bodies, cut off in the middle.
    fn truncated_json(&self) -> &'static str {
        r#"{"data":[{"id":1000,"name":"Trun"#
    }
}

/// Makes a tenant handle dereference to its [`Core`], so that tests call `push_fault`,
/// `stats` and the rest on the handle: `roster_sim_kit::core_deref!(Workspace, inner.core);`.
#[macro_export]
macro_rules! core_deref {
    ($handle:ty, $($field:ident).+) => {
        impl ::std::ops::Deref for $handle {
            type Target = $crate::Core;

            fn deref(&self) -> &$crate::Core {
                &self.$($field).+
            }
        }
    };
}

/// What the kit keeps for a tenant: counters, queued and random faults, rate-limit counts.
#[derive(Debug, Default)]
pub struct Core {
    state: Mutex<CoreState>,
}

#[derive(Debug, Default)]
struct CoreState {
    /// Latency added on top of the tenant's own ([`Tenant::latency`]).
    latency: Duration,
    stats: Stats,
    queue: VecDeque<QueuedFault>,
    random: Option<RandomFaults>,
    limiter: Limiter,
}

/// What the gate decided for one request.
pub(crate) enum Admission {
    Limited(Limited),
    Fault(Fault, Vec<Spent>),
    Proceed(Vec<Spent>),
}

impl Core {
    fn lock(&self) -> MutexGuard<'_, CoreState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next `times` requests on `route` suffer `fault`. A route is a path prefix
    /// (`"/v2/users"`), optionally after a method (`"DELETE /api/members"`); `None` is
    /// every request. Queued faults are used in order.
    pub fn push_fault(&self, fault: Fault, times: usize, route: Option<&str>) {
        if times > 0 {
            self.lock().queue.push_back(QueuedFault { fault, remaining: times, route: Route::parse(route) });
        }
    }

    /// Each request suffers a random transient fault ([`Fault::transient`]) with
    /// `probability` (0 turns random faults off).
    pub fn set_random_faults(&self, probability: f64, seed: u64) {
        self.set_random_faults_from(probability, seed, Fault::transient());
    }

    /// Like [`Core::set_random_faults`], picking from `faults`.
    pub fn set_random_faults_from(&self, probability: f64, seed: u64, faults: Vec<Fault>) {
        self.lock().random = (probability > 0.0).then(|| RandomFaults::new(probability, seed, faults));
    }

    /// Drops queued and random faults.
    pub fn clear_faults(&self) {
        let mut st = self.lock();
        st.queue.clear();
        st.random = None;
    }

    /// Adds `latency` to every response of this tenant (on top of the vendor's own setting).
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }

    pub(crate) fn latency(&self) -> Duration {
        self.lock().latency
    }

    /// Forgets every request the budgets counted.
    pub fn reset_rate_limit(&self) {
        self.lock().limiter.clear();
    }

    /// Counters so far.
    pub fn stats(&self) -> Stats {
        self.lock().stats.clone()
    }

    /// Adds one to a vendor counter.
    pub fn count(&self, name: &'static str) {
        *self.lock().stats.counters.entry(name).or_default() += 1;
    }

    /// For an endpoint outside the gate (a token endpoint): counts the path and takes a
    /// fault queued for it, if any.
    pub fn open_request(&self, method: &Method, path: &str) -> Option<Fault> {
        let mut st = self.lock();
        st.stats.count_path(path);
        let fault = take_queued(&mut st.queue, method, path);
        if fault.is_some() {
            st.stats.faults += 1;
        }
        fault
    }

    /// Counts a request that was refused before admission (a revoked token).
    pub(crate) fn count_refused(&self, path: &str) {
        let mut st = self.lock();
        st.stats.requests += 1;
        st.stats.count_path(path);
    }

    pub(crate) fn count_cancelled(&self) {
        self.lock().stats.cancelled += 1;
    }

    /// Counts a request and decides what happens to it.
    pub(crate) fn admit(&self, method: &Method, path: &str, budgets: &[Budget], now: Instant) -> Admission {
        let mut guard = self.lock();
        let st = &mut *guard;
        st.stats.requests += 1;
        st.stats.count_path(path);
        let spent = match st.limiter.admit(budgets, now) {
            Ok(spent) => spent,
            Err(limited) => {
                st.stats.rate_limited += 1;
                return Admission::Limited(Limited { path: path.to_owned(), ..limited });
            }
        };
        let fault = take_queued(&mut st.queue, method, path)
            .or_else(|| st.random.as_mut().and_then(RandomFaults::roll));
        match fault {
            Some(fault) => {
                st.stats.faults += 1;
                if matches!(fault, Fault::RateLimited(_)) {
                    st.stats.rate_limited += 1;
                }
                Admission::Fault(fault, spent)
            }
            None => Admission::Proceed(spent),
        }
    }
}
