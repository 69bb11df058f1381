//! What both backends share about merging a run's staged users: the SQL that
//! classifies each staged user, and the counts of one merge.

use crate::types::{CommitSummary, Outcome};

/// The event a staged user causes, given its current row `u` (NULL columns
/// when new). NULL means the user is unchanged (or only its last visit is).
/// Plain SQL that SQLite and Postgres read alike.
pub(crate) const EVENT_KIND: &str = "CASE
    WHEN u.user_id IS NULL THEN 'added'
    WHEN u.removed_at IS NOT NULL AND s.status <> 'removed' THEN 'restored'
    WHEN u.removed_at IS NULL AND s.status = 'removed' THEN 'removed'
    WHEN u.hash <> s.hash THEN 'changed'
END";

/// The assignments that give a `users` row the content of the row being
/// upserted (`excluded`), in SQL that SQLite and Postgres read alike.
pub(crate) const SET_CONTENT: &str = "email = excluded.email,
    name = excluded.name,
    status = excluded.status,
    last_visit_at = excluded.last_visit_at,
    roles = excluded.roles,
    license_types = excluded.license_types,
    attributes = excluded.attributes,
    hash = excluded.hash";

/// The columns of a stored user, in the order each backend reads them into a `StoredUser`.
pub(crate) const USER_COLUMNS: &str = "user_id, email, name, status, last_visit_at, roles, license_types, \
     attributes, first_seen_at, removed_at";

/// What the staged users would do to the current state.
#[derive(Debug, Default)]
pub(crate) struct Merge {
    pub seen: u64,
    /// Staged users that are present (not removed) now.
    pub seen_present: u64,
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
    pub restored: u64,
    /// Staged users whose only difference is their last visit.
    pub visits: u64,
}

impl Merge {
    /// What a commit with these counts reports.
    pub(crate) fn summary(
        &self,
        run_id: i64,
        outcome: Outcome,
        degraded_reason: Option<String>,
        removed: u64,
    ) -> CommitSummary {
        CommitSummary {
            run_id,
            outcome,
            degraded_reason,
            seen: self.seen,
            added: self.added,
            changed: self.changed,
            removed,
            restored: self.restored,
        }
    }

    /// Users that get an event in `user_events`.
    pub(crate) fn events(&self) -> u64 {
        self.added + self.changed + self.removed + self.restored
    }
}
