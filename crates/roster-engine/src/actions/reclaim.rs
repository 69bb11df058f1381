//! Reclaiming access nobody uses: every user with access (active or invited) whose last
//! visit is older than N days, or who never visited and joined more than N days ago.

use chrono::{DateTime, TimeDelta, Utc};
use roster_store::{AuditEntry, AuditOutcome, Store, StoreError, StoredUser};
use serde::Serialize;

use super::act::{ActError, ActReport, Request, act};
use crate::config::AccountConfig;
use crate::sync::{AccountResult, Progress, SyncOptions, sync_one};
use roster_core::ActionKind;

/// Why a user is in a reclaim plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Why {
    /// Their last visit is older than the cutoff.
    Inactive { last_visit_at: DateTime<Utc> },
    /// They never visited, and joined before the cutoff: `vendor` when the vendor says
    /// when they joined, `first_seen` when only Roster's first sight of them does.
    NeverVisited { joined_at: DateTime<Utc>, joined_from: &'static str },
}

impl Why {
    /// For people: "last visit 2026-01-02 (120 days ago)".
    pub fn describe(&self, now: DateTime<Utc>) -> String {
        let days = |t: DateTime<Utc>| (now - t).num_days();
        match self {
            Why::Inactive { last_visit_at } => {
                format!("last visit {} ({} days ago)", last_visit_at.format("%Y-%m-%d"), days(*last_visit_at))
            }
            Why::NeverVisited { joined_at, joined_from } => format!(
                "never visited; joined {} ({} days ago, {})",
                joined_at.format("%Y-%m-%d"),
                days(*joined_at),
                if *joined_from == "vendor" { "as the vendor says" } else { "first seen by roster" }
            ),
        }
    }
}

/// The vendor attributes that say when a user joined, in the order they are tried.
const JOINED_ATTRIBUTES: [&str; 4] = ["created_at", "user_created_at", "createdDateTime", "creationTime"];

/// Why `u` is inactive for `days` as of `now`, or `None` when it is not (it has no
/// access, or it was seen, or joined, within the days).
pub fn inactive_reason(u: &StoredUser, now: DateTime<Utc>, days: u32) -> Option<Why> {
    if u.status != "active" && u.status != "invited" {
        return None;
    }
    let cutoff = now - TimeDelta::days(i64::from(days));
    match u.last_visit_at {
        Some(t) => (t < cutoff).then_some(Why::Inactive { last_visit_at: t }),
        None => {
            let vendor = JOINED_ATTRIBUTES.iter().find_map(|k| {
                let text = u.attributes.get(*k)?.as_str()?;
                DateTime::parse_from_rfc3339(text).ok().map(|t| t.to_utc())
            });
            let (joined_at, joined_from) = match vendor {
                Some(t) => (t, "vendor"),
                None => (u.first_seen_at, "first_seen"),
            };
            (joined_at < cutoff).then_some(Why::NeverVisited { joined_at, joined_from })
        }
    }
}

/// One user of a reclaim plan.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub account: String,
    pub connector: String,
    pub user_id: String,
    pub email: Option<String>,
    pub last_visit_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub why: Why,
}

/// Every inactive user of `accounts`, in account then id order.
pub async fn candidates(
    store: &Store,
    accounts: &[String],
    now: DateTime<Utc>,
    days: u32,
) -> Result<Vec<Candidate>, StoreError> {
    let found = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = found.clone();
    store
        .for_each_user(accounts, move |u| {
            if let Some(why) = inactive_reason(&u, now, days) {
                let c = Candidate {
                    account: u.account,
                    connector: u.connector,
                    user_id: u.id,
                    email: u.email,
                    last_visit_at: u.last_visit_at,
                    why,
                };
                sink.lock().unwrap_or_else(|e| e.into_inner()).push(c);
            }
        })
        .await?;
    let found = std::mem::take(&mut *found.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(found)
}

/// Audits every user of a plan as refused (a plan over its `--max`, say), with `detail`.
pub async fn refuse_all(
    store: &Store,
    items: &[Candidate],
    action: ActionKind,
    args: &[String],
    actor: &str,
    plan_id: &str,
    detail: &str,
) -> Result<(), StoreError> {
    let args: serde_json::Map<String, serde_json::Value> = args
        .iter()
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), serde_json::Value::from(v.trim())))
        .collect();
    for c in items {
        store
            .audit(AuditEntry {
                at: Utc::now(),
                account: c.account.clone(),
                connector: c.connector.clone(),
                action: action.as_str().to_owned(),
                user_id: c.user_id.clone(),
                email: c.email.clone(),
                args: serde_json::Value::Object(args.clone()),
                before: serde_json::Value::Null,
                after: serde_json::Value::Null,
                outcome: AuditOutcome::Refused,
                detail: detail.to_owned(),
                actor: actor.to_owned(),
                plan_id: plan_id.to_owned(),
            })
            .await?;
    }
    Ok(())
}

