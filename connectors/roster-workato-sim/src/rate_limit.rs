//! Sliding-window rate limiting: a request is refused when `per_minute` requests were already
//! accepted in the half-open window `(now - 60 s, now]`.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::spec::RateLimitScope;

/// Length of the window.
pub const WINDOW: Duration = Duration::from_secs(60);

/// Accepted-request times per window key.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    windows: HashMap<&'static str, VecDeque<Instant>>,
}

impl RateLimiter {
    /// Admits a request at `now`, or returns how long until a slot frees.
    pub(crate) fn check(&mut self, key: &'static str, per_minute: u32, now: Instant) -> Result<(), Duration> {
        let window = self.windows.entry(key).or_default();
        while let Some(front) = window.front() {
            if now.saturating_duration_since(*front) >= WINDOW {
                window.pop_front();
            } else {
                break;
            }
        }
        if window.len() >= per_minute as usize {
            let wait =
                window.front().map_or(WINDOW, |oldest| (*oldest + WINDOW).saturating_duration_since(now));
            return Err(wait);
        }
        window.push_back(now);
        Ok(())
    }

    /// Forgets every accepted request.
    pub(crate) fn clear(&mut self) {
        self.windows.clear();
    }
}

/// The window key of a request path.
pub(crate) fn key(scope: RateLimitScope, path: &str) -> &'static str {
    match scope {
        RateLimitScope::Token => "token",
        RateLimitScope::ResourceFamily => {
            if path.starts_with("/api/users") {
                "workspace_details"
            } else if path.starts_with("/api/members") {
                "collaborators"
            } else if path.starts_with("/api/activity_logs") {
                "activity_logs"
            } else {
                "other"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliding_window_is_half_open() {
        let mut rl = RateLimiter::default();
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(rl.check("k", 3, t0 + Duration::from_secs(i)).is_ok());
        }
        // Full: the oldest (t0) frees its slot at t0 + 60 s.
        let wait = rl.check("k", 3, t0 + Duration::from_secs(10)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        // Just before 60 s the oldest is still inside (now - 60 s, now].
        assert!(rl.check("k", 3, t0 + WINDOW - Duration::from_millis(1)).is_err());
        // At exactly 60 s it has left the window.
        assert!(rl.check("k", 3, t0 + WINDOW).is_ok());
        assert!(rl.check("k", 3, t0 + WINDOW).is_err());
        // Refusals are not counted: at t0 + 61 s only t0+1 leaves.
        assert!(rl.check("k", 3, t0 + Duration::from_secs(61)).is_ok());
        assert!(rl.check("other", 3, t0).is_ok());
        assert!(rl.check("zero", 0, t0).is_err());
    }

    #[test]
    fn keys() {
        assert_eq!(key(RateLimitScope::Token, "/api/members"), "token");
        assert_eq!(key(RateLimitScope::ResourceFamily, "/api/members/1"), "collaborators");
        assert_eq!(key(RateLimitScope::ResourceFamily, "/api/users/me"), "workspace_details");
    }
}
