//! A Microsoft Graph (Entra ID) simulator: an HTTP server that stands in for Microsoft's
//! identity platform and Graph in tests, the demo and benchmarks, built from
//! `connectors/roster-microsoft365/API.md`.
//!
//! One origin serves what the Roster connector calls:
//!
//! * `POST /{tenant}/oauth2/v2.0/token` (client credentials, form body): tokens for a tenant
//!   named by GUID or domain, carrying the app's permissions; the AADSTS refusals 7000215
//!   (bad secret, 401), 700016 (unknown app, 400), 90002 (unknown tenant, 400), 900023,
//!   70011 and 7000218, each with its trace block;
//! * `GET /v1.0/users`: `$select`, `$top` (1 to 999, capped at 500 with `signInActivity` or
//!   refused above a setting), opaque `$skiptoken`s in full-URL `@odata.nextLink`s, and the
//!   403s of `signInActivity` (no Entra ID P1/P2, no AuditLog.Read.All);
//! * `GET /v1.0/users/delta`: rounds ending in an `@odata.deltaLink`, `$deltatoken=latest`,
//!   `@removed` entries, expiring delta tokens (410 `syncStateNotFound` with a `Location`);
//! * `GET /v1.0/organization`, `/v1.0/subscribedSkus`, `/v1.0/directoryRoles` and
//!   `/v1.0/directoryRoles/{id}/members` (users, service principals and groups).
//!
//! Every Graph request needs a live token (401 `InvalidAuthenticationToken` otherwise) and
//! the endpoint's permission (403 `Authorization_RequestDenied`), and draws from a
//! per-tenant request bucket (429 `TooManyRequests` with `Retry-After`, whole or fractional).
//! Everything that is not Microsoft (server, request log, gate, fault vocabulary, budgets)
//! is the simulator kit's; Graph's own faults are the constants in [`faults`]. Behaviour
//! `API.md` marks \[INFERRED\] is a [`TenantSettings`] switch.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use roster_microsoft365_sim::{Simulator, TenantSpec};
//! let sim = Simulator::start().await?;
//! let tenant = sim.add_tenant(TenantSpec::generated(1, 500, 7));
//! println!("{} {} {}", sim.base_url(), tenant.tenant_id(), tenant.client_id());
//! # Ok(()) }
//! ```

mod authed;
mod delta;
mod demo;
mod directory;
mod generate;
mod odata;
mod responses;
mod routes;
mod sim;
mod spec;
mod tenant;
mod token;
mod users;

pub use authed::{Authed, READ_ORGANIZATION, READ_ROLES, READ_USERS, faults};
pub use responses::JSON_CONTENT_TYPE;
pub use roster_sim_kit::{Fault, RequestRecord, RetryAfter, Stats};
pub use sim::{Microsoft, Simulator};
pub use spec::{App, DeltaExpiry, ROSTER_PERMISSIONS, SignInTop, TenantSettings, TenantSpec, Users};
pub use tenant::EntraTenant;
