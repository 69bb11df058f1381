//! A GitHub API simulator: an HTTP server that stands in for GitHub in tests, the demo and
//! benchmarks, in the GitHub Enterprise Server layout on one origin:
//!
//! * REST under `/api/v3`: `GET /orgs/{org}` (the plan for owners),
//!   `/orgs/{org}/outside_collaborators`, `/orgs/{org}/invitations` and
//!   `/orgs/{org}/copilot/billing/seats` (owners only; `page`/`per_page`, `link` headers to
//!   `/organizations/{id}/...`, 50 seats a page by default);
//! * GraphQL at `/api/graphql`: `organization.membersWithRole`,
//!   `organization.samlIdentityProvider.externalIdentities` and `rateLimit`, recognised by
//!   their shape, with cursors, and GitHub's errors in a 200 (NOT_FOUND,
//!   INSUFFICIENT_SCOPES, EXCESSIVE_PAGINATION, ...).
//!
//! Requests need a `User-Agent` and a known token (401 "Bad credentials"). Tokens are an
//! owner's or a member's, with classic scopes. Both tiers of rate limits: primary budgets
//! per resource in fixed windows with `x-ratelimit-*` headers (REST 403/429, GraphQL a 200
//! with `RATE_LIMITED` or `RATE_LIMIT`), and a secondary limit (403/429, `retry-after` or
//! not). Organizations with or without SAML and Copilot; invitations by email only.
//!
//! Behaviour the connector's `API.md` marks \[INFERRED\] is an [`OrgSettings`] switch.
//! Everything that is not GitHub is the simulator kit's (`roster-sim-kit`); GitHub's own
//! faults are the constants in [`faults`].
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use roster_github_sim::{OrgSpec, Simulator};
//! let sim = Simulator::start().await?;
//! let org = sim.add_org(OrgSpec::generated(1, 500, 7));
//! println!("{} {} {}", sim.api_url(), org.login(), org.token(true));
//! # Ok(()) }
//! ```

mod authed;
mod demo;
mod generate;
mod graphql;
mod org;
mod rest;
mod sim;
mod spec;

pub use authed::{Authed, faults};
pub use generate::Data;
pub use org::Org;
pub use roster_sim_kit::{Fault, RequestRecord, RetryAfter, Stats};
pub use sim::{GitHub, Simulator};
pub use spec::{OrgSettings, OrgSpec, PrimaryLimits, SecondaryLimit, TokenSpec};
