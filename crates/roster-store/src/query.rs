//! Which users of one account to read, in what order, and how many: the
//! users page's search, filters, sort and paging, evaluated by the database
//! so that a page view holds only the rows it shows.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::codec::to_micros;
use crate::types::StoredUser;

/// A selection of one account's users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserQuery {
    pub account: String,
    pub presence: Presence,
    pub visits: Visits,
    /// A case-insensitive part of the email or the name.
    pub search: Option<String>,
    /// An exact status (`active`, `invited`, `suspended`, `removed`).
    pub status: Option<String>,
    /// A role held in any scope, by name.
    pub role: Option<String>,
    /// A license type held, by name.
    pub license: Option<String>,
    pub sort: SortColumn,
    pub descending: bool,
    pub offset: u64,
    /// At most this many users; `u64::MAX` for all.
    pub limit: u64,
}

impl UserQuery {
    /// Every user of `account` with access, by email, all at once.
    pub fn new(account: impl Into<String>) -> Self {
        Self {
            account: account.into(),
            presence: Presence::Present,
            visits: Visits::Any,
            search: None,
            status: None,
            role: None,
            license: None,
            sort: SortColumn::Email,
            descending: false,
            offset: 0,
            limit: u64::MAX,
        }
    }
}

/// Whether users still have access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Users with access (any status but `removed`).
    Present,
    /// Users who lost access.
    Removed,
    All,
}

/// What the last visit must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visits {
    Any,
    /// No visit since this moment, or none ever.
    NoneSince(DateTime<Utc>),
    /// No known visit.
    Never,
}

/// A column the users page sorts by; ties go by user id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortColumn {
    Email,
    Name,
    Status,
    LastVisit,
    Roles,
    Licenses,
    FirstSeen,
    Id,
}

impl SortColumn {
    pub const ALL: [SortColumn; 8] = [
        Self::Email,
        Self::Name,
        Self::Status,
        Self::LastVisit,
        Self::Roles,
        Self::Licenses,
        Self::FirstSeen,
        Self::Id,
    ];

    /// The name used in URLs and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Name => "name",
            Self::Status => "status",
            Self::LastVisit => "last_visit",
            Self::Roles => "roles",
            Self::Licenses => "licenses",
            Self::FirstSeen => "first_seen",
            Self::Id => "id",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// The column of `users u`, and whether text compares without case
    /// (ASCII letters folded; other characters by code point, on both
    /// backends).
    fn column(self) -> (&'static str, bool) {
        match self {
            Self::Email => ("u.email", true),
            Self::Name => ("u.name", true),
            Self::Status => ("u.status", false),
            Self::LastVisit => ("u.last_visit_at", false),
            Self::Roles => ("u.roles", false),
            Self::Licenses => ("u.license_types", false),
            Self::FirstSeen => ("u.first_seen_at", false),
            Self::Id => ("u.user_id", false),
        }
    }
}

/// One page of a [`UserQuery`] and how many users it matches in all.
#[derive(Debug, Clone, PartialEq)]
pub struct UserPage {
    pub users: Vec<StoredUser>,
    pub matched: u64,
}

const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";

/// A value bound to a placeholder of a [`Selection`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Param {
    Text(String),
    Int(i64),
}

/// The SQL dialect a selection is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// A query's `WHERE` conditions over `users u` (after the account key,
/// which is always placeholder 1) and its `ORDER BY`, with their parameters
/// from placeholder 2 on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selection {
    pub conditions: String,
    pub order: String,
    pub params: Vec<Param>,
    dialect: Dialect,
}

