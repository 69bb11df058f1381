//! A faithful Workato Developer API simulator: an HTTP server that stands in for Workato in
//! tests, the demo and benchmarks.
//!
//! It serves `GET /api/users/me`, `GET /api/members[?email=]`, `GET /api/members/:id`,
//! `GET /api/members/:id/privileges` and `GET /api/activity_logs` with Bearer auth, the
//! documented shapes and quirks, a sliding-window rate limit and injectable faults,
//! on the simulator kit (`roster-sim-kit`), which holds everything that is not Workato.
//!
//! It also serves the collaborator writes of Roster's actions, each behind its client-role
//! privilege ([`ClientRole`]): `PUT /api/members/:id` with `env_roles` (only the named
//! environments change; `NoAccess` takes one away; legacy workspaces take privilege groups,
//! RBAC v2 ones `role_type: environment` only; 400 `Role X not found`, `Environment X not
//! found`) and `DELETE /api/members/:id` (a hard delete; the owner is refused). Reads show
//! every write at once.
//!
//! Behaviour the reference marks \[INFERRED\] is a [`WorkspaceSettings`] switch: the 401-vs-403
//! status for a missing privilege, the 401/404 message texts, the single-member wrapping, the
//! login `event_type` (`user_login`), the activity time key (`timestamp`), what the activity
//! `total` counts (all matching entries), the rate-limit scope (per token) and `Retry-After`;
//! and, for the writes ([`WriteSettings`]), whether DELETE is offered (early access) and
//! answers 204 or 200, whether PUT answers `{"data"}` or `{"result":"ok"}`, whether
//! `NoAccess` keeps an entry, and whether it is refused on DEV.
//!
//! [`Workspace`] dereferences to the kit's `Core` for faults (`push_fault`, the shared
//! [`Fault`] vocabulary), rate-limit resets and [`Stats`].
//!
//! Generated data is deterministic from `(seed, index)` and is computed on the fly: member
//! `i` has id `1000 + i`, and its `last_activity_log` is its latest event in the generated
//! activity log (events in the 120 days before [`WorkspaceSpec::anchor`]).
//!
//! The server runs on the caller's tokio runtime; do not block that runtime's threads while
//! talking to it.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use roster_workato_sim::{Simulator, WorkspaceSpec};
//! let sim = Simulator::start().await?;
//! let ws = sim.add_workspace(WorkspaceSpec::generated(1, 500, 7));
//! println!("{} {}", sim.base_url(), ws.token());
//! # Ok(()) }
//! ```

mod activity;
mod body;
mod demo;
mod env_roles;
mod events;
mod handlers;
mod members;
mod pools;
mod privileges;
mod responses;
mod routes;
mod sim;
mod spec;
mod store;
mod timefmt;
mod workspace;
mod workspace_log;
mod writes;

pub use activity::MAX_PAGE_SIZE;
pub use body::CHUNK_MEMBERS;
pub use events::MAX_GENERATED_MEMBERS;
pub use members::FIRST_MEMBER_ID;
pub use responses::JSON_CONTENT_TYPE;
pub use roster_sim_kit::{Fault, RequestRecord, RetryAfter, Stats};
pub use sim::{Simulator, Workato};
pub use spec::{
    ActivityTotal, ClientRole, Members, RateLimit, RateLimitScope, RoleModel, WorkspaceSettings,
    WorkspaceSpec, WriteSettings,
};
pub use workspace::{RATE_LIMIT_WINDOW, Workspace};
