//! The Zoom simulator: its accounts by account id and client id, the tokens it minted, and
//! who a request is.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use roster_sim_kit::{Pass, Sim, Vendor, respond};

use crate::authed::Authed;
use crate::responses::zoom_error;
use crate::spec::ZoomAccountSpec;
use crate::zoom_account::{TokenRefusal, ZoomAccount};

/// A running Zoom API simulator (see [`Zoom`] for its own methods).
pub type Simulator = Sim<Zoom>;

/// The simulator's state.
pub struct Zoom {
    pub(crate) origin: String,
    accounts: RwLock<ZoomAccounts>,
    tokens: Mutex<HashMap<String, ZoomAccount>>,
}

#[derive(Default)]
struct ZoomAccounts {
    by_account_id: HashMap<String, ZoomAccount>,
    by_client_id: HashMap<String, ZoomAccount>,
    order: Vec<ZoomAccount>,
}

impl Zoom {
    /// Adds a Zoom account (replacing one with the same account id or client id).
    pub fn add_zoom_account(&self, spec: ZoomAccountSpec) -> ZoomAccount {
        let account = ZoomAccount::new(spec);
        let mut all = self.accounts.write().unwrap_or_else(|e| e.into_inner());
        let (id, client) = (account.account_id(), account.client_id());
        all.order.retain(|a| a.account_id() != id && a.client_id() != client);
        all.by_account_id.retain(|_, a| a.client_id() != client);
        all.by_client_id.retain(|_, a| a.account_id() != id);
        all.by_account_id.insert(id, account.clone());
        all.by_client_id.insert(client, account.clone());
        all.order.push(account.clone());
        account
    }

    /// The Zoom account with this account id.
    pub fn zoom_account(&self, account_id: &str) -> Option<ZoomAccount> {
        self.accounts.read().unwrap_or_else(|e| e.into_inner()).by_account_id.get(account_id).cloned()
    }

    /// Every Zoom account, in the order added.
    pub fn zoom_accounts(&self) -> Vec<ZoomAccount> {
        self.accounts.read().unwrap_or_else(|e| e.into_inner()).order.clone()
    }

    pub(crate) fn by_client_id(&self, client_id: &str) -> Option<ZoomAccount> {
        self.accounts.read().unwrap_or_else(|e| e.into_inner()).by_client_id.get(client_id).cloned()
    }

    pub(crate) fn remember_token(&self, token: &str, account: &ZoomAccount) {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner()).insert(token.to_owned(), account.clone());
    }

    fn by_token(&self, token: &str) -> Option<ZoomAccount> {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner()).get(token).cloned()
    }
}

impl Vendor for Zoom {
    type Tenant = Authed;

    fn new(origin: &str) -> Self {
        Zoom { origin: origin.to_owned(), accounts: RwLock::default(), tokens: Mutex::default() }
    }

    fn routes(self: &Arc<Self>) -> Router {
        crate::routes::routes(self)
    }

    /// `/oauth/token` is open; `/v2` needs a live bearer token (code 124 otherwise).
    fn authenticate(&self, request: &Request) -> Pass<Authed> {
        if !request.uri().path().starts_with("/v2/") {
            return Pass::Open;
        }
        let token = respond::bearer_of(request.headers());
        let Some((token, account)) = token.and_then(|t| self.by_token(t).map(|a| (t, a))) else {
            return Pass::Refused {
                tenant: None,
                response: zoom_error(StatusCode::UNAUTHORIZED, 124, "Invalid access token."),
            };
        };
        match account.check_token(token, Instant::now()) {
            Ok(scopes) => Pass::Tenant(Authed { account, scopes }),
            Err(refusal) => {
                account.count("token_refusals");
                let authed = Authed { account, scopes: Vec::new() };
                let response = match refusal {
                    TokenRefusal::Expired => roster_sim_kit::Tenant::vendor_fault(&authed, "expired_token"),
                    TokenRefusal::Invalid => roster_sim_kit::Tenant::unauthorized(&authed),
                };
                Pass::Refused { tenant: Some(authed), response }
            }
        }
    }
}
