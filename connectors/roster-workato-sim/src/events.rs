//! Generated activity events: their kinds, per-member timelines and the id encoding.
//!
//! A generated event id encodes its time, member and kind, so the member list and the
//! activity log agree without materialising anything:
//! `id = secs_since_base << 29 | ms_bucket << 24 | member_index << 3 | kind`.
//! The id is below 2^53 and the timestamp never decreases as the id grows.

use roster_sim_kit::{Mix, mix64};

const SEC_SHIFT: u32 = 29;
const MS_SHIFT: u32 = 24;
const IDX_SHIFT: u32 = 3;
const IDX_MASK: u64 = (1 << 21) - 1;
const DAY: i64 = 86_400;

/// Most members a generated workspace can have (the id encoding holds 21 bits of index).
pub const MAX_GENERATED_MEMBERS: usize = 1 << 21;
/// Generated events lie in this many days before the anchor.
pub(crate) const ACTIVITY_DAYS: i64 = 120;
/// Event ids count seconds from `anchor - BASE_DAYS`.
const BASE_DAYS: i64 = 180;

const SALT_EVENTS: u64 = 0xE7E7;

/// One kind of generated event.
pub(crate) struct Kind {
    pub event_type: &'static str,
    pub resource_type: &'static str,
    pub activity: &'static str,
}

/// Kind 0 is the login; its `event_type` comes from the workspace settings.
pub(crate) const KINDS: [Kind; 8] = [
    Kind { event_type: "user_login", resource_type: "User", activity: "User login" },
    Kind { event_type: "user_logout", resource_type: "User", activity: "User logout" },
    Kind { event_type: "user_login_failed", resource_type: "User", activity: "User login failed" },
    Kind { event_type: "recipe_started", resource_type: "Recipe", activity: "Recipe started" },
    Kind { event_type: "recipe_stopped", resource_type: "Recipe", activity: "Recipe stopped" },
    Kind { event_type: "recipe_updated", resource_type: "Recipe", activity: "Recipe updated" },
    Kind { event_type: "connection_created", resource_type: "Connection", activity: "Connection created" },
    Kind { event_type: "folder_created", resource_type: "Folder", activity: "Folder created" },
];

/// Weights of the non-login kinds 1..8.
const OTHER_WEIGHTS: [u64; 7] = [8, 4, 10, 6, 6, 3, 3];

/// The `event_type` of a kind, with the login name from the settings.
pub(crate) fn event_type(kind: usize, login: &str) -> &str {
    if kind == 0 { login } else { KINDS.get(kind).map_or("unknown", |k| k.event_type) }
}

/// Start (in Unix seconds) of the id time base for an anchor.
pub(crate) fn base_secs(anchor_secs: i64) -> i64 {
    anchor_secs - BASE_DAYS * DAY
}

/// A decoded generated event id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub index: usize,
    pub kind: usize,
    pub secs: i64,
    pub ms: u32,
}

impl Decoded {
    pub(crate) fn millis(&self) -> i64 {
        self.secs * 1000 + i64::from(self.ms)
    }
}

pub(crate) fn decode(id: u64, base: i64) -> Decoded {
    let index = ((id >> IDX_SHIFT) & IDX_MASK) as usize;
    let bucket = (id >> MS_SHIFT) & 31;
    let fine = ((index as u64) * 31) >> 21;
    Decoded {
        index,
        kind: (id & 7) as usize,
        secs: base + (id >> SEC_SHIFT) as i64,
        ms: (bucket * 31 + fine) as u32,
    }
}

fn encode(secs_offset: u64, bucket: u64, index: usize, kind: usize) -> u64 {
    (secs_offset << SEC_SHIFT)
        | (bucket << MS_SHIFT)
        | (((index as u64) & IDX_MASK) << IDX_SHIFT)
        | (kind as u64 & 7)
}

/// The event ids of one member, ascending. Members with no activity (about 15%) get none.
///
/// `created_secs` is when the member joined; events come after it and within the last
/// [`ACTIVITY_DAYS`] before the anchor.
pub(crate) fn member_events(seed: u64, index: usize, created_secs: i64, anchor_secs: i64) -> Vec<u64> {
    let mut rng = Mix::new(&[seed, index as u64, SALT_EVENTS]);
    if rng.chance(0.15) {
        return Vec::new();
    }
    let base = base_secs(anchor_secs);
    let start = (anchor_secs - ACTIVITY_DAYS * DAY).max(created_secs + 60);
    let end = anchor_secs - 60;
    let logins = 2 + rng.below(5);
    let others = rng.below(4);
    let mut stamps: Vec<(i64, usize)> = Vec::with_capacity((logins + others) as usize);
    for _ in 0..logins {
        stamps.push((rng.range(start, end), 0));
    }
    for _ in 0..others {
        stamps.push((rng.range(start, end), 1 + rng.weighted(&OTHER_WEIGHTS)));
    }
    stamps.sort_unstable();
    stamps.dedup_by_key(|(secs, _)| *secs);
    stamps
        .into_iter()
        .map(|(secs, kind)| {
            let bucket = mix64(secs as u64 ^ (index as u64).rotate_left(17)) % 32;
            encode((secs - base).max(0) as u64, bucket, index, kind)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_roundtrip_and_order_by_time() {
        let anchor = 1_750_000_000;
        let base = base_secs(anchor);
        let mut all = Vec::new();
        for index in [0_usize, 1, 7, 999, 123_456, MAX_GENERATED_MEMBERS - 1] {
            let created = anchor - 400 * DAY;
            let ids = member_events(42, index, created, anchor);
            for id in &ids {
                assert!(*id < (1_u64 << 53));
                let d = decode(*id, base);
                assert_eq!(d.index, index);
                assert!(d.ms < 1000);
                assert!(d.secs >= anchor - ACTIVITY_DAYS * DAY && d.secs < anchor);
            }
            all.extend(ids);
        }
        all.sort_unstable();
        let millis: Vec<i64> = all.iter().map(|id| decode(*id, base).millis()).collect();
        assert!(millis.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn active_members_log_in_several_times() {
        let anchor = 1_750_000_000;
        let mut silent = 0;
        for index in 0..1000 {
            let ids = member_events(7, index, anchor - 30 * DAY, anchor);
            if ids.is_empty() {
                silent += 1;
                continue;
            }
            let created = anchor - 30 * DAY;
            assert!(ids.iter().all(|id| decode(*id, base_secs(anchor)).secs > created));
        }
        assert!((80..250).contains(&silent), "{silent} silent members");
    }
}
