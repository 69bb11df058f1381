//! The daemon's scheduler: claims due accounts from the store's schedule within the
//! concurrency limit, syncs them under their leases (the same sync as `roster sync`'s),
//! backs off after failures and follows config changes. [`Status`] is what it reports:
//! its heartbeat and the counters a front-end shows (`roster run` serves them as
//! `/healthz` and `/metrics`).

mod backoff;
mod config_watch;
mod metrics;
mod scheduler;
mod status;
mod table;

pub use metrics::Metrics;
pub use scheduler::Scheduler;
pub use status::{Health, Status};
