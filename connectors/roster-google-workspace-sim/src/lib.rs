//! A Google Workspace Admin SDK simulator: an HTTP server that stands in for Google in
//! tests, the demo and benchmarks. One origin serves:
//!
//! * `POST /token`: the JWT bearer grant of a service account. The assertion is verified
//!   for real: its RS256 signature with the public key of the key its `kid` names (a
//!   deleted key or another private key is "Invalid JWT Signature."), `iss`, `aud` (this
//!   endpoint), `iat`/`exp` (at most an hour), every scope against the customer's
//!   domain-wide delegation (`unauthorized_client`), and `sub` (an existing, active user:
//!   `invalid_grant` otherwise);
//! * the Directory API: `GET /admin/directory/v1/users`, `.../customer/{c}/roles` and
//!   `.../roleassignments`, for a subject who is a super admin (403 "Not Authorized to
//!   access this resource/api" otherwise), each needing its scope (403 insufficient
//!   scopes);
//! * the Enterprise License Manager: `GET /apps/licensing/v1/product/{p}/users?customerId=`.
//!
//! Lists page by `maxResults`/`nextPageToken` within each method's range. Rate limits are
//! 403 `rateLimitExceeded` (or `userRateLimitExceeded`, or 429) from a per-customer
//! budget; faults come from the simulator kit (`roster-sim-kit`), Google's own are in
//! [`faults`]. Behaviour the reference marks \[INFERRED\] is a [`CustomerSettings`] switch.
//!
//! Service accounts sign with one of three embedded RSA **test keys** ([`TEST_KEYS`]);
//! [`Customer::key_file`] hands out the whole JSON key file with `token_uri` on the
//! simulator.

mod authed;
mod customer;
mod demo;
mod directory;
mod generate;
mod keys;
mod licensing;
mod paging;
mod responses;
mod routes;
pub mod scopes;
mod sim;
mod spec;
mod token;

pub use authed::{Authed, faults};
pub use customer::{Customer, CustomerData};
pub use generate::NEVER;
pub use keys::TEST_KEYS;
pub use licensing::PRODUCTS;
pub use responses::JSON_CONTENT_TYPE;
pub use roster_sim_kit::{Fault, RequestRecord, RetryAfter, Stats};
pub use sim::{Google, Simulator};
pub use spec::{
    AssigneeType, CustomerSettings, CustomerSpec, RateLimit, RateLimitAnswer, ScopeRefusal, UnownedProduct,
    Users,
};
