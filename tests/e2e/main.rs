//! End-to-end tests of the `roster` binary against the in-process Workato
//! simulator (and, in `mixed`, the Zoom simulator beside it). Each test starts
//! its own simulator and config dir, runs the binary as a child process and
//! reads the store back through `roster users` and `roster report`.

mod actions;
mod atomicity;
mod check;
mod connectors;
#[cfg(unix)]
mod crash;
#[cfg(unix)]
mod daemon;
mod exit_codes;
mod faults;
mod formats;
mod isolation;
mod mixed;
mod partial_failure;
#[cfg(unix)]
mod postgres;
mod rate_limits;
mod removals;
mod scale;
mod secrets;
mod shrink;
mod support;
mod validation;
