//! Zoom's rate limits: per rate-limit label, a sliding one-second window, and an optional
//! daily count per UTC day.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};

use crate::spec::RateLimits;

/// A rate-limit label ("Request Type" in Zoom's docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    Light,
    Medium,
    Heavy,
}

impl Category {
    /// The `X-RateLimit-Category` value.
    pub fn header(self) -> &'static str {
        match self {
            Category::Light => "Light",
            Category::Medium => "Medium",
            Category::Heavy => "Heavy",
        }
    }

    /// The label of an API path, as each endpoint's documentation gives it.
    pub fn of(path: &str) -> Category {
        if path.ends_with("/plans/usage") {
            Category::Heavy
        } else if path == "/v2/users" || path == "/v2/roles" {
            Category::Medium
        } else {
            Category::Light
        }
    }

    fn per_second(self, limits: &RateLimits) -> u32 {
        match self {
            Category::Light => limits.light_per_second,
            Category::Medium => limits.medium_per_second,
            Category::Heavy => limits.heavy_per_second,
        }
    }
}

/// Why a request was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The per-second window is full; it frees after this long.
    PerSecond(Duration),
    Daily,
}

/// Accepted-request times per label, and the day's count.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    windows: HashMap<Category, VecDeque<Instant>>,
    day: Option<NaiveDate>,
    today: u32,
}

const WINDOW: Duration = Duration::from_secs(1);

impl RateLimiter {
    /// Admits a request at `now`, returning the remaining per-second budget.
    pub(crate) fn check(
        &mut self,
        category: Category,
        limits: &RateLimits,
        now: Instant,
    ) -> Result<u32, Refusal> {
        let date = Utc::now().date_naive();
        if self.day != Some(date) {
            self.day = Some(date);
            self.today = 0;
        }
        if limits.daily.is_some_and(|d| self.today >= d) {
            return Err(Refusal::Daily);
        }
        let limit = category.per_second(limits);
        let window = self.windows.entry(category).or_default();
        while window.front().is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW) {
            window.pop_front();
        }
        if window.len() >= limit as usize {
            let wait = window.front().map_or(WINDOW, |t| (*t + WINDOW).saturating_duration_since(now));
            return Err(Refusal::PerSecond(wait));
        }
        window.push_back(now);
        self.today += 1;
        Ok(limit.saturating_sub(window.len() as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_second_window_and_daily_count() {
        let limits = RateLimits { medium_per_second: 2, daily: Some(3), ..RateLimits::pro() };
        let mut rl = RateLimiter::default();
        let t0 = Instant::now();
        assert_eq!(rl.check(Category::Medium, &limits, t0), Ok(1));
        assert_eq!(rl.check(Category::Medium, &limits, t0), Ok(0));
        assert!(matches!(rl.check(Category::Medium, &limits, t0), Err(Refusal::PerSecond(_))));
        assert_eq!(rl.check(Category::Medium, &limits, t0 + WINDOW), Ok(1));
        assert_eq!(rl.check(Category::Heavy, &limits, t0 + WINDOW), Err(Refusal::Daily));
    }

    #[test]
    fn labels() {
        assert_eq!(Category::of("/v2/users"), Category::Medium);
        assert_eq!(Category::of("/v2/accounts/me/plans/usage"), Category::Heavy);
        assert_eq!(Category::of("/v2/users/me"), Category::Light);
    }
}
