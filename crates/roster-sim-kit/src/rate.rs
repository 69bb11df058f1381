//! Rate limits: budgets counted in windows, and how a refusal says when to come back.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chrono::{NaiveDate, Utc};

/// How a budget's window moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// A request is refused when `limit` were accepted in the half-open `(now - d, now]`.
    Sliding(Duration),
    /// Windows of this length starting at the first request; the count resets at the end
    /// (GitHub's hourly budget with its `reset` time).
    Fixed(Duration),
    /// The calendar day in UTC (a daily quota that resets at 00:00 UTC).
    UtcDay,
}

/// A budget a request draws from. Budgets with the same key share one count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Budget {
    /// A name: a category (`"Medium"`), a resource (`"core"`, `"graphql"`) or `"token"`.
    pub key: Cow<'static, str>,
    pub limit: u32,
    pub window: Window,
}

impl Budget {
    pub fn new(key: impl Into<Cow<'static, str>>, limit: u32, window: Window) -> Self {
        Budget { key: key.into(), limit, window }
    }
}

/// What an admitted request left of a budget, for headers such as `X-RateLimit-Remaining`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spent {
    pub key: Cow<'static, str>,
    pub limit: u32,
    pub used: u32,
    pub remaining: u32,
    /// When the budget is whole again (the end of a fixed window or day; the oldest
    /// request leaving a sliding one).
    pub reset: SystemTime,
}

/// A refusal: a spent budget, or an injected `RateLimited` fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limited {
    /// The refused request's path.
    pub path: String,
    /// The budget's key (`"fault"` for an injected one).
    pub key: Cow<'static, str>,
    pub limit: u32,
    pub window: Option<Window>,
    /// How long until a request would be admitted.
    pub wait: Duration,
    /// The style a fault asked for; `None` lets the tenant answer its usual way.
    pub style: Option<RetryAfter>,
}

impl Limited {
    /// When the refused budget is whole again.
    pub fn reset(&self) -> SystemTime {
        SystemTime::now() + self.wait
    }
}

/// How a rate-limited answer says when to come back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: <seconds>`.
    #[default]
    Seconds,
    /// `Retry-After: <HTTP date>`.
    HttpDate,
    /// `Retry-After: <ISO 8601 date-time>` (Zoom's style).
    IsoDate,
    /// No `Retry-After`: the vendor's own headers, or nothing, say it.
    Omit,
}

impl RetryAfter {
    /// The header value for a wait of `wait`, rounded up so a client never comes back early.
    pub fn value(self, wait: Duration) -> Option<String> {
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        match self {
            RetryAfter::Seconds => Some(secs.max(1).to_string()),
            RetryAfter::HttpDate => {
                let since = (SystemTime::now() + wait).duration_since(UNIX_EPOCH).unwrap_or_default();
                let rounded = since.as_secs() + u64::from(since.subsec_nanos() > 0);
                Some(httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(rounded)))
            }
            RetryAfter::IsoDate => {
                let at = Utc::now().timestamp() + secs.max(1) as i64;
                Some(iso_seconds(at))
            }
            RetryAfter::Omit => None,
        }
    }
}

