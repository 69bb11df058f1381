//! Store tests on real files.

#[macro_use]
mod common;
mod audit;
mod concurrency;
mod crash;
mod failures;
mod guardrails;
mod history;
mod leases;
mod pages;
mod perf;
mod report;
mod schema;
mod sync;
mod tls;
