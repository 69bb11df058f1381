//! The middleware every request passes: the log, authentication, the tenant's counters,
//! latency, budgets and faults.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::faults::{self, Outcome};
use crate::log::RequestRecord;
use crate::rate::Spent;
use crate::sim::{Pass, Shared, Vendor};
use crate::tenant::{Admission, Tenant};

/// Counts the request as cancelled if it is dropped before its response is ready.
struct CancelGuard<T: Tenant>(Option<T>);

impl<T: Tenant> Drop for CancelGuard<T> {
    fn drop(&mut self) {
        if let Some(t) = self.0.take() {
            t.core().count_cancelled();
        }
    }
}

pub(crate) async fn gate<V: Vendor>(
    State(shared): State<Arc<Shared<V>>>,
    req: Request,
    next: Next,
) -> Response {
    shared.log.record(RequestRecord::of(&req));
    let path = req.uri().path().to_owned();
    let tenant = match shared.vendor.authenticate(&req) {
        Pass::Open => return next.run(req).await,
        Pass::Tenant(t) => t,
        Pass::Refused { tenant, response } => {
            if let Some(t) = tenant {
                t.core().count_refused(&path);
                sleep(&t).await;
            }
            return response;
        }
    };
    let method = req.method().clone();
    let mut guard = CancelGuard(Some(tenant.clone()));
    let budgets = tenant.budgets(&method, &path);
    let admission = tenant.core().admit(&method, &path, &budgets, Instant::now());
    sleep(&tenant).await;
    let response = match admission {
        Admission::Limited(limited) => tenant.rate_limited(&limited),
        Admission::Fault(fault, spent) => match faults::outcome(&fault, &tenant, &path) {
            Outcome::Respond(response) => response,
            Outcome::ProceedAfter(delay) => {
                tokio::time::sleep(delay).await;
                proceed(req, next, &tenant, &path, &spent).await
            }
            Outcome::SlowBody(delay) => {
                faults::slow_body(proceed(req, next, &tenant, &path, &spent).await, delay)
            }
        },
        Admission::Proceed(spent) => proceed(req, next, &tenant, &path, &spent).await,
    };
    guard.0 = None;
    response
}

async fn sleep<T: Tenant>(tenant: &T) {
    let latency = tenant.latency() + tenant.core().latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
}

async fn proceed<T: Tenant>(
    mut req: Request,
    next: Next,
    tenant: &T,
    path: &str,
    spent: &[Spent],
) -> Response {
    req.extensions_mut().insert(tenant.clone());
    let mut response = next.run(req).await;
    tenant.finish(path, &mut response, spent);
    response
}