/// Unix seconds as `2019-06-01T07:58:03Z`.
pub(crate) fn iso_seconds(secs: i64) -> String {
    chrono::DateTime::<Utc>::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[derive(Debug)]
enum Count {
    Sliding(VecDeque<Instant>),
    Fixed { start: Instant, started_at: SystemTime, used: u32 },
    Day { date: NaiveDate, used: u32 },
}

/// Accepted-request counts per budget key.
#[derive(Debug, Default)]
pub struct Limiter {
    counts: HashMap<Cow<'static, str>, Count>,
}

impl Limiter {
    /// Admits a request at `now` against every budget, or refuses it on the first one
    /// that is spent. A refused request counts against none of them.
    pub fn admit(&mut self, budgets: &[Budget], now: Instant) -> Result<Vec<Spent>, Limited> {
        for budget in budgets {
            if let Some(wait) = self.refusal(budget, now) {
                return Err(Limited {
                    path: String::new(),
                    key: budget.key.clone(),
                    limit: budget.limit,
                    window: Some(budget.window),
                    wait,
                    style: None,
                });
            }
        }
        Ok(budgets.iter().map(|b| self.take(b, now)).collect())
    }

    /// Forgets every accepted request.
    pub fn clear(&mut self) {
        self.counts.clear();
    }

    fn count(&mut self, budget: &Budget, now: Instant) -> &mut Count {
        let today = Utc::now().date_naive();
        let count = self.counts.entry(budget.key.clone()).or_insert_with(|| match budget.window {
            Window::Sliding(_) => Count::Sliding(VecDeque::new()),
            Window::Fixed(_) => Count::Fixed { start: now, started_at: SystemTime::now(), used: 0 },
            Window::UtcDay => Count::Day { date: today, used: 0 },
        });
        match (&mut *count, budget.window) {
            (Count::Sliding(times), Window::Sliding(d)) => {
                while times.front().is_some_and(|t| now.saturating_duration_since(*t) >= d) {
                    times.pop_front();
                }
            }
            (Count::Fixed { start, started_at, used }, Window::Fixed(d)) => {
                if now.saturating_duration_since(*start) >= d {
                    *start = now;
                    *started_at = SystemTime::now();
                    *used = 0;
                }
            }
            (Count::Day { date, used }, Window::UtcDay) => {
                if *date != today {
                    *date = today;
                    *used = 0;
                }
            }
            // The budget's window changed kind: start over.
            (c, _) => {
                *c = match budget.window {
                    Window::Sliding(_) => Count::Sliding(VecDeque::new()),
                    Window::Fixed(_) => Count::Fixed { start: now, started_at: SystemTime::now(), used: 0 },
                    Window::UtcDay => Count::Day { date: today, used: 0 },
                }
            }
        }
        count
    }

    fn refusal(&mut self, budget: &Budget, now: Instant) -> Option<Duration> {
        let limit = budget.limit as usize;
        match (self.count(budget, now), budget.window) {
            (Count::Sliding(times), Window::Sliding(d)) if times.len() >= limit => {
                Some(times.front().map_or(d, |oldest| (*oldest + d).saturating_duration_since(now)))
            }
            (Count::Fixed { start, used, .. }, Window::Fixed(d)) if *used as usize >= limit => {
                Some((*start + d).saturating_duration_since(now))
            }
            (Count::Day { used, .. }, Window::UtcDay) if *used as usize >= limit => {
                Some(until_utc_midnight())
            }
            _ => None,
        }
    }

    fn take(&mut self, budget: &Budget, now: Instant) -> Spent {
        let (used, reset) = match (self.count(budget, now), budget.window) {
            (Count::Sliding(times), Window::Sliding(d)) => {
                times.push_back(now);
                let oldest = times.front().copied().unwrap_or(now);
                (times.len() as u32, SystemTime::now() + (oldest + d).saturating_duration_since(now))
            }
            (Count::Fixed { started_at, used, .. }, Window::Fixed(d)) => {
                *used += 1;
                (*used, *started_at + d)
            }
            (Count::Day { used, .. }, _) => {
                *used += 1;
                (*used, SystemTime::now() + until_utc_midnight())
            }
            _ => (0, SystemTime::now()),
        };
        Spent {
            key: budget.key.clone(),
            limit: budget.limit,
            used,
            remaining: budget.limit.saturating_sub(used),
            reset,
        }
    }
}

fn until_utc_midnight() -> Duration {
    let now = Utc::now();
    let tomorrow = (now.date_naive() + chrono::Duration::days(1)).and_time(chrono::NaiveTime::MIN).and_utc();
    (tomorrow - now).to_std().unwrap_or(Duration::from_secs(1))
}

/// The next 00:00 UTC, as an ISO date-time (a daily limit's `Retry-After`).
pub fn next_utc_midnight_iso() -> String {
    let tomorrow = Utc::now().date_naive() + chrono::Duration::days(1);
    iso_seconds(tomorrow.and_time(chrono::NaiveTime::MIN).and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sliding(limit: u32, secs: u64) -> Budget {
        Budget::new("k", limit, Window::Sliding(Duration::from_secs(secs)))
    }

    #[test]
    fn sliding_window_is_half_open() {
        let mut rl = Limiter::default();
        let b = [sliding(3, 60)];
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(rl.admit(&b, t0 + Duration::from_secs(i)).is_ok());
        }
        // Full: the oldest (t0) frees its slot at t0 + 60 s.
        let wait = rl.admit(&b, t0 + Duration::from_secs(10)).unwrap_err().wait;
        assert_eq!(wait, Duration::from_secs(50));
        // Just before 60 s the oldest is still inside (now - 60 s, now].
        assert!(rl.admit(&b, t0 + Duration::from_secs(60) - Duration::from_millis(1)).is_err());
        // At exactly 60 s it has left the window.
        assert!(rl.admit(&b, t0 + Duration::from_secs(60)).is_ok());
        assert!(rl.admit(&b, t0 + Duration::from_secs(60)).is_err());
        // Refusals are not counted: at t0 + 61 s only t0+1 leaves.
        assert!(rl.admit(&b, t0 + Duration::from_secs(61)).is_ok());
        assert!(rl.admit(&[Budget::new("other", 3, Window::Sliding(Duration::from_secs(60)))], t0).is_ok());
        assert!(rl.admit(&[Budget::new("zero", 0, Window::Sliding(Duration::from_secs(60)))], t0).is_err());
    }

    #[test]
    fn a_refusal_spends_no_budget_and_remaining_counts_down() {
        let mut rl = Limiter::default();
        let t0 = Instant::now();
        let daily = Budget::new("daily", 3, Window::UtcDay);
        let per_second = Budget::new("Medium", 2, Window::Sliding(Duration::from_secs(1)));
        let spent = rl.admit(&[daily.clone(), per_second.clone()], t0).unwrap_or_default();
        assert_eq!(spent[1].remaining, 1);
        assert_eq!(rl.admit(&[daily.clone(), per_second.clone()], t0).map(|s| s[1].remaining), Ok(0));
        let refused = rl.admit(&[daily.clone(), per_second.clone()], t0).unwrap_err();
        assert_eq!(refused.key, "Medium");
        let later = t0 + Duration::from_secs(1);
        assert_eq!(rl.admit(&[daily.clone(), per_second.clone()], later).map(|s| s[0].remaining), Ok(0));
        assert_eq!(rl.admit(&[daily, per_second], later).unwrap_err().window, Some(Window::UtcDay));
    }

    #[test]
    fn fixed_windows_reset_at_their_end() {
        let mut rl = Limiter::default();
        let b = [Budget::new("core", 2, Window::Fixed(Duration::from_secs(3600)))];
        let t0 = Instant::now();
        assert!(rl.admit(&b, t0).is_ok());
        assert_eq!(rl.admit(&b, t0 + Duration::from_secs(5)).map(|s| s[0].remaining), Ok(0));
        assert_eq!(rl.admit(&b, t0 + Duration::from_secs(600)).unwrap_err().wait, Duration::from_secs(3000));
        assert!(rl.admit(&b, t0 + Duration::from_secs(3600)).is_ok());
    }

    #[test]
    fn retry_after_values() {
        assert_eq!(RetryAfter::Seconds.value(Duration::from_millis(1500)), Some("2".into()));
        assert_eq!(RetryAfter::Seconds.value(Duration::ZERO), Some("1".into()));
        assert_eq!(RetryAfter::Omit.value(Duration::from_secs(1)), None);
        assert!(RetryAfter::IsoDate.value(Duration::from_secs(1)).is_some_and(|v| v.ends_with('Z')));
        assert!(RetryAfter::HttpDate.value(Duration::from_secs(1)).is_some_and(|v| v.ends_with("GMT")));
        assert_eq!(iso_seconds(1_559_375_883), "2019-06-01T07:58:03Z");
    }
}
