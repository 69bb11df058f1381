//! Which users the Account page and its CSV show: the query string
//! (`?show=…&days=…&q=…&status=…&role=…&license=…&sort=…&dir=…&page=…&per=…`)
//! and the store query it becomes.

use chrono::{DateTime, Duration, Utc};
use roster_store::{Presence, SortColumn, UserQuery, Visits};
use serde::Deserialize;

/// Rows per page when the query string names none.
pub const DEFAULT_PER_PAGE: u64 = 50;
/// The page sizes offered.
pub const PER_PAGE_CHOICES: [u64; 4] = [25, 50, 100, 200];
/// The largest page size accepted.
const MAX_PER_PAGE: u64 = 500;

/// The users view's query string. Unknown or empty values fall back to the
/// defaults, so a hand-edited URL still shows a page.
#[derive(Debug, Clone, Deserialize)]
pub struct UserFilter {
    #[serde(default)]
    pub show: Show,
    /// For `inactive`: no visit within this many days (or none ever).
    #[serde(default = "default_days")]
    pub days: u32,
    /// A part of the email or the name.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub license: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub dir: String,
    /// 1-based.
    #[serde(default)]
    pub page: Option<u64>,
    #[serde(default)]
    pub per: Option<u64>,
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

impl Show {
    pub const ALL: [Show; 5] = [Show::Present, Show::Inactive, Show::Never, Show::Removed, Show::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Show::Present => "present",
            Show::Inactive => "inactive",
            Show::Never => "never",
            Show::Removed => "removed",
            Show::All => "all",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Show::Present => "users with access",
            Show::Inactive => "inactive users",
            Show::Never => "users who never visited",
            Show::Removed => "removed users",
            Show::All => "everyone",
        }
    }
}

fn default_days() -> u32 {
    90
}

impl Default for UserFilter {
    fn default() -> Self {
        Self {
            show: Show::Present,
            days: default_days(),
            q: String::new(),
            status: String::new(),
            role: String::new(),
            license: String::new(),
            sort: String::new(),
            dir: String::new(),
            page: None,
            per: None,
        }
    }
}

fn given(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl UserFilter {
    pub fn sort_column(&self) -> SortColumn {
        SortColumn::parse(&self.sort).unwrap_or(SortColumn::Email)
    }

    pub fn descending(&self) -> bool {
        self.dir == "desc"
    }

    pub fn per_page(&self) -> u64 {
        self.per.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE)
    }

    /// The 1-based page asked for.
    pub fn page_number(&self) -> u64 {
        self.page.unwrap_or(1).max(1)
    }

    /// Every user the filter selects, in its order (the CSV).
    pub fn selection(&self, account: &str, now: DateTime<Utc>) -> UserQuery {
        let (presence, visits) = match self.show {
            Show::Present => (Presence::Present, Visits::Any),
            Show::Inactive => {
                (Presence::Present, Visits::NoneSince(now - Duration::days(i64::from(self.days))))
            }
            Show::Never => (Presence::Present, Visits::Never),
            Show::Removed => (Presence::Removed, Visits::Any),
            Show::All => (Presence::All, Visits::Any),
        };
        UserQuery {
            presence,
            visits,
            search: given(&self.q),
            status: given(&self.status),
            role: given(&self.role),
            license: given(&self.license),
            sort: self.sort_column(),
            descending: self.descending(),
            ..UserQuery::new(account)
        }
    }

    /// The page of the selection this filter asks for.
    pub fn page_query(&self, account: &str, now: DateTime<Utc>) -> UserQuery {
        let per = self.per_page();
        UserQuery {
            offset: (self.page_number() - 1).saturating_mul(per),
            limit: per,
            ..self.selection(account, now)
        }
    }

    /// The query string of this filter (without its page), for links that
    /// keep it: the CSV, the sort headers and the pager.
    pub fn query(&self) -> String {
        let mut pairs: Vec<(&str, String)> =
            vec![("show", self.show.as_str().to_owned()), ("days", self.days.to_string())];
        for (key, value) in
            [("q", &self.q), ("status", &self.status), ("role", &self.role), ("license", &self.license)]
        {
            if let Some(v) = given(value) {
                pairs.push((key, v));
            }
        }
        pairs.push(("sort", self.sort_column().as_str().to_owned()));
        pairs.push(("dir", if self.descending() { "desc" } else { "asc" }.to_owned()));
        if self.per.is_some() {
            pairs.push(("per", self.per_page().to_string()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", super::act_view::url_component(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The same filter sorted by `column`: the other way round when it is
    /// already sorted by it, from the first page.
    pub fn sorted_by(&self, column: SortColumn) -> UserFilter {
        let dir = if self.sort_column() == column && !self.descending() { "desc" } else { "asc" };
        UserFilter { sort: column.as_str().to_owned(), dir: dir.to_owned(), page: None, ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_view_becomes_its_store_query() {
        let now = Utc::now();
        let q = |show| UserFilter { show, days: 30, ..Default::default() }.selection("a", now);
        assert_eq!((q(Show::Present).presence, q(Show::Present).visits), (Presence::Present, Visits::Any));
        assert_eq!(q(Show::Inactive).visits, Visits::NoneSince(now - Duration::days(30)));
        assert_eq!(q(Show::Never).visits, Visits::Never);
        assert_eq!(q(Show::Removed).presence, Presence::Removed);
        assert_eq!(q(Show::All).presence, Presence::All);
    }

    #[test]
    fn pages_are_one_based_and_bounded() {
        let f = UserFilter { page: Some(3), per: Some(100), ..Default::default() };
        let q = f.page_query("a", Utc::now());
        assert_eq!((q.offset, q.limit), (200, 100));
        let f = UserFilter { page: Some(0), per: Some(100_000), ..Default::default() };
        let q = f.page_query("a", Utc::now());
        assert_eq!((q.offset, q.limit), (0, MAX_PER_PAGE));
    }

    #[test]
    fn the_query_string_keeps_the_filter_and_escapes_it() {
        let f =
            UserFilter { q: "a&b c".into(), role: "Admin".into(), sort: "name".into(), ..Default::default() };
        assert_eq!(f.query(), "show=present&days=90&q=a%26b%20c&role=Admin&sort=name&dir=asc");
        let f = f.sorted_by(SortColumn::Name);
        assert!(f.query().ends_with("sort=name&dir=desc"), "{}", f.query());
        assert!(f.sorted_by(SortColumn::Email).query().ends_with("sort=email&dir=asc"));
    }
}
