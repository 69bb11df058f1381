//! Store tests on real files.

mod common;
mod concurrency;
mod crash;
mod failures;
mod guardrails;
mod perf;
mod report;
mod schema;
mod sync;
