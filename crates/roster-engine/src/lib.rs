//! Roster's engine: everything the front-ends share, and nothing about how they talk to
//! people.
//!
//! * [`config`]: `roster.toml` and `accounts/*.toml` (with secrets from files and the
//!   environment), every problem naming its file and key;
//! * [`sync`]: one account's sync and many at once, each committed or aborted in the store;
//! * [`schedule`]: the daemon's scheduler (due accounts, leases, backoff, config changes)
//!   and the counters it keeps;
//! * [`form`]: a connector's setup form for react-jsonschema-form;
//! * [`export`]: users as CSV cells, for the CLI and the web UI;
//! * [`exit`]: the process exit codes every front-end returns.
//!
//! The CLI (`roster`), the daemon (`roster-daemon`) and the web UI (`roster-web`) are
//! front-ends over this crate, and none of them imports another.

pub mod actions;
pub mod config;
pub mod exit;
pub mod export;
pub mod form;
pub mod schedule;
pub mod sync;
