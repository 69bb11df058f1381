//! The Workato simulator: its workspaces by token, and who a request is.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use roster_sim_kit::{Pass, Sim, Tenant, Vendor, respond};

use crate::responses::message;
use crate::spec::WorkspaceSpec;
use crate::workspace::Workspace;

/// A running Workato Developer API simulator (see [`Workato`] for its own methods).
pub type Simulator = Sim<Workato>;

/// The simulator's state: workspaces by token, in the order added.
#[derive(Default)]
pub struct Workato {
    workspaces: RwLock<Workspaces>,
}

#[derive(Default)]
struct Workspaces {
    by_token: HashMap<String, Workspace>,
    order: Vec<Workspace>,
}

impl Workato {
    /// Adds a workspace (replacing one with the same token) and returns its handle.
    pub fn add_workspace(&self, spec: WorkspaceSpec) -> Workspace {
        let ws = Workspace::new(spec);
        let token = ws.token();
        let mut all = self.workspaces.write().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = all.by_token.insert(token.clone(), ws.clone()) {
            all.order.retain(|w| w.token() != old.token());
        }
        all.order.push(ws.clone());
        ws
    }

    /// The workspace with this token.
    pub fn workspace(&self, token: &str) -> Option<Workspace> {
        self.workspaces.read().unwrap_or_else(|e| e.into_inner()).by_token.get(token).cloned()
    }

    /// Every workspace, in the order added.
    pub fn workspaces(&self) -> Vec<Workspace> {
        self.workspaces.read().unwrap_or_else(|e| e.into_inner()).order.clone()
    }
}

impl Vendor for Workato {
    type Tenant = Workspace;

    fn new(_origin: &str) -> Self {
        Workato::default()
    }

    fn routes(self: &Arc<Self>) -> Router {
        crate::routes::routes()
    }

    /// Bearer tokens; a revoked token is refused with the workspace's 401.
    fn authenticate(&self, request: &Request) -> Pass<Workspace> {
        match respond::bearer_of(request.headers()).and_then(|t| self.workspace(t)) {
            Some(ws) if ws.is_revoked() => Pass::Refused { response: ws.unauthorized(), tenant: Some(ws) },
            Some(ws) => Pass::Tenant(ws),
            None => {
                Pass::Refused { tenant: None, response: message(StatusCode::UNAUTHORIZED, "Unauthorized") }
            }
        }
    }
}
