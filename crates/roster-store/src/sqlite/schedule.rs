//! The schedule of a SQLite store: in memory, since one process owns a
//! SQLite store. The same claims, renewals, fences and reschedules as the
//! Postgres `schedule` table, so the daemon has one code path.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use crate::error::{Result, StoreError};
use crate::types::{Ended, Held, Lease, LeaseKind, Reschedule};

#[derive(Debug, Clone)]
struct Row {
    next_due: DateTime<Utc>,
    failures: u32,
    owner: Option<String>,
    epoch: i64,
    expires: DateTime<Utc>,
    claimed: DateTime<Utc>,
}

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

#[derive(Debug, Default)]
pub(crate) struct Schedule {
    rows: BTreeMap<String, Row>,
}

impl Schedule {
    /// Adds accounts not scheduled yet, first due at the given times.
    pub(crate) fn schedule(&mut self, accounts: &[(String, DateTime<Utc>)]) {
        for (account, due) in accounts {
            self.rows.entry(account.clone()).or_insert(Row {
                next_due: *due,
                failures: 0,
                owner: None,
                epoch: 0,
                expires: *due,
                claimed: *due,
            });
        }
    }

    /// Makes an account due now, its failures forgotten.
    pub(crate) fn make_due(&mut self, account: &str, now: DateTime<Utc>) {
        if let Some(r) = self.rows.get_mut(account) {
            r.next_due = now;
            r.failures = 0;
        }
    }

    /// Claims up to `limit` due accounts among `among`, the longest overdue first.
    pub(crate) fn claim(
        &mut self,
        owner: &str,
        among: &[String],
        limit: usize,
        lease_for: Duration,
        now: DateTime<Utc>,
    ) -> Vec<Lease> {
        let mut due: Vec<(DateTime<Utc>, &String)> = among
            .iter()
            .filter_map(|a| self.rows.get(a).map(|r| (r, a)))
            .filter(|(r, _)| r.next_due <= now && (r.owner.is_none() || r.expires < now))
            .map(|(r, a)| (r.next_due, a))
            .collect();
        due.sort();
        let picked: Vec<String> = due.into_iter().take(limit).map(|(_, a)| a.clone()).collect();
        picked
            .into_iter()
            .filter_map(|account| {
                let r = self.rows.get_mut(&account)?;
                r.owner = Some(owner.to_owned());
                r.epoch += 1;
                r.expires = now + delta(lease_for);
                r.claimed = now;
                Some(Lease {
                    account,
                    owner: owner.to_owned(),
                    epoch: r.epoch,
                    failures: r.failures,
                    kind: LeaseKind::Scheduled,
                })
            })
            .collect()
    }

    /// Takes `accounts` for a manual sync, due or not, except those a live
    /// lease of another runner holds. An account not scheduled yet is added,
    /// due now.
    pub(crate) fn claim_now(
        &mut self,
        owner: &str,
        accounts: &[String],
        lease_for: Duration,
        now: DateTime<Utc>,
    ) -> (Vec<Lease>, Vec<Held>) {
        let (mut leases, mut held) = (Vec::new(), Vec::new());
        for account in accounts {
            let r = self.rows.entry(account.clone()).or_insert(Row {
                next_due: now,
                failures: 0,
                owner: None,
                epoch: 0,
                expires: now,
                claimed: now,
            });
            match &r.owner {
                Some(o) if o != owner && r.expires >= now => {
                    held.push(Held { account: account.clone(), owner: o.clone(), until: r.expires });
                }
                _ => {
                    r.owner = Some(owner.to_owned());
                    r.epoch += 1;
                    r.expires = now + delta(lease_for);
                    r.claimed = now;
                    leases.push(Lease {
                        account: account.clone(),
                        owner: owner.to_owned(),
                        epoch: r.epoch,
                        failures: r.failures,
                        kind: LeaseKind::Manual,
                    });
                }
            }
        }
        (leases, held)
    }

    fn held(&mut self, lease: &Lease) -> Option<&mut Row> {
        self.rows
            .get_mut(&lease.account)
            .filter(|r| r.epoch == lease.epoch && r.owner.as_deref() == Some(lease.owner.as_str()))
    }

    /// Extends leases; returns the accounts whose lease was lost.
    pub(crate) fn renew(&mut self, leases: &[Lease], lease_for: Duration, now: DateTime<Utc>) -> Vec<String> {
        let mut lost = Vec::new();
        for l in leases {
            match self.held(l) {
                Some(r) => r.expires = now + delta(lease_for),
                None => lost.push(l.account.clone()),
            }
        }
        lost
    }

    /// Fails unless `lease` is still the account's current lease.
    pub(crate) fn check(&mut self, lease: &Lease) -> Result<()> {
        self.held(lease).map(|_| ()).ok_or_else(|| StoreError::LeaseLost(lease.account.clone()))
    }

    /// Releases the lease and sets when the account is next due.
    pub(crate) fn reschedule(&mut self, lease: &Lease, plan: &Reschedule, ended: Ended, now: DateTime<Utc>) {
        let Some(r) = self.held(lease) else {
            return;
        };
        if lease.kind == LeaseKind::Manual {
            r.owner = None;
            return;
        }
        match ended {
            Ended::Committed => {
                r.next_due = r.claimed + delta(plan.interval);
                r.failures = 0;
            }
            Ended::Failed => {
                r.next_due = now + delta(plan.backoff);
                r.failures = r.failures.saturating_add(1);
            }
            Ended::Interrupted => r.next_due = now,
        }
        r.owner = None;
    }
}

impl super::SqliteStore {
    pub(crate) fn claim_now(
        &self,
        owner: &str,
        accounts: &[String],
        lease_for: Duration,
    ) -> (Vec<Lease>, Vec<Held>) {
        self.with_schedule(|s| s.claim_now(owner, accounts, lease_for, Utc::now()))
    }
}
