//! The daemon's metrics, written in the Prometheus text format (0.0.4) by
//! hand: a few counters, gauges and one histogram need no library.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use roster_core::RequestStats;

use crate::sync::AccountResult;

/// Upper bounds of the sync duration buckets, in seconds.
const BUCKETS: [f64; 13] = [0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0];

#[derive(Debug, Default, Clone)]
struct Histogram {
    /// Counts per bucket (not cumulative), plus the +Inf bucket at the end.
    counts: [u64; BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        let i = BUCKETS.iter().position(|b| seconds <= *b).unwrap_or(BUCKETS.len());
        self.counts[i] += 1;
        self.sum += seconds;
        self.count += 1;
    }
}

type Key = (String, String);

/// A request counter family: name, help, and which counter it shows.
type Family = (&'static str, &'static str, fn(&RequestStats) -> u64);

#[derive(Debug, Default)]
struct Inner {
    syncs: BTreeMap<(String, String, &'static str), u64>,
    durations: BTreeMap<String, Histogram>,
    users: BTreeMap<Key, u64>,
    requests: BTreeMap<Key, RequestStats>,
    last_good: BTreeMap<Key, SystemTime>,
    accounts: usize,
    broken: usize,
    in_flight: usize,
}

/// Everything `/metrics` shows. Shared by the scheduler and the HTTP server.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        let mut guard = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }

    /// What the store knew at start-up: users and the last good sync of an account.
    pub fn seed(&self, account: &str, connector: &str, users: u64, last_good: Option<SystemTime>) {
        self.with(|m| {
            let key = (account.to_owned(), connector.to_owned());
            m.users.insert(key.clone(), users);
            if let Some(t) = last_good {
                m.last_good.insert(key, t);
            }
        });
    }

    /// One finished sync.
    pub fn record(&self, r: &AccountResult, now: SystemTime) {
        self.with(|m| {
            let key = (r.account.clone(), r.connector.clone());
            *m.syncs.entry((r.account.clone(), r.connector.clone(), r.outcome.as_str())).or_default() += 1;
            m.durations
                .entry(r.connector.clone())
                .or_default()
                .observe(Duration::from_millis(r.duration_ms).as_secs_f64());
            let total = m.requests.entry(key.clone()).or_default();
            *total = *total + r.requests;
            if r.outcome.is_success() {
                m.users.insert(key.clone(), r.users);
                m.last_good.insert(key, now);
            }
        });
    }

    /// Drops the gauges of an account that is no longer configured. Its
    /// counters stay, as counters must.
    pub fn forget(&self, account: &str) {
        self.with(|m| {
            m.users.retain(|(a, _), _| a != account);
            m.last_good.retain(|(a, _), _| a != account);
        });
    }

    pub fn set_accounts(&self, configured: usize, broken: usize) {
        self.with(|m| {
            m.accounts = configured;
            m.broken = broken;
        });
    }

    pub fn set_in_flight(&self, n: usize) {
        self.with(|m| m.in_flight = n);
    }

