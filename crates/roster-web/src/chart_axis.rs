//! A chart's axes: round value ticks from zero, and time ticks with labels as
//! short as the time span allows.

use chrono::{DateTime, TimeDelta, Utc};

/// Ticks from 0 up to at least `max` (and at least 1), at a round step (1, 2 or
/// 5 times a power of ten) that gives about `want` intervals.
pub fn value_ticks(max: u64, want: u64) -> Vec<u64> {
    let raw = max.div_ceil(want.max(1)).max(1);
    let mut power = 1u64;
    let step = loop {
        if let Some(s) = [1, 2, 5].into_iter().map(|m| power.saturating_mul(m)).find(|s| *s >= raw) {
            break s;
        }
        power = power.saturating_mul(10);
    };
    let top = max.div_ceil(step).max(1);
    (0..=top).map(|i| i.saturating_mul(step)).collect()
}

/// Up to `want` times spread evenly from `first` to `last`; one when they are equal.
pub fn time_ticks(first: DateTime<Utc>, last: DateTime<Utc>, want: i32) -> Vec<DateTime<Utc>> {
    let span = last - first;
    if span <= TimeDelta::zero() || want < 2 {
        return vec![first];
    }
    (0..want).map(|i| first + span * i / (want - 1)).collect()
}

/// The `strftime` format of a time label over `span`: clock time within an
/// hour (to the millisecond within a minute), day and time within two days,
/// the date beyond.
pub fn time_format(span: TimeDelta) -> &'static str {
    if span < TimeDelta::minutes(1) {
        "%H:%M:%S%.3f"
    } else if span < TimeDelta::hours(1) {
        "%H:%M:%S"
    } else if span < TimeDelta::days(2) {
        "%d %b %H:%M"
    } else {
        "%Y-%m-%d"
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn value_ticks_are_round_and_cover_the_maximum() {
        assert_eq!(value_ticks(0, 4), vec![0, 1]);
        assert_eq!(value_ticks(1, 4), vec![0, 1]);
        assert_eq!(value_ticks(7, 4), vec![0, 2, 4, 6, 8]);
        assert_eq!(value_ticks(120, 4), vec![0, 50, 100, 150]);
        assert_eq!(value_ticks(200_000, 4), vec![0, 50_000, 100_000, 150_000, 200_000]);
        assert!(value_ticks(u64::MAX / 2, 4).len() <= 6);
    }

    #[test]
    fn time_ticks_span_the_range_and_labels_fit_it() {
        let t = Utc.with_ymd_and_hms(2026, 12, 6, 13, 0, 0).single().expect("time");
        assert_eq!(time_ticks(t, t, 5), vec![t]);
        let ticks = time_ticks(t, t + TimeDelta::days(4), 5);
        assert_eq!((ticks.len(), ticks[0], ticks[4]), (5, t, t + TimeDelta::days(4)));
        assert_eq!(ticks[1], t + TimeDelta::days(1));
        assert_eq!(time_format(TimeDelta::seconds(3)), "%H:%M:%S%.3f");
        assert_eq!(time_format(TimeDelta::minutes(3)), "%H:%M:%S");
        assert_eq!(time_format(TimeDelta::hours(5)), "%d %b %H:%M");
        assert_eq!(time_format(TimeDelta::days(30)), "%Y-%m-%d");
    }
}
