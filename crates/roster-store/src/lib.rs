//! The store: atomic snapshots of each account's users, users that
//! disappeared marked removed, sync history, connector state, and the
//! schedule that shares accounts between runners.
//!
//! Everything outside this crate sees plain Rust types; which engine keeps
//! them stays inside. [`Store::open`] picks it from the location: a
//! `postgres://` (or `postgresql://`) URL selects Postgres, anything else is
//! the path of a SQLite file. Both give the same guarantees, checked by one
//! conformance suite.
//!
//! A sync is [`Store::begin`], any number of [`SyncWriter::users`] batches,
//! then [`SyncWriter::finish`] (one atomic commit) or [`SyncWriter::abort`]
//! (nothing changes but the history). A crashed sync leaves nothing visible;
//! its run is recorded as interrupted once the store sees its process gone.
//!
//! Runners share accounts through leases: [`Store::claim_due`] hands each
//! due account to one runner at a time, [`Store::renew`] keeps it while the
//! sync runs, and a sync begun with [`Store::begin_leased`] commits only
//! while its lease is still the account's current one (ARCHITECTURE.md
//! explains the protocol). A manual sync takes its accounts with
//! [`Store::claim_now`] and skips those a runner holds.
//!
//! Test-only hook: when the environment variable
//! `ROSTER_TEST_PAUSE_BEFORE_COMMIT_MS` is set to a number of milliseconds,
//! the store sleeps that long inside a transaction that commits a sync, just
//! before COMMIT, so that a test can kill the process at that moment. It is
//! read once, when the store is opened. Never set it in production.

mod audit;
mod codec;
mod error;
mod guardrail;
mod history;
mod merge;
mod pg;
mod prune;
mod query;
mod rows;
mod sqlite;
mod sync_writer;
mod types;
mod user_row;

use std::time::Duration;

use chrono::{DateTime, Utc};

pub use audit::{AuditEntry, AuditOutcome};
pub use error::StoreError;
pub use history::{HistoryPoint, RunEvent};
pub use prune::Pruned;
pub use query::{Presence, SortColumn, UserPage, UserQuery, Visits};
pub use sync_writer::SyncWriter;
pub use types::{
    AccountReport, AccountSummary, CommitSummary, Ended, FailedRun, Failure, Held, InactiveCounts, LastSync,
    Lease, LeaseKind, Outcome, Reschedule, ShrinkPolicy, StatusCounts, StoredUser, SyncFinish, SyncRun,
    UserEvent, UserEventKind,
};
pub use user_row::UserRow;

use error::Result;
use pg::PgStore;
use sqlite::SqliteStore;

/// Test-only hook: when set to a number of milliseconds, the store sleeps
/// that long inside a transaction that commits a sync, just before COMMIT,
/// so that a test can kill the process at the commit moment.
pub const PAUSE_BEFORE_COMMIT_ENV: &str = "ROSTER_TEST_PAUSE_BEFORE_COMMIT_MS";

/// A handle to an open store. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
}

#[derive(Clone, Debug)]
enum Backend {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

fn check_outcome(outcome: Outcome) -> Result<()> {
    if outcome.is_success() {
        return Err(StoreError::Invalid(format!(
            "a failed sync must have outcome failed or interrupted, not {outcome}"
        )));
    }
    Ok(())
}

impl Store {
    /// Opens the store at `location`: a `postgres://` URL, or the path of a
    /// SQLite file (created with its directory if needed). Brings the schema
    /// up to date, refusing one newer than this build knows, and marks syncs
    /// left unfinished by a process that died as interrupted.
    pub async fn open(location: &str) -> Result<Store, StoreError> {
        let backend = if pg::is_url(location) {
            Backend::Postgres(PgStore::open(location).await?)
        } else {
            Backend::Sqlite(SqliteStore::open(location).await?)
        };
        Ok(Store { backend })
    }

    /// Where the store is, for messages: the file path, or the URL without its password.
    pub fn location(&self) -> String {
        match &self.backend {
            Backend::Sqlite(s) => s.path().display().to_string(),
            Backend::Postgres(p) => p.shown().to_owned(),
        }
    }

