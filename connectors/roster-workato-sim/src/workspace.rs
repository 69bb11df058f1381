//! A workspace: its handle for tests and the state the server reads.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use roster_sim_kit::{Budget, Core, Limited, Tenant, Window, respond};
use serde_json::Value;

use crate::activity::{ActivityIndex, ExtraEvent};
use crate::members::{self, GenCtx};
use crate::responses::{self, JSON_CONTENT_TYPE, message};
use crate::spec::{Members, RateLimitScope, RoleModel, WorkspaceSettings, WorkspaceSpec};
use crate::store::MemberStore;

pub(crate) struct WsState {
    pub settings: WorkspaceSettings,
    pub members: MemberStore,
    pub revoked: bool,
    pub extras: Arc<BTreeMap<u64, ExtraEvent>>,
}

pub(crate) struct WorkspaceInner {
    pub id: u64,
    pub name: String,
    pub plan_id: String,
    pub email: String,
    pub token: String,
    pub role_model: RoleModel,
    pub anchor_secs: i64,
    core: Core,
    state: Mutex<WsState>,
    pub(crate) activity_index: Mutex<Option<Arc<ActivityIndex>>>,
}

/// A handle to a workspace of a running simulator. It dereferences to the kit's [`Core`]:
/// `push_fault`, `set_random_faults`, `clear_faults`, `reset_rate_limit`, `stats`.
#[derive(Clone)]
pub struct Workspace {
    pub(crate) inner: Arc<WorkspaceInner>,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("id", &self.inner.id)
            .field("name", &self.inner.name)
            .finish_non_exhaustive()
    }
}

roster_sim_kit::core_deref!(Workspace, inner.core);