/// `%text%` for LIKE, with LIKE's wildcards in `text` taken literally.
fn contains_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Selection {
    fn placeholder(&self, n: usize) -> String {
        match self.dialect {
            Dialect::Sqlite => format!("?{n}"),
            Dialect::Postgres => format!("${n}"),
        }
    }

    /// The account's users, placeholder 1 its key, `visible` a condition
    /// the backend adds to every read of `users u`.
    fn users_clause(&self, visible: &str) -> String {
        format!("FROM users u WHERE u.account_pk = {}{visible}{}", self.placeholder(1), self.conditions)
    }

    /// Counts the selection.
    pub(crate) fn count_sql(&self, visible: &str) -> String {
        format!("SELECT count(*) {}", self.users_clause(visible))
    }

    /// Reads `columns` of the selection in order, its last two placeholders
    /// the limit and the offset. A page is found first by sorting ids alone
    /// (the sorter then holds ids, not whole rows, however deep the page);
    /// only its own rows are read whole.
    pub(crate) fn rows_sql(&self, columns: &str, visible: &str, paged: bool) -> String {
        let n = self.params.len() + 2;
        let (limit, offset) = (self.placeholder(n), self.placeholder(n + 1));
        let from = self.users_clause(visible);
        if paged {
            format!(
                "SELECT {columns} FROM users u WHERE u.account_pk = {} AND u.user_id IN (
                     SELECT u.user_id {from} ORDER BY {order} LIMIT {limit} OFFSET {offset})
                 ORDER BY {order}",
                self.placeholder(1),
                order = self.order,
            )
        } else {
            format!("SELECT {columns} {from} ORDER BY {} LIMIT {limit} OFFSET {offset}", self.order)
        }
    }

    pub(crate) fn of(q: &UserQuery, dialect: Dialect) -> Self {
        let mut s =
            Selection { conditions: String::new(), order: String::new(), params: Vec::new(), dialect };
        let next = |s: &mut Selection, p: Param| -> String {
            s.params.push(p);
            s.placeholder(s.params.len() + 1)
        };
        let and = |s: &mut Selection, cond: String| {
            s.conditions.push_str(" AND ");
            s.conditions.push_str(&cond);
        };
        match q.presence {
            Presence::Present => and(&mut s, "u.status <> 'removed'".into()),
            Presence::Removed => and(&mut s, "u.status = 'removed'".into()),
            Presence::All => {}
        }
        match q.visits {
            Visits::Any => {}
            Visits::NoneSince(t) => {
                let p = next(&mut s, Param::Int(to_micros(&t)));
                and(&mut s, format!("(u.last_visit_at IS NULL OR u.last_visit_at < {p})"));
            }
            Visits::Never => and(&mut s, "u.last_visit_at IS NULL".into()),
        }
        if let Some(text) = q.search.as_deref().filter(|t| !t.is_empty()) {
            let p = next(&mut s, Param::Text(contains_pattern(text)));
            let cond = match dialect {
                Dialect::Sqlite => format!("(u.email LIKE {p} ESCAPE '\\' OR u.name LIKE {p} ESCAPE '\\')"),
                Dialect::Postgres => {
                    format!("(u.email ILIKE {p} ESCAPE '\\' OR u.name ILIKE {p} ESCAPE '\\')")
                }
            };
            and(&mut s, cond);
        }
        if let Some(status) = &q.status {
            let p = next(&mut s, Param::Text(status.clone()));
            and(&mut s, format!("u.status = {p}"));
        }
        if let Some(role) = &q.role {
            let p = next(&mut s, Param::Text(role.clone()));
            and(
                &mut s,
                match dialect {
                    Dialect::Sqlite => format!(
                        "EXISTS (SELECT 1 FROM json_each(u.roles) j WHERE json_extract(j.value, '$.name') = {p})"
                    ),
                    Dialect::Postgres => format!(
                        "EXISTS (SELECT 1 FROM jsonb_array_elements(u.roles::jsonb) j WHERE j->>'name' = {p})"
                    ),
                },
            );
        }
        if let Some(license) = &q.license {
            let p = next(&mut s, Param::Text(license.clone()));
            and(
                &mut s,
                match dialect {
                    Dialect::Sqlite => {
                        format!("EXISTS (SELECT 1 FROM json_each(u.license_types) j WHERE j.value = {p})")
                    }
                    Dialect::Postgres => format!("u.license_types::jsonb ? {p}"),
                },
            );
        }
        let (column, fold) = q.sort.column();
        let key = match (fold, dialect) {
            (true, Dialect::Sqlite) => format!("{column} COLLATE NOCASE"),
            // ASCII letters folded, as SQLite's NOCASE: lower() would
            // follow the database's locale.
            (true, Dialect::Postgres) => format!("translate({column}, '{UPPER}', '{LOWER}') COLLATE \"C\""),
            (false, Dialect::Postgres)
                if q.sort != SortColumn::LastVisit && q.sort != SortColumn::FirstSeen =>
            {
                format!("{column} COLLATE \"C\"")
            }
            (false, _) => column.to_owned(),
        };
        let (dir, id_dir) = if q.descending { ("DESC", "DESC") } else { ("ASC", "ASC") };
        let id = match dialect {
            Dialect::Sqlite => "u.user_id",
            Dialect::Postgres => "u.user_id COLLATE \"C\"",
        };
        s.order = if q.sort == SortColumn::Id {
            format!("{id} {id_dir}")
        } else {
            format!("{key} {dir} NULLS LAST, {id} {id_dir}")
        };
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_a_search_are_literal() {
        assert_eq!(contains_pattern("a_b%c\\"), "%a\\_b\\%c\\\\%");
    }

    #[test]
    fn every_filter_adds_one_numbered_placeholder() {
        let mut q = UserQuery::new("acme");
        q.search = Some("ann".into());
        q.status = Some("active".into());
        q.role = Some("Admin".into());
        q.license = Some("Pro".into());
        q.visits = Visits::Never;
        let s = Selection::of(&q, Dialect::Postgres);
        assert_eq!(s.params.len(), 4);
        for i in 2..=5 {
            assert!(s.conditions.contains(&format!("${i}")), "{}", s.conditions);
        }
        let s = Selection::of(&q, Dialect::Sqlite);
        assert!(s.conditions.contains("?5") && !s.conditions.contains("?6"), "{}", s.conditions);
    }

    #[test]
    fn sort_names_round_trip() {
        for c in SortColumn::ALL {
            assert_eq!(SortColumn::parse(c.as_str()), Some(c));
        }
        assert_eq!(SortColumn::parse("password"), None);
    }
}
