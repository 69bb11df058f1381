//! What pruning an account removed from the store.

use serde::Serialize;

/// What went with an account: its sync runs (and their totals) and its
/// users, counted, and with them their events and its license types. Audit entries stay: they
/// record what was done to a vendor, whatever becomes of the account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Pruned {
    pub runs: u64,
    pub users: u64,
}