    /// Whether several runners may share this store (Postgres), or one
    /// process owns it (SQLite).
    pub fn is_shared(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// Starts a sync of `account` with `connector`, at the current time.
    pub async fn begin(&self, account: &str, connector: &str) -> Result<SyncWriter, StoreError> {
        self.begin_with(account, connector, None).await
    }

    /// Starts a sync of a leased account. It commits only while `lease` is
    /// the account's current lease, and its end reschedules the account by
    /// `plan` in the same transaction.
    pub async fn begin_leased(
        &self,
        connector: &str,
        lease: Lease,
        plan: Reschedule,
    ) -> Result<SyncWriter, StoreError> {
        let account = lease.account.clone();
        self.begin_with(&account, connector, Some((lease, plan))).await
    }

    async fn begin_with(
        &self,
        account: &str,
        connector: &str,
        lease: Option<(Lease, Reschedule)>,
    ) -> Result<SyncWriter, StoreError> {
        if account.is_empty() {
            return Err(StoreError::Invalid("the account name is empty; give every account a name".into()));
        }
        let held = lease.as_ref().map(|(l, _)| l);
        let run_id = match &self.backend {
            Backend::Sqlite(s) => s.begin(account, connector, held).await?,
            Backend::Postgres(p) => p.begin(account, connector, held).await?,
        };
        Ok(SyncWriter::new(self.clone(), run_id, lease))
    }

    /// The connector state stored by the latest successful (ok or degraded)
    /// sync of `account`.
    pub async fn previous_state(&self, account: &str) -> Result<Option<serde_json::Value>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.previous_state(account).await,
            Backend::Postgres(p) => p.previous_state(account).await,
        }
    }

    /// Records a sync that failed before it could begin, such as one with a
    /// configuration error.
    pub async fn record_failure(&self, run: FailedRun) -> Result<(), StoreError> {
        check_outcome(run.outcome)?;
        match &self.backend {
            Backend::Sqlite(s) => s.record_failure(run).await,
            Backend::Postgres(p) => p.record_failure(&run).await,
        }
    }