/// A reclaim plan applied: one report per user, and one sync per account it wrote to.
#[derive(Debug, Serialize)]
pub struct ReclaimPlan {
    pub reports: Vec<ActReport>,
    pub syncs: Vec<AccountResult>,
}

/// Applies `action` to every candidate like `roster act --apply` (same allow rule,
/// same audit, one plan id), then syncs each account something was written to.
#[allow(clippy::too_many_arguments)]
pub async fn apply_all(
    store: &Store,
    accounts: &[AccountConfig],
    items: &[Candidate],
    action: ActionKind,
    args: &[String],
    actor: &str,
    plan_id: &str,
    sync: &SyncOptions,
) -> Result<ReclaimPlan, ActError> {
    let mut reports = Vec::new();
    for item in items {
        let Some(account) = accounts.iter().find(|a| a.id == item.account) else {
            return Err(ActError::Usage(format!(
                "account `{}` is not in the config directory",
                item.account
            )));
        };
        let req = Request {
            account,
            action,
            user: &item.user_id,
            args,
            apply: true,
            actor,
            plan_id,
            sync_after: None,
        };
        match act(store, &req).await {
            Ok(report) => reports.push(report),
            // One user the action cannot apply to (the workspace owner, say) is refused
            // and audited; the rest of the plan goes on.
            Err(ActError::Usage(detail)) => {
                refuse_all(store, std::slice::from_ref(item), action, args, actor, plan_id, &detail).await?;
                reports.push(ActReport::refused(item, action, plan_id, detail));
            }
            Err(e) => return Err(e),
        }
    }
    let mut syncs = Vec::new();
    for account in accounts {
        let wrote = reports.iter().any(|r| {
            r.account == account.id
                && matches!(
                    r.outcome,
                    Some(roster_store::AuditOutcome::Applied | roster_store::AuditOutcome::Unverified)
                )
        });
        if wrote {
            let (_tx, stop) = tokio::sync::watch::channel(None);
            syncs.push(sync_one(account, store, sync, &Progress::quiet(), stop).await);
        }
    }
    Ok(ReclaimPlan { reports, syncs })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;
    use serde_json::{Map, Value, json};

    use super::*;

    fn user(
        status: &str,
        last: Option<i64>,
        first_seen: i64,
        created: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoredUser {
        let at = |days: i64| now + TimeDelta::days(days);
        let mut attributes = Map::new();
        if let Some(c) = created {
            attributes.insert("created_at".into(), json!(at(c).to_rfc3339()));
        }
        StoredUser {
            account: "a".into(),
            connector: "c".into(),
            id: "u".into(),
            email: None,
            name: None,
            status: status.into(),
            last_visit_at: last.map(at),
            roles: Vec::new(),
            license_types: Vec::new(),
            attributes,
            first_seen_at: at(first_seen),
            removed_at: None,
        }
    }

    proptest! {
        /// It never plans a user seen within N days, nor one without access; and it plans
        /// every user with access whose last visit is older.
        #[test]
        fn never_plans_a_user_seen_within_n_days(
            days in 0u32..400,
            status in prop::sample::select(vec!["active", "invited", "suspended", "removed"]),
            last in prop::option::of(-900i64..2),
            first_seen in -900i64..1,
            created in prop::option::of(-900i64..1),
            hour in 0u32..24,
        ) {
            let now = Utc.with_ymd_and_hms(2026, 12, 6, hour, 0, 0).single().unwrap_or_default();
            let u = user(status, last, first_seen, created, now);
            let cutoff = now - TimeDelta::days(i64::from(days));
            match inactive_reason(&u, now, days) {
                Some(Why::Inactive { last_visit_at }) => {
                    prop_assert!(last_visit_at < cutoff);
                    prop_assert_eq!(u.last_visit_at, Some(last_visit_at));
                }
                Some(Why::NeverVisited { joined_at, .. }) => {
                    prop_assert!(u.last_visit_at.is_none());
                    prop_assert!(joined_at < cutoff);
                }
                None => {
                    let has_access = status == "active" || status == "invited";
                    prop_assert!(!has_access || u.last_visit_at.is_none_or(|t| t >= cutoff));
                }
            }
            if inactive_reason(&u, now, days).is_some() {
                prop_assert!(status == "active" || status == "invited");
            }
        }
    }

    #[test]
    fn the_vendor_join_date_wins_over_first_seen() {
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 0, 0, 0).single().unwrap_or_default();
        // Joined 200 days ago at the vendor, first seen by roster yesterday.
        let u = user("active", None, -1, Some(-200), now);
        assert!(matches!(
            inactive_reason(&u, now, 90),
            Some(Why::NeverVisited { joined_from: "vendor", .. })
        ));
        // Without a vendor date, first seen yesterday is recent.
        let mut u = user("invited", None, -1, None, now);
        assert_eq!(inactive_reason(&u, now, 90), None);
        u.attributes.insert("user_created_at".into(), Value::String("not a date".into()));
        assert_eq!(inactive_reason(&u, now, 90), None);
    }
}
