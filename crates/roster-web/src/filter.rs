//! Which users the Account page and its CSV show.

use chrono::{DateTime, Duration, Utc};
use roster_store::StoredUser;
use serde::Deserialize;

/// `?show=present|inactive|never|removed|all&days=N`.
#[derive(Debug, Clone, Deserialize)]
pub struct UserFilter {
    #[serde(default)]
    pub show: Show,
    /// For `inactive`: no visit within this many days (or none ever).
    #[serde(default = "default_days")]
    pub days: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Show {
    /// Everyone who still has access.
    #[default]
    Present,
    /// Present users with no visit in `days` days, or none ever.
    Inactive,
    /// Present users with no known visit.
    Never,
    /// Users who lost access.
    Removed,
    All,
}

fn default_days() -> u32 {
    90
}

impl Default for UserFilter {
    fn default() -> Self {
        Self { show: Show::Present, days: default_days() }
    }
}

impl UserFilter {
    pub fn keep(&self, u: &StoredUser, now: DateTime<Utc>) -> bool {
        let present = u.status != "removed";
        match self.show {
            Show::Present => present,
            Show::Inactive => {
                present && u.last_visit_at.is_none_or(|t| t < now - Duration::days(i64::from(self.days)))
            }
            Show::Never => present && u.last_visit_at.is_none(),
            Show::Removed => !present,
            Show::All => true,
        }
    }

    /// The query string that selects this filter again.
    pub fn query(&self) -> String {
        let show = match self.show {
            Show::Present => "present",
            Show::Inactive => "inactive",
            Show::Never => "never",
            Show::Removed => "removed",
            Show::All => "all",
        };
        format!("show={show}&days={}", self.days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(status: &str, days_ago: Option<i64>, now: DateTime<Utc>) -> StoredUser {
        StoredUser {
            account: "a".into(),
            connector: "c".into(),
            id: "1".into(),
            email: None,
            name: None,
            status: status.into(),
            last_visit_at: days_ago.map(|d| now - Duration::days(d)),
            roles: Vec::new(),
            license_types: Vec::new(),
            attributes: Default::default(),
            first_seen_at: now,
            removed_at: None,
        }
    }

    #[test]
    fn each_filter_keeps_its_users() {
        let now = Utc::now();
        let recent = user("active", Some(3), now);
        let stale = user("active", Some(40), now);
        let never = user("invited", None, now);
        let gone = user("removed", Some(1), now);
        let pick = |show, days| {
            let f = UserFilter { show, days };
            [&recent, &stale, &never, &gone].iter().map(|u| f.keep(u, now)).collect::<Vec<_>>()
        };
        assert_eq!(pick(Show::Present, 90), [true, true, true, false]);
        assert_eq!(pick(Show::Inactive, 30), [false, true, true, false]);
        assert_eq!(pick(Show::Never, 30), [false, false, true, false]);
        assert_eq!(pick(Show::Removed, 30), [false, false, false, true]);
        assert_eq!(pick(Show::All, 30), [true, true, true, true]);
    }
}
