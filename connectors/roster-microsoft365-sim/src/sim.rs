//! The Microsoft Graph simulator: its tenants by GUID and domain, the tokens it minted, and
//! who a request is.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use roster_sim_kit::{Pass, Sim, Vendor, respond};

use crate::authed::Authed;
use crate::responses::invalid_token;
use crate::spec::TenantSpec;
use crate::tenant::EntraTenant;

/// A running Microsoft Graph simulator (see [`Microsoft`] for its own methods).
pub type Simulator = Sim<Microsoft>;

/// One minted access token.
pub(crate) struct Issued {
    pub tenant: EntraTenant,
    pub permissions: Vec<String>,
    pub issued_at: Instant,
    pub expires_at: Instant,
}

/// The simulator's state.
pub struct Microsoft {
    pub(crate) origin: String,
    tenants: RwLock<Vec<EntraTenant>>,
    tokens: Mutex<HashMap<String, Issued>>,
    invalid_tenant: AtomicBool,
}

impl Microsoft {
    /// Adds a tenant.
    pub fn add_tenant(&self, spec: TenantSpec) -> EntraTenant {
        let tenant = EntraTenant::new(&self.origin, spec);
        self.tenants.write().unwrap_or_else(|e| e.into_inner()).push(tenant.clone());
        tenant
    }

    /// Every tenant, in the order added.
    pub fn tenants(&self) -> Vec<EntraTenant> {
        self.tenants.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// \[INFERRED\] An unknown tenant is refused with `error` "invalid_tenant" (the 2023+
    /// wording; the default) or "invalid_request" (older answers).
    pub fn set_unknown_tenant_error(&self, invalid_tenant: bool) {
        self.invalid_tenant.store(invalid_tenant, Ordering::Relaxed);
    }

    pub(crate) fn unknown_tenant_error(&self) -> &'static str {
        if self.invalid_tenant.load(Ordering::Relaxed) { "invalid_tenant" } else { "invalid_request" }
    }

    /// The tenant a token request names: its GUID or verified domain, in any case.
    pub(crate) fn tenant(&self, name: &str) -> Option<EntraTenant> {
        let all = self.tenants.read().unwrap_or_else(|e| e.into_inner());
        all.iter()
            .find(|t| {
                t.inner.tenant_id.eq_ignore_ascii_case(name) || t.inner.domain.eq_ignore_ascii_case(name)
            })
            .cloned()
    }

    pub(crate) fn remember(&self, token: String, issued: Issued) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.retain(|_, t| t.expires_at + std::time::Duration::from_secs(3600) > issued.issued_at);
        tokens.insert(token, issued);
    }
}

impl Vendor for Microsoft {
    type Tenant = Authed;

    fn new(origin: &str) -> Self {
        Microsoft {
            origin: origin.to_owned(),
            tenants: RwLock::default(),
            tokens: Mutex::default(),
            invalid_tenant: AtomicBool::new(true),
        }
    }

    fn routes(self: &Arc<Self>) -> Router {
        crate::routes::routes(self)
    }

    /// The token endpoint is open; `/v1.0` needs a live bearer token.
    fn authenticate(&self, request: &Request) -> Pass<Authed> {
        if !request.uri().path().starts_with("/v1.0/") {
            return Pass::Open;
        }
        let Some(token) = respond::bearer_of(request.headers()) else {
            return Pass::Refused { tenant: None, response: invalid_token("Access token is empty.") };
        };
        let tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let Some(issued) = tokens.get(token) else {
            let response = invalid_token("CompactToken parsing failed with error code: 80049217");
            return Pass::Refused { tenant: None, response };
        };
        let authed = Authed { tenant: issued.tenant.clone(), permissions: issued.permissions.clone() };
        let now = Instant::now();
        let expired_before = issued.tenant.lock().tokens_expired_before;
        if issued.expires_at <= now || expired_before.is_some_and(|t| issued.issued_at <= t) {
            let response = invalid_token("Access token has expired or is not yet valid.");
            return Pass::Refused { tenant: Some(authed), response };
        }
        Pass::Tenant(authed)
    }
}
