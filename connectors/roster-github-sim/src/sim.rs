//! The GitHub simulator: its organizations, their tokens, and who a request is.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use roster_sim_kit::{Pass, Sim, Vendor, respond};

use crate::authed::{Authed, gh_error};
use crate::org::Org;
use crate::spec::{OrgSpec, TokenSpec};

/// A running GitHub simulator (see [`GitHub`] for its own methods).
pub type Simulator = Sim<GitHub>;

/// The simulator's state.
pub struct GitHub {
    origin: Arc<str>,
    orgs: RwLock<Vec<Org>>,
    tokens: RwLock<HashMap<String, (Org, TokenSpec)>>,
}

impl GitHub {
    /// Adds an organization and its tokens (replacing one with the same login).
    pub fn add_org(&self, spec: OrgSpec) -> Org {
        let tokens = spec.tokens.clone();
        let org = Org::new(spec);
        let login = org.login();
        self.orgs
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|o| !o.login().eq_ignore_ascii_case(&login));
        self.orgs.write().unwrap_or_else(|e| e.into_inner()).push(org.clone());
        let mut all = self.tokens.write().unwrap_or_else(|e| e.into_inner());
        all.retain(|_, (o, _)| !o.login().eq_ignore_ascii_case(&login));
        for t in tokens {
            all.insert(t.token.clone(), (org.clone(), t));
        }
        org
    }

    /// The organization with this login.
    pub fn org(&self, login: &str) -> Option<Org> {
        self.orgs
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|o| o.login().eq_ignore_ascii_case(login))
            .cloned()
    }

    /// `<origin>/api/v3`: the connector's `api_url` for this simulator (GHES layout).
    pub fn api_url(&self) -> String {
        format!("{}/api/v3", self.origin)
    }
}

impl Vendor for GitHub {
    type Tenant = Authed;

    fn new(origin: &str) -> Self {
        GitHub { origin: origin.into(), orgs: RwLock::default(), tokens: RwLock::default() }
    }

    fn routes(self: &Arc<Self>) -> Router {
        crate::rest::routes()
    }

    /// `/api/...` needs a `User-Agent` (403, not JSON, without one) and a known token (401
    /// "Bad credentials" otherwise); other paths fall through to the 404.
    fn authenticate(&self, request: &Request) -> Pass<Authed> {
        let path = request.uri().path();
        if !path.starts_with("/api/") {
            return Pass::Open;
        }
        if !request.headers().contains_key(header::USER_AGENT) {
            let text = "Request forbidden by administrative rules.\nPlease make sure your request has a User-Agent header.\nCheck https://developer.github.com for other possible causes.\n";
            return Pass::Refused {
                tenant: None,
                response: respond::typed(StatusCode::FORBIDDEN, "text/html", text),
            };
        }
        let known =
            respond::bearer_of(request.headers()).and_then(|t| self.tokens.read().ok()?.get(t).cloned());
        match known {
            Some((org, token)) => Pass::Tenant(Authed { org, token, origin: self.origin.clone() }),
            None => {
                let docs = if path == "/api/graphql" {
                    "https://docs.github.com/graphql"
                } else {
                    "https://docs.github.com/rest"
                };
                Pass::Refused {
                    tenant: None,
                    response: gh_error(StatusCode::UNAUTHORIZED, "Bad credentials", docs),
                }
            }
        }
    }
}