impl Workspace {
    pub(crate) fn new(spec: WorkspaceSpec) -> Self {
        let members = match spec.members {
            Members::Generated { count, seed } => MemberStore::generated(count, seed),
            Members::Explicit(list) => MemberStore::Explicit(Arc::new(list)),
        };
        let state = WsState { settings: spec.settings, members, revoked: false, extras: Arc::default() };
        Workspace {
            inner: Arc::new(WorkspaceInner {
                id: spec.id,
                name: spec.name,
                plan_id: spec.plan_id,
                email: spec.email,
                token: spec.token,
                role_model: spec.role_model,
                anchor_secs: spec.anchor.timestamp(),
                core: Core::default(),
                state: Mutex::new(state),
                activity_index: Mutex::new(None),
            }),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, WsState> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The workspace id.
    pub fn id(&self) -> u64 {
        self.inner.id
    }

    /// The workspace name.
    pub fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// The bearer token.
    pub fn token(&self) -> String {
        self.inner.token.clone()
    }

    /// The id of the workspace's root folder (`/api/users/me` `root_folder_id`).
    pub fn root_folder_id(&self) -> u64 {
        10_000 + self.inner.id
    }

    pub(crate) fn gen_ctx(&self, settings: &WorkspaceSettings, members: &MemberStore) -> GenCtx {
        let seed = match members {
            MemberStore::Generated { seed, .. } => *seed,
            MemberStore::Explicit(_) => 0,
        };
        GenCtx {
            seed,
            model: self.inner.role_model,
            anchor_secs: self.inner.anchor_secs,
            login_event_type: settings.login_event_type.clone(),
        }
    }

    /// A consistent snapshot of the members and how to generate them.
    pub(crate) fn member_snapshot(&self) -> (MemberStore, GenCtx) {
        let st = self.lock();
        (st.members.clone(), self.gen_ctx(&st.settings, &st.members))
    }

    /// Exactly what `/api/members` would list now.
    pub fn members_json(&self) -> Vec<Value> {
        let (store, ctx) = self.member_snapshot();
        store.all(&ctx)
    }

    /// One member as `/api/members/:id` would return it (unwrapped).
    pub fn member_json(&self, id: u64) -> Option<Value> {
        let (store, ctx) = self.member_snapshot();
        store.get(&ctx, id)
    }

    /// Number of members `/api/members` would list now.
    pub fn member_count(&self) -> usize {
        let (store, _) = self.member_snapshot();
        match &store {
            MemberStore::Generated { count, removed, .. } => {
                let gone = removed
                    .iter()
                    .filter(|id| members::member_index(**id).is_some_and(|i| i < *count))
                    .count();
                count - gone
            }
            MemberStore::Explicit(list) => list.len(),
        }
    }

    /// Removes a member (a hard delete); false when there is no such member.
    pub fn remove_member(&self, id: u64) -> bool {
        let mut st = self.lock();
        let ctx = self.gen_ctx(&st.settings, &st.members);
        st.members.remove(&ctx, id)
    }

    /// Changes one member's JSON (e.g. its roles); false when there is no such member.
    pub fn update_member(&self, id: u64, f: impl FnOnce(&mut Value)) -> bool {
        let mut st = self.lock();
        let ctx = self.gen_ctx(&st.settings, &st.members);
        st.members.update(&ctx, id, f)
    }

    /// Grows or shrinks the member list (generated members keep their identities).
    pub fn set_member_count(&self, n: usize) {
        let mut st = self.lock();
        let ctx = self.gen_ctx(&st.settings, &st.members);
        st.members.set_count(&ctx, n);
    }

    /// Replaces the members with exactly these objects (the generated activity log goes away;
    /// added events stay).
    pub fn set_members(&self, members: Vec<Value>) {
        self.lock().members = MemberStore::Explicit(Arc::new(members));
    }

    /// Revokes the token: every later request gets 401.
    pub fn revoke_token(&self) {
        self.lock().revoked = true;
    }

    /// Undoes [`Workspace::revoke_token`].
    pub fn restore_token(&self) {
        self.lock().revoked = false;
    }

    pub(crate) fn is_revoked(&self) -> bool {
        self.lock().revoked
    }

    /// The current settings.
    pub fn settings(&self) -> WorkspaceSettings {
        self.lock().settings.clone()
    }

    /// Changes settings; takes effect on the next request.
    pub fn update_settings(&self, f: impl FnOnce(&mut WorkspaceSettings)) {
        f(&mut self.lock().settings);
    }
}

impl Tenant for Workspace {
    fn core(&self) -> &Core {
        &self.inner.core
    }

    fn error(&self, status: StatusCode, text: &str) -> Response {
        message(status, text)
    }

    fn unauthorized(&self) -> Response {
        message(StatusCode::UNAUTHORIZED, &self.settings().unauthorized_message)
    }

    fn rate_limited(&self, limited: &Limited) -> Response {
        let style = self.settings().rate_limit.map(|r| r.retry_after).unwrap_or_default();
        responses::rate_limited(limited, style)
    }

    fn latency(&self) -> Duration {
        self.lock().settings.latency
    }

    /// One sliding 60-second window per token, or per token and resource family.
    fn budgets(&self, _method: &Method, path: &str) -> Vec<Budget> {
        let st = self.lock();
        let Some(limit) = &st.settings.rate_limit else {
            return Vec::new();
        };
        vec![Budget::new(
            window_key(st.settings.rate_limit_scope, path),
            limit.per_minute,
            Window::Sliding(RATE_LIMIT_WINDOW),
        )]
    }

    fn html_page(&self, status: StatusCode) -> String {
        respond::html_page(status, "Workato")
    }

    fn json_content_type(&self) -> &'static str {
        JSON_CONTENT_TYPE
    }

    fn truncated_json(&self) -> &'static str {
        r#"{"data":[{"id":1000,"grant_type":"team","roles":[{"environment_type":"dev","role_na"#
    }
}

/// Length of the rate-limit window.
pub const RATE_LIMIT_WINDOW: Duration = Duration::from_secs(60);

/// The window key of a request path.
fn window_key(scope: RateLimitScope, path: &str) -> &'static str {
    match scope {
        RateLimitScope::Token => "token",
        RateLimitScope::ResourceFamily => {
            if path.starts_with("/api/users") {
                "workspace_details"
            } else if path.starts_with("/api/members") {
                "collaborators"
            } else if path.starts_with("/api/activity_logs") {
                "activity_logs"
            } else {
                "other"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_keys() {
        assert_eq!(window_key(RateLimitScope::Token, "/api/members"), "token");
        assert_eq!(window_key(RateLimitScope::ResourceFamily, "/api/members/1"), "collaborators");
        assert_eq!(window_key(RateLimitScope::ResourceFamily, "/api/users/me"), "workspace_details");
    }
}
