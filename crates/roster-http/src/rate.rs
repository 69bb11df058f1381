//! Client-side rate limiting, so that a sync stays under the vendor's quota
//! instead of bouncing off 429s.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::DefaultClock;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

/// A vendor quota of `per_minute` requests in any 60-second window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_minute: u32,
    /// Requests that may go out back to back before pacing starts.
    pub burst: u32,
}

impl RateLimit {
    pub const fn per_minute(per_minute: u32) -> Self {
        Self { per_minute, burst: 2 }
    }
}

/// A pacer that never lets more than `per_minute` requests out in any
/// 60-second window, even against a strict sliding-window server: it spends
/// `burst` requests up front, then spaces the rest `60 s / (per_minute - burst)`
/// apart (plus 1% for clock skew between client and server).
#[derive(Clone)]
pub(crate) struct Pacer {
    limiter: Arc<RateLimiter<NotKeyed, InMemoryState, DefaultClock>>,
}

impl Pacer {
    pub(crate) fn new(limit: RateLimit) -> Option<Self> {
        let per_minute = limit.per_minute.max(1);
        let burst = limit.burst.clamp(1, per_minute);
        let steady = (per_minute - burst).max(1);
        let period = Duration::from_secs_f64(60.0 / f64::from(steady) * 1.01);
        let quota = Quota::with_period(period)?.allow_burst(NonZeroU32::new(burst)?);
        Some(Self { limiter: Arc::new(RateLimiter::direct(quota)) })
    }

    pub(crate) async fn ready(&self) {
        self.limiter.until_ready().await;
    }
}