    /// The text of `/metrics` as of `now`.
    pub fn render(&self, now: SystemTime) -> String {
        self.with(|m| render(m, now))
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value with `\`, `"` and newlines escaped.
/// `account="…",connector="…"`, escaped.
fn labels(account: &str, connector: &str) -> String {
    format!("account=\"{}\",connector=\"{}\"", esc(account), esc(connector))
}

fn esc(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn render(m: &Inner, now: SystemTime) -> String {
    let mut out = String::new();
    header(&mut out, "roster_syncs_total", "counter", "Finished syncs by account and outcome.");
    for ((account, connector, outcome), n) in &m.syncs {
        let _ =
            writeln!(out, "roster_syncs_total{{{},outcome=\"{outcome}\"}} {n}", labels(account, connector));
    }
    header(&mut out, "roster_sync_duration_seconds", "histogram", "How long syncs took, by connector.");
    for (connector, h) in &m.durations {
        let c = esc(connector);
        let mut cumulative = 0;
        for (i, bound) in BUCKETS.iter().enumerate() {
            cumulative += h.counts[i];
            let _ = writeln!(
                out,
                "roster_sync_duration_seconds_bucket{{connector=\"{c}\",le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ =
            writeln!(out, "roster_sync_duration_seconds_bucket{{connector=\"{c}\",le=\"+Inf\"}} {}", h.count);
        let _ = writeln!(out, "roster_sync_duration_seconds_sum{{connector=\"{c}\"}} {}", h.sum);
        let _ = writeln!(out, "roster_sync_duration_seconds_count{{connector=\"{c}\"}} {}", h.count);
    }
    header(&mut out, "roster_account_users", "gauge", "Users returned by the account's last good sync.");
    for ((account, connector), n) in &m.users {
        let _ = writeln!(out, "roster_account_users{{{}}} {n}", labels(account, connector));
    }
    let counters: [Family; 3] = [
        ("roster_http_requests_total", "Requests sent to the vendor, retries included.", |s| s.requests),
        ("roster_http_retries_total", "Requests sent again after a 429, a 5xx or a network error.", |s| {
            s.retries
        }),
        ("roster_http_rate_limited_total", "Answers that were 429 Too Many Requests.", |s| s.rate_limited),
    ];
    for (name, help, get) in counters {
        header(&mut out, name, "counter", help);
        for ((account, connector), s) in &m.requests {
            let _ = writeln!(out, "{name}{{{}}} {}", labels(account, connector), get(s));
        }
    }
    header(
        &mut out,
        "roster_last_good_sync_age_seconds",
        "gauge",
        "Seconds since the account's last good (ok or degraded) sync finished.",
    );
    for ((account, connector), t) in &m.last_good {
        let age = now.duration_since(*t).unwrap_or_default().as_secs_f64();
        let _ = writeln!(out, "roster_last_good_sync_age_seconds{{{}}} {age:.3}", labels(account, connector));
    }
    header(&mut out, "roster_accounts", "gauge", "Accounts in the config, by whether their file loads.");
    let _ = writeln!(out, "roster_accounts{{state=\"ok\"}} {}", m.accounts);
    let _ = writeln!(out, "roster_accounts{{state=\"broken\"}} {}", m.broken);
    header(&mut out, "roster_syncs_in_flight", "gauge", "Syncs running now.");
    let _ = writeln!(out, "roster_syncs_in_flight {}", m.in_flight);
    out
}

#[cfg(test)]
mod tests {
    use roster_store::Outcome;

    use super::*;

    fn result(outcome: Outcome, ms: u64, users: u64) -> AccountResult {
        let s = roster_store::CommitSummary {
            run_id: 1,
            outcome,
            degraded_reason: None,
            seen: users,
            added: 0,
            changed: 0,
            removed: 0,
            restored: 0,
        };
        AccountResult::committed("acme".into(), "workato".into(), Duration::from_millis(ms), &s, Vec::new())
            .with_requests(RequestStats { requests: 5, retries: 2, rate_limited: 1 })
    }

    #[test]
    fn renders_every_series() {
        let m = Metrics::default();
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        m.record(&result(Outcome::Ok, 1500, 42), t0);
        m.record(&result(Outcome::Ok, 200, 40), t0);
        m.set_accounts(1, 0);
        let text = m.render(t0 + Duration::from_secs(30));
        for line in [
            "roster_syncs_total{account=\"acme\",connector=\"workato\",outcome=\"ok\"} 2",
            "roster_sync_duration_seconds_bucket{connector=\"workato\",le=\"0.25\"} 1",
            "roster_sync_duration_seconds_bucket{connector=\"workato\",le=\"2.5\"} 2",
            "roster_sync_duration_seconds_bucket{connector=\"workato\",le=\"+Inf\"} 2",
            "roster_sync_duration_seconds_count{connector=\"workato\"} 2",
            "roster_account_users{account=\"acme\",connector=\"workato\"} 40",
            "roster_http_requests_total{account=\"acme\",connector=\"workato\"} 10",
            "roster_http_retries_total{account=\"acme\",connector=\"workato\"} 4",
            "roster_http_rate_limited_total{account=\"acme\",connector=\"workato\"} 2",
            "roster_last_good_sync_age_seconds{account=\"acme\",connector=\"workato\"} 30.000",
            "roster_accounts{state=\"ok\"} 1",
            "roster_syncs_in_flight 0",
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
        }
        m.forget("acme");
        let text = m.render(t0);
        assert!(!text.contains("roster_account_users{"), "{text}");
        assert!(text.contains("roster_syncs_total{"), "{text}");
    }

    #[test]
    fn a_failure_keeps_the_last_good_gauges() {
        let m = Metrics::default();
        let t0 = SystemTime::UNIX_EPOCH;
        m.record(&result(Outcome::Ok, 10, 7), t0);
        let err = roster_core::ConnectorError::transient("boom");
        m.record(&AccountResult::failed("acme".into(), "workato".into(), Duration::ZERO, &err), t0);
        let text = m.render(t0);
        assert!(text.contains("outcome=\"failed\"} 1"), "{text}");
        assert!(text.contains("roster_account_users{account=\"acme\",connector=\"workato\"} 7"), "{text}");
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(esc("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
