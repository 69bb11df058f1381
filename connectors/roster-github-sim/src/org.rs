//! An organization: the handle tests hold, and the state the server reads.

use std::sync::{Arc, Mutex, MutexGuard};

use roster_sim_kit::Core;

use crate::generate::{self, Data};
use crate::spec::{OrgSettings, OrgSpec, TokenSpec};

pub(crate) struct OrgState {
    pub spec: OrgSpec,
    pub data: Data,
}

pub(crate) struct OrgInner {
    pub core: Core,
    state: Mutex<OrgState>,
}

/// A handle to an organization of a running simulator. It dereferences to the kit's
/// [`Core`]: `push_fault`, `clear_faults`, `stats`, `reset_rate_limit`.
#[derive(Clone)]
pub struct Org {
    pub(crate) inner: Arc<OrgInner>,
}

impl std::fmt::Debug for Org {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Org").field("login", &self.login()).finish_non_exhaustive()
    }
}

roster_sim_kit::core_deref!(Org, inner.core);

impl Org {
    pub(crate) fn new(spec: OrgSpec) -> Self {
        let data = generate::data(&spec, chrono::Utc::now().timestamp());
        Org {
            inner: Arc::new(OrgInner { core: Core::default(), state: Mutex::new(OrgState { spec, data }) }),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, OrgState> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn login(&self) -> String {
        self.lock().spec.login.clone()
    }

    pub fn id(&self) -> u64 {
        self.lock().spec.id
    }

    /// The organization's tokens, as specified.
    pub fn tokens(&self) -> Vec<TokenSpec> {
        self.lock().spec.tokens.clone()
    }

    /// The first owner's (`true`) or non-owner's token.
    pub fn token(&self, owner: bool) -> String {
        self.tokens().into_iter().find(|t| t.owner == owner).map(|t| t.token).unwrap_or_default()
    }

    /// Every list as served.
    pub fn data(&self) -> Data {
        self.lock().data.clone()
    }

    /// Changes the lists; takes effect on the next request.
    pub fn update_data(&self, f: impl FnOnce(&mut Data)) {
        f(&mut self.lock().data);
    }

    /// Members, outside collaborators and pending invitations.
    pub fn user_count(&self) -> usize {
        let st = self.lock();
        st.data.members.len() + st.data.collaborators.len() + st.data.invitations.len()
    }

    pub fn settings(&self) -> OrgSettings {
        self.lock().spec.settings.clone()
    }

    /// Changes settings; takes effect on the next request.
    pub fn update_settings(&self, f: impl FnOnce(&mut OrgSettings)) {
        f(&mut self.lock().spec.settings);
    }

    /// Changes the spec's plan, SAML and Copilot (not its tokens or lists).
    pub fn update_spec(&self, f: impl FnOnce(&mut OrgSpec)) {
        f(&mut self.lock().spec);
    }

    /// `plan.filled_seats`: members, outside collaborators and pending invitations
    /// \[INFERRED: invitations hold a seat\]; and `plan.seats`.
    pub fn seats(&self) -> (u64, u64) {
        let st = self.lock();
        let filled = (st.data.members.len() + st.data.collaborators.len() + st.data.invitations.len()) as u64;
        (filled, st.spec.seats.unwrap_or(filled + filled.div_ceil(10)))
    }
}
