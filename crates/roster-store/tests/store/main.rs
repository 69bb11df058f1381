//! Store tests on real files.

#[macro_use]
mod common;
mod audit;
mod concurrency;
mod crash;
mod failures;
mod guardrails;
mod leases;
mod perf;
mod report;
mod schema;
mod sync;
mod tls;
