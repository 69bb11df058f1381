//! The simulator kit: everything a vendor simulator needs that is not the vendor.
//!
//! A simulator implements [`Vendor`] (its routes, and who a request is) and [`Tenant`] (its
//! error envelope, its rate-limit answers, its budgets). The kit brings the rest:
//!
//! * [`Sim`]: the server's lifecycle (a free port on loopback, stopped when the last handle
//!   is dropped), the [request log](RequestLog), and `Deref` to the vendor's own handle;
//! * the gate every request passes: the log, authentication, per-tenant [`Stats`], the
//!   tenant's latency, its rate [`Budget`]s, and queued or random [`Fault`]s;
//! * one fault vocabulary ([`Fault`]) with per-route queues (first-N, by method and path
//!   prefix) and random injection, including TCP resets, truncated and aborted bodies;
//! * rate limits ([`Limiter`]): sliding windows, fixed windows, UTC days, per category;
//! * a deterministic RNG ([`Mix`]) and [name pools](names);
//! * a clap CLI for the standalone binary ([`cli`]);
//! * demo registration ([`demo`]), so `roster demo` runs whatever simulators are linked.
//!
//! A simulator then holds only its vendor: endpoints, data, quirks and error shapes.

pub mod cli;
pub mod demo;
mod faults;
mod gate;
mod log;
pub mod names;
#[cfg(feature = "probe")]
pub mod probe;
mod rate;
pub mod respond;
mod rng;
mod server;
mod sim;
mod stats;
mod tenant;

pub use faults::{Fault, RandomFaults, answer};
pub use log::{DEFAULT_REQUEST_LOG_LIMIT, RequestLog, RequestRecord};
pub use rate::{Budget, Limited, Limiter, RetryAfter, Spent, Window, next_utc_midnight_iso};
pub use rng::{Mix, mix64};
pub use sim::{Pass, Sim, Vendor};
pub use stats::Stats;
pub use tenant::{Core, Tenant};

#[doc(hidden)]
pub mod __private {
    pub use inventory;
}
