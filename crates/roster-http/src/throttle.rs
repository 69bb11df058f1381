//! Vendor rate-limit signals beyond a 429: a 403 that says it is a rate limit (GitHub's
//! primary and secondary limits, Google's `rateLimitExceeded`), and budget headers that
//! say to pause before the budget runs out (`x-ratelimit-remaining` and `-reset`).

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Reads a non-success answer (its status, headers and up to 64 KiB of body) and says
/// whether it is a rate limit in disguise: `Some(wait)` makes the client treat it as a
/// 429 (waiting `wait`, or backing off when `None`); `None` leaves it as it is.
pub type ThrottleSignal = fn(StatusCode, &HeaderMap, &[u8], SystemTime) -> Option<Option<Duration>>;

/// Reads any answer's headers and says until when to hold the next request back (the
/// budget is nearly spent until its reset), or `None` to go on.
pub type BudgetHeaders = fn(&HeaderMap, SystemTime) -> Option<SystemTime>;

/// Until when requests are held back, shared by a client's requests.
#[derive(Debug, Default)]
pub(crate) struct Pause {
    until: Mutex<Option<SystemTime>>,
}

impl Pause {
    pub(crate) fn hold_until(&self, until: SystemTime) {
        let mut guard = self.until.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none_or(|u| u < until) {
            *guard = Some(until);
        }
    }

    /// How long the next request must wait, if at all.
    pub(crate) fn remaining(&self, now: SystemTime) -> Option<Duration> {
        let until = (*self.until.lock().unwrap_or_else(|e| e.into_inner()))?;
        until.duration_since(now).ok().filter(|d| !d.is_zero())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pause_holds_until_its_latest_end() {
        let p = Pause::default();
        let now = SystemTime::now();
        assert_eq!(p.remaining(now), None);
        p.hold_until(now + Duration::from_secs(5));
        p.hold_until(now + Duration::from_secs(2));
        assert_eq!(p.remaining(now), Some(Duration::from_secs(5)));
        assert_eq!(p.remaining(now + Duration::from_secs(6)), None);
    }
}
