//! Workspace specifications and per-workspace settings.

use std::time::Duration;

use chrono::{DateTime, Timelike, Utc};
use rand::Rng;
use roster_sim_kit::RetryAfter;

/// How a workspace is created.
#[derive(Clone, Debug)]
pub struct WorkspaceSpec {
    /// Workspace id (`/api/users/me` `id`).
    pub id: u64,
    /// Workspace name.
    pub name: String,
    /// `plan_id` on `/api/users/me`.
    pub plan_id: String,
    /// Bearer token of this workspace's API client.
    pub token: String,
    /// The workspace's collaborators.
    pub members: Members,
    /// Switches for behaviour the reference leaves open.
    pub settings: WorkspaceSettings,
    /// `email` on `/api/users/me` and in activity-log `workspace` objects.
    pub email: String,
    /// Role model of generated members (legacy privilege groups or RBAC v2 environment roles).
    pub role_model: RoleModel,
    /// "Now" for generated data: member activity lies in the 120 days before it.
    pub anchor: DateTime<Utc>,
}

impl WorkspaceSpec {
    /// A workspace with `members` generated collaborators from `seed`.
    ///
    /// Odd ids use the legacy role model, even ids RBAC v2. The token is
    /// `wrkaus-sim-<id>-<16 random hex digits>`.
    pub fn generated(id: u64, members: usize, seed: u64) -> Self {
        const COMPANIES: [&str; 6] = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Soylent"];
        let company = COMPANIES[((id.wrapping_add(seed)) % COMPANIES.len() as u64) as usize];
        let hex: u64 = rand::rng().random();
        let anchor = Utc::now();
        WorkspaceSpec {
            id,
            name: format!("{company} Sim {id}"),
            plan_id: "oem_plan".to_owned(),
            token: format!("wrkaus-sim-{id}-{hex:016x}"),
            members: Members::Generated { count: members, seed },
            settings: WorkspaceSettings::default(),
            email: format!("api-{id}@workato.com"),
            role_model: if id % 2 == 1 { RoleModel::Legacy } else { RoleModel::RbacV2 },
            anchor: anchor.with_nanosecond(0).unwrap_or(anchor),
        }
    }
}

/// The collaborators of a workspace.
#[derive(Clone, Debug)]
pub enum Members {
    /// Computed on the fly from `(seed, index)`; never materialised.
    Generated { count: usize, seed: u64 },
    /// Exactly these member objects, served as given.
    Explicit(Vec<serde_json::Value>),
}

/// Which role model generated members follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RoleModel {
    /// System/custom privilege groups (`Admin`, `Analyst`, ...), `role_type` `privilege_group` or absent.
    #[default]
    Legacy,
    /// Environment roles (`Environment admin`, ...), `role_type` `environment`.
    RbacV2,
}

/// Endpoints the API client's role may call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientRole {
    /// Workspace details → Get details (`/api/users/me`).
    pub workspace_details: bool,
    /// Workspace collaborators → Get collaborators, and the group's other reads
    /// (`GET /api/members*`).
    pub collaborators: bool,
    /// Workspace collaborators → Get collaborator (`GET /api/members/:id`; also needs
    /// `collaborators`).
    pub get_collaborator: bool,
    /// Workspace collaborators → Update collaborator's roles (`PUT /api/members/:id`).
    pub update_collaborator_roles: bool,
    /// Workspace collaborators → Delete collaborators (`DELETE /api/members/:id`).
    pub delete_collaborators: bool,
}

impl Default for ClientRole {
    fn default() -> Self {
        ClientRole {
            workspace_details: true,
            collaborators: true,
            get_collaborator: true,
            update_collaborator_roles: true,
            delete_collaborators: true,
        }
    }
}

/// How the collaborator writes answer. Each field is an \[INFERRED\] point of the
/// reference; the defaults are its preferred readings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteSettings {
    /// `DELETE /api/members/:id` is in early access: when this is on, the workspace does not
    /// offer it, and it is refused like a missing privilege whatever the client role says.
    pub delete_endpoint_unavailable: bool,
    /// DELETE answers `200 {}` instead of `204`.
    pub delete_answers_200: bool,
    /// `NoAccess` keeps the environment's entry as `role_name: "NoAccess"` instead of
    /// removing it.
    pub no_access_keeps_entry: bool,
    /// PUT answers `{"result":"ok"}` instead of `{"data": <collaborator>}`.
    pub put_answers_result_ok: bool,
    /// `NoAccess` on `dev` is refused with 400.
    pub no_access_on_dev_refused: bool,
}

/// A sliding 60-second window: a request is refused when `per_minute` requests were already
/// accepted in the last 60 seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub per_minute: u32,
    pub retry_after: RetryAfter,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit { per_minute: 60, retry_after: RetryAfter::Seconds }
    }
}

/// What one rate-limit window counts. \[INFERRED\] in the reference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RateLimitScope {
    /// One window per token for all endpoints.
    #[default]
    Token,
    /// One window per token and resource family (workspace details, collaborators, activity logs, other).
    ResourceFamily,
}

/// What the `total` of `/api/activity_logs` counts. \[INFERRED\] in the reference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ActivityTotal {
    /// Every entry matching the filters, across all pages.
    #[default]
    Matching,
    /// The entries on the returned page.
    Page,
}

/// Per-workspace switches. Every \[INFERRED\] point of the reference is one of these.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkspaceSettings {
    /// Endpoints the client role grants.
    pub client_role: ClientRole,
    /// The API client's environment (`dev`, `test`, `prod`). Non-dev clients are refused on
    /// `/api/users/me` and `/api/members*` with `missing_privilege_status`.
    pub environment: String,
    /// Status for a missing privilege or a non-dev client: 401 (default) or 403.
    pub missing_privilege_status: u16,
    /// The activity audit log add-on; without it `/api/activity_logs` answers 403.
    pub audit_log_addon: bool,
    /// `None` disables rate limiting.
    pub rate_limit: Option<RateLimit>,
    /// Window scope of the rate limit.
    pub rate_limit_scope: RateLimitScope,
    /// Added to every response of this workspace.
    pub latency: Duration,
    /// `GET /api/members/:id` returns `{"data":{..}}` instead of the bare object.
    pub wrap_single_member: bool,
    /// `event_type` of login events. \[INFERRED\] as `user_login`.
    pub login_event_type: String,
    /// Key of an activity entry's time. \[INFERRED\] as `timestamp` (alternative `created_at`).
    pub activity_timestamp_key: String,
    /// What `total` counts on `/api/activity_logs`.
    pub activity_total: ActivityTotal,
    /// `message` of 401 responses. \[INFERRED\] as `Unauthorized`.
    pub unauthorized_message: String,
    /// `message` of 404 responses. \[INFERRED\] as `Not found`.
    pub not_found_message: String,
    /// How `PUT` and `DELETE /api/members/:id` answer.
    pub writes: WriteSettings,
}

impl Default for WorkspaceSettings {
    fn default() -> Self {
        WorkspaceSettings {
            client_role: ClientRole::default(),
            environment: "dev".to_owned(),
            missing_privilege_status: 401,
            audit_log_addon: false,
            rate_limit: Some(RateLimit::default()),
            rate_limit_scope: RateLimitScope::default(),
            latency: Duration::ZERO,
            wrap_single_member: false,
            login_event_type: "user_login".to_owned(),
            activity_timestamp_key: "timestamp".to_owned(),
            activity_total: ActivityTotal::default(),
            unauthorized_message: "Unauthorized".to_owned(),
            not_found_message: "Not found".to_owned(),
            writes: WriteSettings::default(),
        }
    }
}
