//! Process exit codes. README.md documents them.

/// Every account synced (or every check passed) and is ok. An account a
/// manual sync skipped because a runner holds its lease counts as ok here.
pub const OK: u8 = 0;
/// At least one account is degraded or failed; the others still synced.
pub const SOME_FAILED: u8 = 1;
/// Nothing could run: no or invalid config, unreadable store, bad arguments.
pub const CANNOT_RUN: u8 = 2;
/// Stopped by SIGINT (Ctrl-C).
pub const INTERRUPTED: u8 = 130;
/// Stopped by SIGTERM.
pub const TERMINATED: u8 = 143;
