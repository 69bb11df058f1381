//! The configured accounts as the daemon last loaded them: what each one
//! is, its interval, and a fingerprint of its files to tell what changed.
//! When accounts are due, and who syncs them, is the store's schedule.

use std::collections::BTreeMap;
use std::time::Duration;

/// What [`Table::upsert`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Changed,
    Unchanged,
}

#[derive(Debug)]
struct Entry<A> {
    account: A,
    fingerprint: u64,
    interval: Option<Duration>,
}

/// Every configured account, by id.
#[derive(Debug)]
pub struct Table<A> {
    entries: BTreeMap<String, Entry<A>>,
    /// The interval of accounts that do not set their own.
    pub default_interval: Duration,
}

impl<A: Clone> Table<A> {
    pub fn new(default_interval: Duration) -> Self {
        Self { entries: BTreeMap::new(), default_interval }
    }

    /// Adds an account, or replaces it when its fingerprint changed.
    pub fn upsert(&mut self, id: &str, account: A, fingerprint: u64, interval: Option<Duration>) -> Change {
        match self.entries.get_mut(id) {
            Some(e) if e.fingerprint == fingerprint => Change::Unchanged,
            Some(e) => {
                *e = Entry { account, fingerprint, interval };
                Change::Changed
            }
            None => {
                self.entries.insert(id.to_owned(), Entry { account, fingerprint, interval });
                Change::Added
            }
        }
    }

    /// Removes an account; false when it was not there.
    pub fn remove(&mut self, id: &str) -> bool {
        self.entries.remove(id).is_some()
    }

    pub fn ids(&self) -> impl Iterator<Item = &String> {
        self.entries.keys()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.entries.contains_key(id)
    }

    /// The account and its interval (its own, else the default).
    pub fn get(&self, id: &str) -> Option<(A, Duration)> {
        self.entries.get(id).map(|e| (e.account.clone(), e.interval.unwrap_or(self.default_interval)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_added_changed_and_unchanged_apart() {
        let mut t = Table::new(Duration::from_secs(100));
        assert_eq!(t.upsert("a", 1, 10, None), Change::Added);
        assert_eq!(t.upsert("a", 2, 10, None), Change::Unchanged);
        assert_eq!(t.get("a"), Some((1, Duration::from_secs(100))));
        assert_eq!(t.upsert("a", 3, 11, Some(Duration::from_secs(5))), Change::Changed);
        assert_eq!(t.get("a"), Some((3, Duration::from_secs(5))));
        assert!(t.remove("a"));
        assert!(!t.remove("a"));
        assert_eq!(t.len(), 0);
    }
}
