//! A Zoom REST API (v2) simulator: an HTTP server that stands in for Zoom in tests, the demo
//! and benchmarks.
//!
//! One origin serves what the Roster connector calls:
//!
//! * `POST /oauth/token?grant_type=account_credentials&account_id=...` with HTTP Basic
//!   `client_id:client_secret` (parameters also accepted in a form body): tokens with a
//!   configurable lifetime and the app's scopes; OAuth errors as `{"reason","error"}`;
//! * `GET /v2/users?status=&page_size=&next_page_token=&role_id=`: cursor paging with tokens
//!   bound to their query and expiring, `""` on the last page, and switchable edge cases
//!   (empty pages, a trailing empty page, an absent last token);
//! * `GET /v2/roles` and `GET /v2/accounts/{me|id}/plans/usage`;
//! * one user by id or email, `GET /v2/users/{userId}` (with `role_name`), and the writes of
//!   Roster's actions: `PUT /v2/users/{userId}/status` (deactivate, activate), `PATCH
//!   /v2/users/{userId}` (the license `type`, within the seats bought), `DELETE
//!   /v2/users/{userId}?action=disassociate|delete`, `POST /v2/roles/{roleId}/members` and
//!   `DELETE /v2/roles/{roleId}/members/{memberId}`, with Zoom's refusals (admins keep their
//!   status: code 200; no free seat: code 200; Owner and Member take no members: code 300;
//!   unknown role: 1034; unknown user: 404 code 1001; an invitation: 1120; a managed domain:
//!   1107). Every write shows at once in the listings, `total_members` and plan usage.
//!
//! API requests need a live bearer token (401 code 124 otherwise: "Invalid access token." or
//! "Access token is expired."), the endpoint's scope (400 code 4711 naming the scopes), and
//! room in the per-label, per-second rate limit (429 with `X-RateLimit-*` headers). Faults are
//! injected per account and path prefix: 5xx, HTML errors, every 429 variant, truncated
//! bodies, delays, token and page-token refusals.
//!
//! Generated users are deterministic from `(seed, index)`: unicode names, every status,
//! type and role, pending users without ids, null, empty and absent `last_login_time`s.
//!
//! Behaviour the reference marks \[INFERRED\] is a [`ZoomAccountSettings`] switch (those of
//! the writes in [`WriteSettings`]). New apps get the sync's scopes and the actions' (see
//! [`scopes`]). Everything
//! that is not Zoom (server, request log, gate, fault vocabulary, budgets) is the simulator
//! kit's (`roster-sim-kit`); Zoom's own faults are the constants in [`faults`].
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use roster_zoom_sim::{Simulator, ZoomAccountSpec};
//! let sim = Simulator::start().await?;
//! let account = sim.add_zoom_account(ZoomAccountSpec::generated(1, 500, 7));
//! println!("{} {} {}", sim.base_url(), account.account_id(), account.client_id());
//! # Ok(()) }
//! ```

mod authed;
mod demo;
mod generate;
mod handlers;
mod oauth;
mod one_user;
mod paging;
mod pools;
mod rate_limit;
mod responses;
mod role_members;
mod routes;
pub mod scopes;
mod sim;
mod spec;
mod timefmt;
mod zoom_account;

pub use authed::{Authed, faults};
pub use rate_limit::Category;
pub use responses::JSON_CONTENT_TYPE;
pub use roster_sim_kit::{Fault, RequestRecord, RetryAfter, Stats};
pub use sim::{Simulator, Zoom};
pub use spec::{
    LastPageToken, Paging, Plan, RateLimits, Users, WriteSettings, ZoomAccountSettings, ZoomAccountSpec,
};
pub use zoom_account::ZoomAccount;
