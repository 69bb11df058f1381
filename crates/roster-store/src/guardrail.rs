//! The shrink guardrail, shared by both backends: when a sync that read
//! users successfully must not mark anyone removed.

use crate::types::ShrinkPolicy;

/// Why a run that read users successfully must not mark anyone removed.
pub(crate) fn degraded_reason(
    seen: u64,
    present: u64,
    absent: u64,
    skipped: u64,
    policy: &ShrinkPolicy,
) -> Option<String> {
    if skipped > 0 {
        return Some(format!(
            "the connector skipped {skipped} unreadable record(s), so nobody was marked removed"
        ));
    }
    if policy.accept_shrink || present == 0 {
        return None;
    }
    if seen == 0 {
        return Some(format!(
            "the sync returned no users but the account had {present}, so nobody was marked \
             removed; if they are really gone, sync again accepting the shrink"
        ));
    }
    let max = if policy.max_shrink_fraction.is_nan() {
        ShrinkPolicy::DEFAULT_MAX_SHRINK_FRACTION
    } else {
        policy.max_shrink_fraction.clamp(0.0, 1.0)
    };
    let fraction = absent as f64 / present as f64;
    if fraction > max {
        return Some(format!(
            "{absent} of {present} users ({:.0}%) are missing, more than the {:.0}% allowed, so \
             nobody was marked removed; if they are really gone, sync again accepting the shrink",
            fraction * 100.0,
            max * 100.0,
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guardrails() {
        let p = ShrinkPolicy::default();
        assert_eq!(degraded_reason(10, 0, 0, 0, &p), None);
        assert_eq!(degraded_reason(0, 0, 0, 0, &p), None);
        assert!(degraded_reason(0, 10, 10, 0, &p).is_some());
        assert!(degraded_reason(4, 10, 6, 0, &p).is_some());
        assert_eq!(degraded_reason(5, 10, 5, 0, &p), None);
        assert!(degraded_reason(10, 10, 0, 1, &p).is_some());
        let accept = ShrinkPolicy { accept_shrink: true, ..p };
        assert_eq!(degraded_reason(0, 10, 10, 0, &accept), None);
        assert!(degraded_reason(10, 10, 0, 1, &accept).is_some());
        let nan = ShrinkPolicy { max_shrink_fraction: f64::NAN, accept_shrink: false };
        assert!(degraded_reason(4, 10, 6, 0, &nan).is_some());
    }
}
