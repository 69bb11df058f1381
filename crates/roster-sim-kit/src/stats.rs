//! Per-tenant counters.

use std::collections::BTreeMap;

/// What a tenant's requests met so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Requests carrying one of this tenant's credentials (refused ones included).
    pub requests: u64,
    /// Requests answered as rate limited (by a budget or a `RateLimited` fault).
    pub rate_limited: u64,
    /// Requests that suffered an injected fault.
    pub faults: u64,
    /// Requests whose client went away before the response was ready.
    pub cancelled: u64,
    /// Requests per path, numeric segments written `:id` (`/api/members/:id`), open
    /// endpoints (a token endpoint) included.
    pub by_path: BTreeMap<String, u64>,
    /// The vendor's own counters (`tokens_issued`, `token_refusals`, ...).
    pub counters: BTreeMap<&'static str, u64>,
}

impl Stats {
    /// A vendor counter (0 when never counted).
    pub fn counter(&self, name: &str) -> u64 {
        self.counters.get(name).copied().unwrap_or(0)
    }

    /// Requests to `path` (as `by_path` writes it).
    pub fn path(&self, path: &str) -> u64 {
        self.by_path.get(path).copied().unwrap_or(0)
    }

    pub(crate) fn count_path(&mut self, path: &str) {
        *self.by_path.entry(normalize_path(path)).or_default() += 1;
    }
}

/// `path` with every all-digit segment written `:id`.
pub(crate) fn normalize_path(path: &str) -> String {
    path.split('/')
        .map(|seg| if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) { ":id" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn numeric_segments_are_ids() {
        assert_eq!(super::normalize_path("/api/members/1007/privileges"), "/api/members/:id/privileges");
        assert_eq!(super::normalize_path("/v2/users"), "/v2/users");
    }
}