    /// Calls `f` with every current user of `accounts` (of every account when
    /// empty), removed users included, ordered by account then user id. The
    /// users are read one at a time from a single snapshot.
    pub async fn for_each_user(
        &self,
        accounts: &[String],
        mut f: impl FnMut(StoredUser) + Send + 'static,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.for_each_user(accounts, f).await,
            Backend::Postgres(p) => p.for_each_user(accounts, &mut f).await,
        }
    }

    /// One page of the users `query` selects, and how many it selects in
    /// all, from a single snapshot. The database filters and sorts; only the
    /// page's rows are read out.
    pub async fn user_page(&self, query: &UserQuery) -> Result<UserPage, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.user_page(query.clone()).await,
            Backend::Postgres(p) => p.user_page(query).await,
        }
    }

    /// Calls `f` with each user `query` selects, in its order, one at a
    /// time from a single snapshot.
    pub async fn for_each_matching_user(
        &self,
        query: &UserQuery,
        mut f: impl FnMut(StoredUser) + Send + 'static,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.for_each_matching_user(query.clone(), f).await,
            Backend::Postgres(p) => p.for_each_matching_user(query, &mut f).await,
        }
    }

    /// Removes everything the store holds of `account` but its audit
    /// entries: its syncs, users, events and license types (and, on
    /// Postgres, its place on the schedule). Refused while a sync of the
    /// account is open or a runner holds its lease.
    pub async fn prune(&self, account: &str) -> Result<Pruned, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.prune(account).await,
            Backend::Postgres(p) => p.prune(account).await,
        }
    }

    /// The totals (users by status, licenses assigned and their totals)
    /// after each of the latest `limit` committed syncs of `account`,
    /// oldest first. Syncs committed before the store kept totals (schema
    /// version 4) have none.
    pub async fn history_points(&self, account: &str, limit: usize) -> Result<Vec<HistoryPoint>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.history_points(account, limit).await,
            Backend::Postgres(p) => p.history_points(account, limit).await,
        }
    }

    /// The users run `run_id` of `account` added, changed, removed or
    /// restored: at most `limit` of them, by kind then email, and how many
    /// in all.
    pub async fn run_events(
        &self,
        account: &str,
        run_id: i64,
        limit: usize,
    ) -> Result<(Vec<RunEvent>, u64), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.run_events(account, run_id, limit).await,
            Backend::Postgres(p) => p.run_events(account, run_id, limit).await,
        }
    }

    /// As [`Store::for_each_user`], with each user as the columns of its row
    /// ([`UserRow`]), for exports that write them out without decoding them.
    /// Stops at the first error `f` returns, and returns it.
    pub async fn for_each_user_row(
        &self,
        accounts: &[String],
        mut f: impl FnMut(&UserRow<'_>) -> Result<(), StoreError> + Send + 'static,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.for_each_user_row(accounts, f).await,
            Backend::Postgres(p) => {
                // Its rows are decoded anyway: each is lent re-encoded, and
                // the first error is kept for after the stream.
                let mut failed = None;
                p.for_each_user(accounts, &mut |u| {
                    if failed.is_none()
                        && let Err(e) = user_row::OwnedUserRow::encode(u).and_then(|o| f(&o.row()))
                    {
                        failed = Some(e);
                    }
                })
                .await?;
                failed.map_or(Ok(()), Err)
            }
        }
    }

    /// Records an action applied or refused. Audit entries are never deleted by a sync.
    pub async fn audit(&self, entry: AuditEntry) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.audit(entry).await,
            Backend::Postgres(p) => p.audit(&entry).await,
        }
    }

    /// The audit trail of `accounts` (of every account when empty), oldest first.
    pub async fn audit_entries(&self, accounts: &[String]) -> Result<Vec<AuditEntry>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.audit_entries(accounts).await,
            Backend::Postgres(p) => p.audit_entries(accounts).await,
        }
    }

    /// One account as [`Store::accounts`] lists it; `None` when it was never
    /// synced (or attempted).
    pub async fn account_summary(&self, account: &str) -> Result<Option<AccountSummary>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.account_summary(account).await,
            Backend::Postgres(p) => p.account_summary(account).await,
        }
    }

    /// Every account ever synced (or attempted), by name.
    pub async fn accounts(&self) -> Result<Vec<AccountSummary>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.accounts().await,
            Backend::Postgres(p) => p.accounts().await,
        }
    }

    /// The latest `limit` finished runs of `account`, newest first. Runs in
    /// progress are not listed.
    pub async fn history(&self, account: &str, limit: usize) -> Result<Vec<SyncRun>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.history(account, limit).await,
            Backend::Postgres(p) => p.history(account, limit).await,
        }
    }

    /// The numbers of `account` as of `now`: users by status, recent
    /// activity, users inactive for `inactive_days`, roles, licenses and the
    /// latest sync.
    pub async fn report(
        &self,
        account: &str,
        now: DateTime<Utc>,
        inactive_days: u32,
    ) -> Result<AccountReport, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.report(account, now, inactive_days).await,
            Backend::Postgres(p) => p.report(account, now, inactive_days).await,
        }
    }

    /// What committed runs did to one user, oldest first.
    pub async fn user_events(&self, account: &str, user_id: &str) -> Result<Vec<UserEvent>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.user_events(account, user_id).await,
            Backend::Postgres(p) => p.user_events(account, user_id).await,
        }
    }

    /// Puts accounts on the schedule, first due at the given times. Accounts
    /// already scheduled keep their place.
    pub async fn schedule(&self, accounts: &[(String, DateTime<Utc>)]) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => {
                s.schedule(accounts);
                Ok(())
            }
            Backend::Postgres(p) => p.schedule(accounts).await,
        }
    }

    /// Makes a scheduled account due now and forgets its failures (its
    /// configuration changed).
    pub async fn make_due(&self, account: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => {
                s.make_due(account);
                Ok(())
            }
            Backend::Postgres(p) => p.make_due(account).await,
        }
    }

    /// Claims up to `limit` of the accounts `among` that are due and not
    /// leased by a live runner, for `owner`, for `lease_for`. No account is
    /// ever leased to two runners at once.
    pub async fn claim_due(
        &self,
        owner: &str,
        among: &[String],
        limit: usize,
        lease_for: Duration,
    ) -> Result<Vec<Lease>, StoreError> {
        if limit == 0 || among.is_empty() {
            return Ok(Vec::new());
        }
        match &self.backend {
            Backend::Sqlite(s) => Ok(s.claim(owner, among, limit, lease_for)),
            Backend::Postgres(p) => p.claim(owner, among, limit, lease_for).await,
        }
    }

    /// Takes `accounts` now, for a manual sync by `owner`, for `lease_for`,
    /// whether they are due or not: every account but those whose lease a
    /// live runner holds, which come back as [`Held`]. Waits for a claim or
    /// commit of another runner in flight rather than skipping its account.
    /// The leases are [`LeaseKind::Manual`]: their end leaves the account's
    /// next due time and failure count as they were.
    pub async fn claim_now(
        &self,
        owner: &str,
        accounts: &[String],
        lease_for: Duration,
    ) -> Result<(Vec<Lease>, Vec<Held>), StoreError> {
        if accounts.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        match &self.backend {
            Backend::Sqlite(s) => Ok(s.claim_now(owner, accounts, lease_for)),
            Backend::Postgres(p) => p.claim_now(owner, accounts, lease_for).await,
        }
    }

    /// Extends `leases` by `lease_for` from now; returns the accounts whose
    /// lease was lost (it expired and another runner claimed the account).
    pub async fn renew(&self, leases: &[Lease], lease_for: Duration) -> Result<Vec<String>, StoreError> {
        if leases.is_empty() {
            return Ok(Vec::new());
        }
        match &self.backend {
            Backend::Sqlite(s) => Ok(s.renew(leases, lease_for)),
            Backend::Postgres(p) => p.renew(leases, lease_for).await,
        }
    }

    /// Releases a lease whose sync never began (a broken account file, a
    /// crashed task), rescheduling the account by how it ended.
    pub async fn release(&self, lease: &Lease, plan: &Reschedule, ended: Ended) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => {
                s.release(lease, plan, ended);
                Ok(())
            }
            Backend::Postgres(p) => p.release(lease, plan, ended).await,
        }
    }

    pub(crate) fn backend(&self) -> &Backend {
        &self.backend
    }
}
