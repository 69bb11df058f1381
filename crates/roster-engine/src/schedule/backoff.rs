//! How long an account waits after failed syncs: doubling from a first delay,
//! capped, with jitter so that accounts that failed together (a vendor
//! outage) do not all come back at the same moment.

use std::time::Duration;

/// The spread of the jitter: the delay is multiplied by a factor in
/// `1 - JITTER ..= 1 + JITTER`, and never exceeds the cap.
const JITTER: f64 = 0.2;

/// The delay before the next try after `failures` failed syncs in a row
/// (at least 1): `first * 2^(failures - 1)`, at most `cap`, jittered by
/// `unit`, a number in `0.0..1.0` (0.5 is no jitter).
pub fn failure_delay(failures: u32, first: Duration, cap: Duration, unit: f64) -> Duration {
    let doublings = failures.saturating_sub(1).min(40);
    let base = first.saturating_mul(1u32 << doublings.min(31)).min(cap);
    let factor = 1.0 + JITTER * (2.0 * unit.clamp(0.0, 1.0) - 1.0);
    base.mul_f64(factor).min(cap)
}

/// [`failure_delay`] with a random jitter.
pub fn failure_delay_jittered(failures: u32, first: Duration, cap: Duration) -> Duration {
    failure_delay(failures, first, cap, rand::random::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);
    const SIX_HOURS: Duration = Duration::from_secs(6 * 3600);

    #[test]
    fn doubles_from_the_first_delay() {
        let d: Vec<u64> = (1..=5).map(|n| failure_delay(n, MIN, SIX_HOURS, 0.5).as_secs()).collect();
        assert_eq!(d, [60, 120, 240, 480, 960]);
    }

    #[test]
    fn is_capped_even_with_jitter_and_many_failures() {
        for n in [10, 11, 50, u32::MAX] {
            assert_eq!(failure_delay(n, MIN, SIX_HOURS, 0.5), SIX_HOURS);
            assert!(failure_delay(n, MIN, SIX_HOURS, 0.999) <= SIX_HOURS);
        }
    }

    #[test]
    fn jitter_stays_within_a_fifth() {
        let low = failure_delay(1, MIN, SIX_HOURS, 0.0);
        let high = failure_delay(1, MIN, SIX_HOURS, 1.0);
        assert_eq!(low, Duration::from_secs(48));
        assert_eq!(high, Duration::from_secs(72));
        for _ in 0..100 {
            let d = failure_delay_jittered(3, MIN, SIX_HOURS);
            assert!(d >= Duration::from_secs(192) && d <= Duration::from_secs(288), "{d:?}");
        }
    }

    #[test]
    fn a_cap_below_the_first_delay_wins() {
        assert_eq!(failure_delay(1, MIN, Duration::from_secs(10), 0.5), Duration::from_secs(10));
    }
}
