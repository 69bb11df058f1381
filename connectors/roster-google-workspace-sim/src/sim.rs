//! The simulator's state: its customers, the tokens it issued, and who a request is.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use roster_sim_kit::{Pass, Sim, Vendor, respond};

use crate::authed::Authed;
use crate::customer::Customer;
use crate::responses::unauthenticated;
use crate::spec::CustomerSpec;

/// A running Google Workspace simulator (see [`Google`] for its own methods).
pub type Simulator = Sim<Google>;

/// A token the token endpoint issued.
#[derive(Clone, Debug)]
pub(crate) struct Issued {
    pub customer: Customer,
    pub subject: Option<String>,
    pub scopes: Vec<String>,
    pub issued_at: Instant,
    pub expires_at: Instant,
}

/// The simulator's state.
pub struct Google {
    pub(crate) origin: String,
    customers: RwLock<Vec<Customer>>,
    tokens: Mutex<HashMap<String, Issued>>,
}

impl Google {
    /// Adds a customer (replacing one with the same customer id).
    pub fn add_customer(&self, spec: CustomerSpec) -> Customer {
        let customer = Customer::new(spec);
        let mut all = self.customers.write().unwrap_or_else(|e| e.into_inner());
        all.retain(|c| c.inner.customer_id != customer.inner.customer_id);
        all.push(customer.clone());
        customer
    }

    /// Every customer, in the order added.
    pub fn customers(&self) -> Vec<Customer> {
        self.customers.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The customer whose service account is `client_email`.
    pub(crate) fn by_client_email(&self, client_email: &str) -> Option<Customer> {
        self.customers().into_iter().find(|c| c.inner.client_email == client_email)
    }

    pub(crate) fn remember(&self, token: String, issued: Issued) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        tokens.retain(|_, t| t.expires_at + std::time::Duration::from_secs(3600) > now);
        tokens.insert(token, issued);
    }

    fn issued(&self, token: &str) -> Option<Issued> {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner()).get(token).cloned()
    }
}

/// Whether `path` is one of the APIs (everything else, the token endpoint, is open).
fn is_api(path: &str) -> bool {
    path.starts_with("/admin/directory/v1/") || path.starts_with("/apps/licensing/v1/")
}

impl Vendor for Google {
    type Tenant = Authed;

    fn new(origin: &str) -> Self {
        Google { origin: origin.to_owned(), customers: RwLock::default(), tokens: Mutex::default() }
    }

    fn routes(self: &Arc<Self>) -> Router {
        crate::routes::routes(self)
    }

    fn authenticate(&self, request: &Request) -> Pass<Authed> {
        if !is_api(request.uri().path()) {
            return Pass::Open;
        }
        let Some(token) = respond::bearer_of(request.headers()) else {
            return Pass::Refused { tenant: None, response: unauthenticated(true) };
        };
        let Some(issued) = self.issued(token) else {
            return Pass::Refused { tenant: None, response: unauthenticated(false) };
        };
        let expired_before = issued.customer.lock().expired_before;
        let authed = Authed { customer: issued.customer, subject: issued.subject, scopes: issued.scopes };
        if issued.expires_at <= Instant::now() || expired_before.is_some_and(|t| issued.issued_at <= t) {
            authed.customer.count("token_refusals");
            return Pass::Refused { tenant: Some(authed), response: unauthenticated(false) };
        }
        Pass::Tenant(authed)
    }
}
